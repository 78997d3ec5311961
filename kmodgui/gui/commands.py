"""What the window does when the user acts: open a source, build, insmod,
rmmod, reboot, switch profile -- always through the bridge -- and how the
source view follows the module's life (what the kernel discarded)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox

from kmodgui.gui import actions
from kmodgui.gui.bridge import module_name
from kmodgui.gui.settings import add_recent, recent_files
from kmodgui.gui.workbench.focus import dialog_of
from kmodgui.kernel.profile import load_profile
from kmodgui.gui.source.marks import marks_for
from kmodgui.gui.source.outline import from_ko

STATE_TEXT = {"COMING": "Loading: init running", "LIVE": "Live", "GOING": "Unloading: exit running"}


class CommandsMixin:
    # -- opening sources ------------------------------------------------------------
    def open_dialog(self) -> None:
        start = str(self.source_path.parent) if self.source_path else ""
        with dialog_of(self):
            path, _ = QFileDialog.getOpenFileName(self, "Open module source", start,
                                                  "C sources (*.c)")
        if path:
            self.open_source(Path(path))

    def open_source(self, path: Path) -> bool:
        """Show `path`, make its folder the shell's cwd, build it quietly."""
        if not self.editing.confirm_leave():     # unsaved edits: Save / Discard / Cancel
            return False
        try:
            text = Path(path).read_text(errors="replace")
        except OSError as exc:
            self.statusBar().showMessage(f"cannot open {path}: {exc.strerror}", 6000)
            return False
        self.source_path = Path(path).resolve()
        self.source.load(self.source_path, text)
        self.editing.file_opened(self.source_path)  # watch, samples read-only, recovery
        self.bridge.set_cwd(self.source_path.parent)
        self._last_build: Any = None
        actions.fill_recent(self, add_recent(self.settings, self.source_path))
        self.on_state_changed()
        self.source.show_first_function()
        if self._first_frame_seen:
            self.build(quiet=True)
        else:               # the text scan draws now; the build's marks follow the first frame
            self._build_after_first_frame = True
        return True

    def _recent(self) -> list[str]:
        return recent_files(self.settings)

    def dragEnterEvent(self, event) -> None:
        if any(u.toLocalFile().endswith(".c") for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        for url in event.mimeData().urls():
            if url.toLocalFile().endswith(".c"):
                self.open_source(Path(url.toLocalFile()))
                event.acceptProposedAction()
                return

    # -- module commands ----------------------------------------------------------------
    def module(self) -> str | None:
        return module_name(self.source_path) if self.source_path else None

    def build(self, quiet: bool = False) -> Any:
        if self.source_path is None or not self.editing.save_before_build(quiet):
            return None
        try:
            result = self.bridge.build(self.source_path)
        except Exception as exc:           # engine missing or broken: say so, go on
            self.statusBar().showMessage(f"build unavailable: {exc}", 6000)
            return None
        if not quiet:
            self.shell.show_text(f"── build {self.source_path.name} ──")
            self.shell.show_text(result.output or "(no output)",
                                 self.theme.text if result.ok else self.theme.error)
        return result

    def on_build_finished(self, path: str, result: Any) -> None:
        if self.source_path is None or Path(path) != self.source_path:
            return
        self._last_build = result
        self.source.set_marks(marks_for(getattr(result, "diagnostics", []), self.source_path))
        outline = from_ko(result.ko, self.source_path) if result.ko is not None else None
        if outline is not None:
            self.source.set_outline(outline)
        self._update_header()

    def insmod(self, params: str = "") -> None:
        if self.module() and self.editing.save_before_build():   # insmod builds from disk
            self.bridge.insmod(self.module(), params)

    def insmod_with_params(self) -> None:
        if not self.module():
            return
        key = f"params/{self.module()}"
        ko = getattr(getattr(self, "_last_build", None), "ko", None)
        declared = " ".join(f"{p.name}=" for p in getattr(ko, "params", []) or [])
        default = str(self.settings.value(key, "") or declared)
        text = self.ask("insmod with parameters", f"insmod {self.module()}.ko", default)
        if text is not None:
            self.settings.setValue(key, text)
            self.insmod(text.strip())

    def rmmod(self, force: bool = False) -> None:
        name = self.modules_panel.selected_module() or self.module()
        if name:
            self.bridge.rmmod(name, force)

    def inject_fault(self) -> None:
        """Ask for `inject` arguments (FUNC [ERRNO] [nth N]) and send them."""
        default = str(self.settings.value("inject", "") or self._first_injectable())
        spec = self.ask("Inject a fault", "inject FUNC [ERRNO] [nth N]   (or: list, clear)", default)
        if spec:
            self.settings.setValue("inject", spec.strip())
            self.bridge.inject(spec.strip())

    def _first_injectable(self) -> str:
        """A kernel function the open module calls that can be made to fail."""
        ko = getattr(getattr(self, "_last_build", None), "ko", None)
        calls = self.bridge.injectable_calls(ko) if ko is not None else []
        return calls[-1] if calls else ""

    def reboot(self) -> None:
        if self._confirm_loss("Reboot the simulated kernel?"):
            self.bridge.reboot()

    def switch_profile(self, profile: str) -> None:
        if profile == self.bridge.profile_name():
            return
        if self._confirm_loss(f"Boot the {profile} kernel?"):
            self.bridge.reboot(profile=profile)
        self.on_booted()

    def _confirm_loss(self, question: str) -> bool:
        loaded = len(self.bridge.modules())
        if not loaded:
            return True
        return self.confirm("Reboot", f"{question}\n\n{loaded} loaded module(s) will be lost.")

    # -- following the engine ----------------------------------------------------------
    def on_booted(self) -> None:
        profile = self.bridge.profile_name()
        index = self.profile_box.findData(profile)
        if index >= 0:
            self.profile_box.setCurrentIndex(index)
        self.kernel_label.setText(f"Linux {self.bridge.release()}")
        self.on_state_changed()

    def on_state_changed(self) -> None:
        name = self.module()
        if name is None:
            self._update_header()
            return
        state = self.bridge.module_state(name)
        ko = self.bridge.ko_of(name)
        outline = from_ko(ko, self.source_path) if ko is not None else None
        if outline is not None and not self.source.outline.exact:
            self.source.set_outline(outline)
        self.source.set_discarded(self.discarded_sections(state))
        self._update_header()

    def discarded_sections(self, state: str | None) -> set[str]:
        """Which sections the kernel no longer has for the loaded module.

        .init.text: freed by do_init_module() once init succeeded (LIVE).
        .exit.text without CONFIG_MODULE_UNLOAD: 2.6.30 never loads it
        (load_module clears SHF_ALLOC); 6.x lays it out as init memory and
        frees it with the init sections.
        """
        out: set[str] = set()
        if state == "LIVE":
            out.add("init")
        if not self.bridge.config().get("MODULE_UNLOAD", True):
            if state == "LIVE" or (state in ("COMING", "GOING")
                                   and not load_profile(self.bridge.profile_name())
                                   .kernel["switches"]["exit_text_loaded"]):
                out.add("exit")
        return out

    def _update_header(self) -> None:
        if self.source_path is None:
            self.source_header.setText("No module open: File → Open, Samples, or drop a .c file here")
            self.setWindowTitle("kmodgui")
            return
        name = self.module()
        state = self.bridge.module_state(name)
        parts = [f"<b>{self.source_path.name}</b> {self.editing.header_badge()}",
                 f"<span style='color:{self.theme.dim}'>{self.source_path.parent}</span>",
                 f"module <b>{name}</b>: {STATE_TEXT.get(state, 'not loaded')}"]
        parts.append(self._build_summary())
        self.source_header.setText("  ·  ".join(p for p in parts if p))
        self.setWindowTitle(f"{self.source_path.name} — kmodgui — Linux {self.bridge.release()}")

    def _build_summary(self) -> str:
        result = getattr(self, "_last_build", None)
        if result is None:
            return ""
        marks = self.source.marks
        errors = sum(1 for m in marks if m.is_error)
        warnings = len(marks) - errors
        if result.ok and not marks:
            return f"<span style='color:{self.theme.ok}'>✔ builds cleanly</span>"
        colour = self.theme.error if not result.ok else self.theme.warning
        return (f"<span style='color:{colour}'>{'✖ build failed' if not result.ok else '⚠ built'}: "
                f"{errors} error(s), {warnings} warning(s)</span>")

    def goto_event(self, ts: int, file: str, line: int) -> None:
        """A timeline or resource click: matching dmesg line and source line."""
        if ts >= 0:
            self.dmesg.select_time(ts)
        if line and self.source_path and Path(file).name == self.source_path.name:
            self.source.select_line(line)

    def _on_busy(self, busy: bool) -> None:
        self.acts["interrupt"].setEnabled(busy)
        self.statusBar().showMessage("running…" if busy else "", 0 if busy else 1)

    def show_keys(self) -> None:
        with dialog_of(self):
            QMessageBox.information(self, "Keys", actions.HINT.replace("  ·  ", "\n"))
