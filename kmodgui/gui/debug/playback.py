"""Auto-play (lectures) and the animation settings of the debug controller."""
from __future__ import annotations

#: how long auto-play waits for an animation before it looks again
ANIMATION_WAIT_MS = 80


class PlaybackMixin:
    """Part of DebugController (the attributes are set up there)."""

    # -- auto-play --------------------------------------------------------------------------------
    def set_autoplay(self, on: bool) -> None:
        """Step into, one statement every `pace` ms, until the command ends."""
        if on == self.autoplaying:
            return
        self.autoplaying = on
        if on:
            self._autoplay.start(0 if self.active else 10)
        else:
            self._autoplay.stop()
        if "autoplay" in self.acts:
            self.acts["autoplay"].setChecked(on)
        self.autoplayChanged.emit(on)

    def toggle_autoplay(self) -> None:
        self.set_autoplay(not self.autoplaying)

    def _autoplay_tick(self) -> None:
        if not self.autoplaying:
            return
        if not self.active:
            if self._dbg is None or self._dbg.line is None or not self._finished_reported:
                if self.start_insmod():
                    self._autoplay.start(self.prefs.pace_ms)
                    return
            self.set_autoplay(False)
            return
        if self.running or self.bridge.busy or self._jump_running() or self._jumps:
            self._autoplay.start(ANIMATION_WAIT_MS)
            return
        self.step_into()
        if self.active:
            self._autoplay.start(self.prefs.pace_ms)
        else:
            self.set_autoplay(False)

    def _stop_autoplay_if_done(self) -> None:
        if self.autoplaying and self._dbg is not None and self._dbg.stop is not None \
                and self._dbg.stop.finished:
            self.set_autoplay(False)

    # -- settings and looks ------------------------------------------------------------------------
    def apply_animation_settings(self) -> None:
        if hasattr(self.source, "set_animation"):
            self.source.set_animation(self.prefs.enabled, self.prefs.duration_ms)

    def set_animations(self, on: bool) -> None:
        self.prefs.enabled = on
        if "animations" in self.acts:
            self.acts["animations"].setChecked(on)
        self.apply_animation_settings()

    def set_animation_ms(self, ms: int) -> None:
        self.prefs.duration_ms = ms
        self.apply_animation_settings()

    def set_pace_ms(self, ms: int) -> None:
        self.prefs.pace_ms = ms

    def finish_animations(self) -> None:
        """Draw every animation's end state now (screenshots, exports)."""
        while self._jumps:
            j = self._jumps.popleft()
            self._draw_jump_at_once(j)
        interrupt = getattr(self.source, "_interrupt_jump", None)
        if interrupt is not None:
            interrupt()
        if self.fader is not None:
            self.fader.finish()
