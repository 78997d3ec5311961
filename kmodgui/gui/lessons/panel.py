"""The Lessons pane: the classic init/exit lesson as guided, checked steps.

It lists resources/lessons/*.toml.  Starting one copies the samples into the
student's folder for that lesson (kmodgui.lessons.student_folder; the
bundled modules/ are never written to; files already there are the
student's and stay), boots the lesson's kernel (profile and Kconfig), opens
the lesson's module through the window's normal open path and resumes at
the step saved there (kmodgui.lessons.progress).  The pane then shows the current step: what
to do, the edit to try, the commands, and each expected outcome with
✓ / ✗ / ○.  After every command the user runs (a CommandRun in the trace)
the step is checked with kmodgui.lessons.check_step against the trace since
the step began (`mark`), so the step ticks itself when the user's own
action produced the outcome.  A step once done keeps the check that passed:
later, unrelated commands do not grade it again.  "Do it for me" makes the step's edit and
Kconfig change and types its commands into the Shell, which checks it the
same way.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QStackedWidget, QTextBrowser, QToolButton,
                               QVBoxLayout, QWidget)

from kmodgui.gui.lessons import render
from kmodgui.gui.theme import LIGHT, Theme
from kmodgui.gui.zoom import ui_font
from kmodgui.kernel.events import CommandRun

#: the lesson text is read from a distance: a little larger than the UI
TEXT_SCALE = 1.2


class LessonsPanel(QWidget):
    #: (Lesson): a lesson started (its module is open, its kernel booted).
    lessonStarted = Signal(object)
    #: (step number, StepResult): the current step was checked.
    stepChecked = Signal(int, object)
    #: (step number): the current step's expectations all hold.
    stepPassed = Signal(int)
    #: (command): the user clicked a command; the window types it into the Shell.
    commandChosen = Signal(str)

    def __init__(self, bridge: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lessonsPanel")
        self.bridge = bridge
        self.theme: Theme = LIGHT
        self.zoom = 1.0
        self.lessons: list[Any] | None = None          # loaded when first needed
        self.lesson: Any = None
        self.index = 0
        self.since = 0
        self.passed: set[int] = set()
        self.graded: dict[int, Any] = {}               # step index -> the check that passed
        self.result: Any = None
        self.message = ""
        self.folder: Path | None = None
        self._chips: list[QToolButton] = []
        self._chips_for: Any = None
        #: set by the window: open a .c file the normal way; ask a yes/no question
        self.open_source: Callable[[Path], bool] = lambda path: False
        self.confirm: Callable[[str, str], bool] = lambda title, text: True
        self._build_ui()
        bridge.events.connect(self._on_events)

    # -- widgets ---------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._list_page())
        self.pages.addWidget(self._lesson_page())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.pages)

    def _list_page(self) -> QWidget:
        page = QWidget(self)
        self.list_title = QLabel("Lessons: the module init/exit rules, step by step", page)
        self.list_title.setWordWrap(True)
        self.list = QListWidget(page)
        self.list.setObjectName("lessonsList")
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.itemActivated.connect(lambda item: self.start(self.list.row(item)))
        self.list.itemDoubleClicked.connect(lambda item: self.start(self.list.row(item)))
        self.start_button = QPushButton("Start lesson", page)
        self.start_button.setObjectName("lessonStart")
        self.start_button.clicked.connect(lambda: self.start(max(0, self.list.currentRow())))
        lay = QVBoxLayout(page)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.list_title)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.start_button)
        return page

    def _lesson_page(self) -> QWidget:
        page = QWidget(self)
        self.back_button = QToolButton(page)
        self.back_button.setText("◀ Lessons")
        self.back_button.setToolTip("All lessons")
        self.back_button.clicked.connect(self.show_list)
        self.title = QLabel(page)
        self.title.setObjectName("lessonTitle")
        self.title.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(self.back_button)
        head.addWidget(self.title, 1)
        self.chips = QHBoxLayout()          # one row with the title: the text gets the height
        self.chips.setSpacing(4)
        head.addLayout(self.chips)
        self.text = QTextBrowser(page)
        self.text.setObjectName("lessonText")
        self.text.setOpenLinks(False)
        self.text.anchorClicked.connect(self._link)
        self.do_button = QPushButton("Do it for me", page)
        self.do_button.setObjectName("lessonDoIt")
        self.do_button.setToolTip("Make the step's edit and Kconfig change and run its commands "
                                  "in the Shell (Ctrl+Alt+D)")
        self.do_button.clicked.connect(self.do_it)
        self.check_button = QPushButton("Check", page)
        self.check_button.setToolTip("Check the expected outcomes now")
        self.check_button.clicked.connect(self.check)
        self.prev_button = QPushButton("◀ Previous", page)
        self.prev_button.setToolTip("Previous step (Alt+PgUp)")
        self.prev_button.clicked.connect(lambda: self.go(self.index - 1))
        self.next_button = QPushButton("Next ▶", page)
        self.next_button.setObjectName("lessonNext")
        self.next_button.setToolTip("Next step (Alt+PgDown)")
        self.next_button.clicked.connect(lambda: self.go(self.index + 1))
        buttons = QHBoxLayout()
        for b in (self.do_button, self.check_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.prev_button, self.next_button):
            buttons.addWidget(b)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(6, 4, 6, 6)
        lay.addLayout(head)
        lay.addWidget(self.text, 1)
        lay.addLayout(buttons)
        return page

    # -- the list ----------------------------------------------------------------------
    def load(self) -> list[Any]:
        """Read resources/lessons/*.toml (once; lazily, off the first frame)."""
        if self.lessons is None:
            from kmodgui.lessons import load_lessons
            self.lessons = load_lessons()
            self._fill_list()
        return self.lessons

    def _fill_list(self) -> None:
        from kmodgui.lessons import student_folder
        from kmodgui.lessons.progress import Progress
        self.list.clear()
        for n, lesson in enumerate(self.lessons or [], 1):
            done = len(Progress.load(student_folder(lesson), len(lesson.steps)).done)
            where = f"{done} of {len(lesson.steps)} steps done" if done else \
                f"{len(lesson.steps)} steps"
            item = QListWidgetItem(f"{n}. {lesson.title}\n     {lesson.topic} · {lesson.source}"
                                   f" · {where}")
            item.setToolTip(" ".join(lesson.explain.split())[:400])
            self.list.addItem(item)
        if self.lessons:
            self.list.setCurrentRow(0)

    def show_list(self) -> None:
        """Back to the list, each lesson with the progress saved for it."""
        if self.lessons is not None:
            row = self.list.currentRow()
            self._fill_list()
            self.list.setCurrentRow(row)
        self.pages.setCurrentIndex(0)

    def on_visibility(self, visible: bool) -> None:
        """The dock came to the front: read the lessons (not before the
        first frame: the window must not wait for them)."""
        if visible:
            self.load()

    # -- starting a lesson -----------------------------------------------------------------
    def start(self, which: int | str) -> bool:
        """Start lesson number `which` (0-based) or with that topic/file stem."""
        lessons = self.load()
        lesson = self._find(lessons, which)
        if lesson is None:
            return False
        loaded = len(self.bridge.modules())
        if loaded and not self.confirm(
                "Start lesson", f"Start “{lesson.title}” on a freshly booted kernel?\n\n"
                f"{loaded} loaded module(s) will be lost."):
            return False
        from kmodgui.lessons import prepare_folder, student_folder
        from kmodgui.lessons.progress import Progress
        folder = student_folder(lesson)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.folder = prepare_folder(lesson, folder, None, keep_existing=True)
        except OSError as exc:
            self.list_title.setText(f"Cannot prepare {folder}: {exc.strerror or exc}")
            return False
        self._boot_for(lesson)
        self.lesson = lesson
        saved = Progress.load(folder, len(lesson.steps))
        self.passed, self.graded = set(saved.done), {}
        self.open_source(self.folder / lesson.source)
        self.pages.setCurrentIndex(1)
        self.title.setText(f"<b>{lesson.title}</b>")
        self.go(saved.current)
        self.lessonStarted.emit(lesson)
        return True

    def _save_progress(self) -> None:
        from kmodgui.lessons.progress import Progress
        if self.folder is None or self.lesson is None:
            return
        try:
            Progress(set(self.passed), self.index).save(self.folder)
        except OSError as exc:
            self.message = f"progress not saved in {self.folder}: {exc.strerror or exc}"

    @staticmethod
    def _find(lessons: list[Any], which: int | str) -> Any:
        if isinstance(which, int):
            return lessons[which] if 0 <= which < len(lessons) else None
        for lesson in lessons:
            if which in (lesson.topic, lesson.path.stem, lesson.path.name):
                return lesson
        return None

    def _boot_for(self, lesson: Any) -> None:
        """The lesson's kernel: its profile, the profile's default Kconfig plus
        the lesson's changes, freshly booted (as kmodgui.lessons.new_session)."""
        from kmodgui.kernel.kconfig import Kconfig
        kc = Kconfig.load(lesson.profile)
        wanted = kc.apply(kc.defaults(), dict(lesson.config))
        self.bridge.start_engine()
        if self.bridge.profile_name() != lesson.profile:
            self.bridge.reboot(profile=lesson.profile)
        if self.bridge.config() != wanted:
            self.bridge.set_config(wanted)
        else:
            self.bridge.reboot()

    # -- the current step --------------------------------------------------------------------
    @property
    def step(self) -> Any:
        return self.lesson.steps[self.index] if self.lesson is not None else None

    def go(self, index: int) -> None:
        """Make step `index` current: its outcomes count from now on."""
        if self.lesson is None or not 0 <= index < len(self.lesson.steps):
            return
        self.index = index
        self.since = self._mark()
        self.result = self.graded.get(index)
        self.message = ""
        self._save_progress()
        self._render()
        self.text.verticalScrollBar().setValue(0)

    def _mark(self) -> int:
        from kmodgui.lessons import mark
        return mark(self.bridge.session) if self.bridge.session is not None else 0

    def check(self) -> Any:
        """Check the current step against the commands run since it began."""
        if self.lesson is None or self.bridge.session is None:
            return None
        if self.index in self.passed:          # done: graded when it was done, it stays
            self.result = self.graded.get(self.index)
            self._render()
            return self.result
        from kmodgui.lessons import check_step
        self.result = check_step(self.step, self.bridge.session, None, self.since)
        if self.result.passed:
            self.passed.add(self.index)
            self.graded[self.index] = self.result
            self._save_progress()
            self.stepPassed.emit(self.step.number)
        self.stepChecked.emit(self.step.number, self.result)
        self._render()
        self.text.scrollToAnchor("expect")          # the ✓ / ✗ list in view
        return self.result

    def _on_events(self, events: list) -> None:
        """A command finished: the user's own action may have done the step."""
        if self.lesson is not None and any(isinstance(e, CommandRun) for e in events):
            self.check()

    def do_it(self) -> None:
        """Do the step for the user: the same edit, Kconfig change and commands
        as kmodgui.lessons.do_step, but the commands go through the Shell so
        that they appear in its transcript and run in slices like typed ones."""
        step = self.step
        if step is None:
            return
        from kmodgui.lessons import LessonError, apply_edits
        self.message = ""
        if step.edits and self.folder is not None:
            try:
                apply_edits(step, self.folder)
            except LessonError as exc:
                self.message = f"{exc} (already edited?)"
            else:
                self.open_source(self.folder / step.edits[0].file)
        if step.config:
            self.bridge.set_config(dict(step.config))
        for line in step.commands:
            self.bridge.run_line(line, "lesson")
        if not step.commands:
            self.check()
        self._render()

    def _link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("cmd:") and self.step is not None:
            n = int(text[4:])
            if 0 <= n < len(self.step.commands):
                self.commandChosen.emit(self.step.commands[n])
        elif text == "intro":
            self._render(intro=True)

    # -- drawing -------------------------------------------------------------------------------
    def _render(self, intro: bool | None = None) -> None:
        if self.lesson is None:
            return
        from kmodgui.lessons import describe
        show_intro = self.index == 0 if intro is None else intro
        html = render.step_html(self.lesson, self.index, self.result, self.index in self.passed,
                                self.theme, describe, show_intro, self.message)
        if not show_intro:
            html += (f"<p><a href='intro' style='color:{self.theme.dim}'>About this lesson…</a></p>")
        bar = self.text.verticalScrollBar()
        scroll = bar.value()
        self.text.setHtml(html)
        bar.setValue(scroll if intro is None else bar.maximum())   # the intro is at the end
        self._render_chips()
        self.prev_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index + 1 < len(self.lesson.steps))
        self.do_button.setEnabled(True)

    def _render_chips(self) -> None:
        """One button per step: ✓ done, ▶ current, ○ to do (not colour alone)."""
        steps = self.lesson.steps
        if len(self._chips) != len(steps) or self._chips_for is not self.lesson:
            self._make_chips(len(steps))
        for i, (step, chip) in enumerate(zip(steps, self._chips)):
            mark = "✓" if i in self.passed else "▶" if i == self.index else "○"
            chip.setText(f"{mark} {step.number}")
            chip.setChecked(i == self.index)
            chip.setToolTip(f"Step {step.number}: {step.title}"
                            + (" (done)" if i in self.passed else ""))
            chip.setFont(ui_font(self.zoom))
            chip.setStyleSheet(f"color: {self.theme.ok}; font-weight: bold;"
                               if i in self.passed else "")

    def _make_chips(self, count: int) -> None:
        for chip in self._chips:
            self.chips.removeWidget(chip)
            chip.hide()
            chip.deleteLater()
        while self.chips.count():                  # the stretch
            self.chips.takeAt(0)
        self._chips = []
        for i in range(count):
            chip = QToolButton(self.pages.widget(1))
            chip.setCheckable(True)
            chip.clicked.connect(lambda _c=False, n=i: self.go(n))
            self.chips.addWidget(chip)
            self._chips.append(chip)
        self._chips_for = self.lesson

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.text.document().setDefaultStyleSheet(f"a {{ color: {theme.accent}; }}")
        self._render()

    def set_zoom(self, factor: float) -> None:
        self.zoom = factor
        big = ui_font(factor * TEXT_SCALE)
        self.text.setFont(big)
        self.text.document().setDefaultFont(big)
        title = ui_font(factor * TEXT_SCALE)
        title.setBold(True)
        self.title.setFont(title)
        for w in (self.list_title, self.list, self.start_button, self.back_button,
                  self.do_button, self.check_button, self.prev_button, self.next_button):
            w.setFont(ui_font(factor))
        self.list.setFont(ui_font(factor * TEXT_SCALE))
        self._render()

    def step_states(self) -> list[tuple[str, bool | None]]:
        """(expectation in words, True / False / None = not checked): for tests."""
        from kmodgui.lessons import describe
        if self.step is None:
            return []
        checks = {id(c.expectation): c for c in self.result.checks} if self.result else {}
        return [(describe(e), checks[id(e)].passed if id(e) in checks else None)
                for e in self.step.expect]
