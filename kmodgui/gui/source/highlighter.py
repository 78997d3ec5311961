"""C syntax highlighting, with the kernel's own vocabulary picked out
(__init/__exit section markers, module_init/module_exit, KERN_ levels,
printk/pr_* calls) and goto labels shown as the unwind ladder they are."""
from __future__ import annotations

import re

from PySide6.QtGui import (QColor, QFont, QSyntaxHighlighter, QTextCharFormat,
                           QTextDocument)

from kmodgui.gui.theme import Theme

KEYWORDS = ("auto break case const continue default do else enum extern for "
            "goto if inline register restrict return sizeof static struct "
            "switch typedef union volatile while").split()
TYPES = ("void char short int long float double signed unsigned bool _Bool "
         "size_t ssize_t loff_t dev_t umode_t pid_t gfp_t u8 u16 u32 u64 "
         "s8 s16 s32 s64 uint8_t uint16_t uint32_t uint64_t").split()
KERNEL_MACROS = r"(__init|__exit|__initdata|__exitdata|__initconst|module_init|module_exit|" \
                r"MODULE_\w+|EXPORT_SYMBOL(?:_GPL)?|module_param\w*|THIS_MODULE|KERN_\w+|" \
                r"printk|pr_\w+|__user)"


def _fmt(color: str, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    f = QTextCharFormat()
    f.setForeground(QColor(color))
    if bold:
        f.setFontWeight(QFont.Bold)
    f.setFontItalic(italic)
    return f


class CHighlighter(QSyntaxHighlighter):
    IN_COMMENT = 1

    def __init__(self, document: QTextDocument, theme: Theme) -> None:
        super().__init__(document)
        self.set_theme(theme, rehighlight=False)

    def set_theme(self, theme: Theme, rehighlight: bool = True) -> None:
        t = theme
        self._rules: list[tuple[re.Pattern, QTextCharFormat]] = [
            (re.compile(r"\b(" + "|".join(TYPES) + r")\b"), _fmt(t.type_)),
            (re.compile(r"\b(" + "|".join(KEYWORDS) + r")\b"), _fmt(t.keyword, bold=True)),
            (re.compile(r"\b" + KERNEL_MACROS + r"\b"), _fmt(t.macro, bold=True)),
            (re.compile(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b"), _fmt(t.number)),
            (re.compile(r"^\s*(?!default\b)[A-Za-z_]\w*\s*:(?!:)"), _fmt(t.label, bold=True)),
            (re.compile(r"^\s*#\s*\w+"), _fmt(t.preproc)),
            (re.compile(r"<[\w/.]+\.h>"), _fmt(t.string)),
            (re.compile(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'"), _fmt(t.string)),
            (re.compile(r"//.*$"), _fmt(t.comment, italic=True)),
        ]
        self._comment = _fmt(t.comment, italic=True)
        if rehighlight:
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        for pattern, fmt in self._rules:
            for m in pattern.finditer(text):
                self.setFormat(m.start(), m.end() - m.start(), fmt)
        self._block_comments(text)

    def _block_comments(self, text: str) -> None:
        """/* ... */ across lines: block state 1 = inside a comment."""
        self.setCurrentBlockState(0)
        inside = self.previousBlockState() == self.IN_COMMENT
        start, search_from = (0, 0) if inside else (text.find("/*"), -1)
        while start >= 0:
            end = text.find("*/", search_from if search_from >= 0 else start + 2)
            search_from = -1
            if end < 0:
                self.setCurrentBlockState(self.IN_COMMENT)
                self.setFormat(start, len(text) - start, self._comment)
                return
            self.setFormat(start, end + 2 - start, self._comment)
            start = text.find("/*", end + 2)
