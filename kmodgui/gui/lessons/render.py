"""A lesson step as HTML for the Lessons pane (no Qt here).

Every expectation carries a symbol as well as a colour: ✓ holds, ✗ does
not hold (with what the machine showed instead), ○ not checked yet.
Commands are links: clicking one types it into the Shell.
"""
from __future__ import annotations

import html
from typing import Any

esc = html.escape


def _paragraphs(text: str) -> str:
    """Blank-line separated paragraphs; `code` spans in monospace."""
    out = []
    for para in text.strip().split("\n\n"):
        words = esc(" ".join(para.split()))
        pieces = words.split("`")
        for i in range(1, len(pieces), 2):
            pieces[i] = f"<code>{pieces[i]}</code>"
        out.append(f"<p>{''.join(pieces)}</p>")
    return "".join(out)


def lesson_intro_html(lesson: Any, theme: Any) -> str:
    return (f"<div style='color:{theme.dim}'><b>About this lesson</b> "
            f"(<code>{esc(lesson.source)}</code>, {len(lesson.steps)} steps, "
            f"Linux {esc(lesson.profile)})</div>{_paragraphs(lesson.explain)}")


def edit_html(step: Any, theme: Any) -> str:
    if not step.edits:
        return ""
    rows = []
    for ed in step.edits:
        replace = esc(ed.replace) if ed.replace else "<i>(delete it)</i>"
        rows.append(f"<li>in <code>{esc(ed.file)}</code>, change "
                    f"<code style='background:{theme.gutter}'>{esc(ed.find.strip())}</code> "
                    f"to <code style='background:{theme.gutter}'>{replace.strip()}</code></li>")
    return f"<p><b>✎ Try this edit</b>, then build (Ctrl+B):</p><ul>{''.join(rows)}</ul>"


def config_html(step: Any) -> str:
    if not step.config:
        return ""
    items = ", ".join(f"<code>CONFIG_{esc(n)}={'y' if v else 'n'}</code>" for n, v in step.config)
    return (f"<p><b>⚙ Kernel configuration:</b> {items} (the Kconfig pane, or "
            f"<code>kconfig {esc(step.config[0][0])}={'y' if step.config[0][1] else 'n'}</code>; "
            "the kernel reboots)</p>")


def commands_html(step: Any, theme: Any) -> str:
    if not step.commands:
        return ""
    items = "".join(f"<li><a href='cmd:{i}' style='color:{theme.accent}'><code># {esc(c)}</code></a></li>"
                    for i, c in enumerate(step.commands))
    return (f"<p><b>⌨ Run</b> <span style='color:{theme.dim}'>(click one to type it into "
            f"the Shell)</span>:</p><ul>{items}</ul>")


def expectations_html(step: Any, result: Any, theme: Any, describe: Any,
                      done_before: bool = False) -> str:
    """Each expectation with ✓ / ✗ / ○; failed ones say what was seen.
    done_before: the step was done in an earlier sitting (all held then)."""
    rows = []
    checks = {id(c.expectation): c for c in result.checks} if result is not None else {}
    for e in step.expect:
        c = checks.get(id(e))
        if c is None and done_before:
            rows.append(f"<li><span style='color:{theme.ok}'><b>✓</b></span> {esc(describe(e))}"
                        f" <span style='color:{theme.dim}'>(done earlier)</span></li>")
        elif c is None:
            rows.append(f"<li><span style='color:{theme.dim}'><b>○</b> {esc(describe(e))}</span></li>")
        elif c.passed:
            rows.append(f"<li><span style='color:{theme.ok}'><b>✓</b></span> {esc(c.expected)}</li>")
        else:
            rows.append(f"<li><span style='color:{theme.error}'><b>✗</b></span> {esc(c.expected)}"
                        f"<br><span style='color:{theme.dim}'>seen: {esc(c.seen)}</span></li>")
    return (f"<a name='expect'></a><p><b>What should happen</b> <span style='color:{theme.dim}'>(checked after each "
            f"command)</span>:</p><ul style='list-style-type:none'>{''.join(rows)}</ul>")


def step_html(lesson: Any, index: int, result: Any, passed: bool, theme: Any,
              describe: Any, intro: bool, message: str = "") -> str:
    step = lesson.steps[index]
    head = (f"<h3 style='margin-bottom:2px'>Step {step.number} of {len(lesson.steps)}: "
            f"{esc(step.title)}</h3>")
    if passed:
        head += (f"<p style='color:{theme.ok}'><b>✓ Done:</b> your commands produced the "
                 "expected outcome." + (" Next step: Alt+PgDown." if index + 1 < len(lesson.steps)
                                        else " That was the last step.") + "</p>")
    note = f"<p style='color:{theme.warning}'><b>⚠</b> {esc(message)}</p>" if message else ""
    body = (_paragraphs(step.explain) + edit_html(step, theme) + config_html(step)
            + commands_html(step, theme)
            + expectations_html(step, result, theme, describe, passed and result is None))
    # the step comes first, so that it is on screen at once; the lesson's
    # introduction follows it on the first step (a link elsewhere)
    return head + note + body + ("<hr>" + lesson_intro_html(lesson, theme) if intro else "")
