"""The caption strip under the source view: what the last step did.

    step 12   ↷ register_those() failed with -ENOMEM; jumping to fail_those

It is the debugger's message line (a release out of reverse order, a leak,
insmod's error), and in lecture mode the big caption a hall reads: the
same text, about twice the size.  Each kind of caption has its own symbol
(✖ failure, ↷ jump, − release, ⚠ problem, ✔ done) besides its colour.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton

from kmodgui.gui.debug.captions import Caption
from kmodgui.gui.theme import LIGHT, Theme
from kmodgui.gui.zoom import ui_font

#: caption kind -> theme colour attribute
COLOURS = {"fail": "error", "problem": "leak", "jump": "label", "release": "ok",
           "acquire": "accent", "done": "ok", "info": "text", "idle": "dim"}
LECTURE_SCALE = 2.0
NORMAL_SCALE = 1.25


class CaptionBar(QFrame):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("debugCaption")
        self.setFrameShape(QFrame.NoFrame)
        self.theme: Theme = LIGHT
        self.zoom = 1.0
        self.lecture = False
        self.caption = Caption("", "idle")
        self.step = QLabel("", self)
        self.step.setObjectName("debugCaptionStep")
        self.symbol = QLabel("", self)
        self.symbol.setObjectName("debugCaptionSymbol")
        self.text = QLabel("", self)
        self.text.setObjectName("debugCaptionText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.text.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setToolTip("Hide the caption (it comes back at the next step)")
        self.close_button.clicked.connect(self.hide)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.setSpacing(10)
        lay.addWidget(self.step, 0, Qt.AlignTop)
        lay.addWidget(self.symbol, 0, Qt.AlignTop)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.close_button, 0, Qt.AlignTop)
        self._restyle()

    def set_caption(self, caption: Caption, step: str) -> None:
        self.caption = caption
        self.step.setText(step)
        self.symbol.setText(caption.symbol)
        self.text.setText(caption.text)
        self._restyle()

    def set_lecture(self, on: bool) -> None:
        self.lecture = on
        self.close_button.setVisible(not on)
        self._restyle()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._restyle()

    def set_zoom(self, factor: float) -> None:
        self.zoom = factor
        self._restyle()

    def _restyle(self) -> None:
        scale = LECTURE_SCALE if self.lecture else NORMAL_SCALE
        font = ui_font(self.zoom * scale)
        bold = QFont(font)
        bold.setBold(True)
        self.text.setFont(bold if self.caption.kind in ("fail", "problem", "jump") else font)
        self.symbol.setFont(bold)
        small = ui_font(self.zoom * scale * 0.8)
        self.step.setFont(small)
        self.close_button.setFont(small)
        t = self.theme
        colour = getattr(t, COLOURS.get(self.caption.kind, "text"))
        self.symbol.setStyleSheet(f"color: {colour};")
        self.text.setStyleSheet(f"color: {colour if self.caption.kind != 'info' else t.text};")
        self.step.setStyleSheet(f"color: {t.dim};")
        edge = max(2, round(3 * self.zoom))
        self.setStyleSheet(f"QFrame#debugCaption {{ background: {t.gutter}; "
                           f"border-top: {edge}px solid {colour}; }}")
