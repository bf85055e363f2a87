"""The studio window's dialogs: Preferences, What Is Sent, the usage-data notice, About."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from hyperframes_desktop.ui import store
from hyperframes_desktop.ui.dialogs import messages
from hyperframes_desktop.ui.dialogs.payloads import PayloadsDialog
from hyperframes_desktop.ui.dialogs.settings import SettingsDialog
from hyperframes_desktop.ui.menus import WindowActions
from hyperframes_desktop.ui.renders.panel import RenderPanel
from hyperframes_desktop.ui.renders.queue import RenderQueue


class WindowDialogs(QObject):
    """Opens each dialog once and keeps it; wires the window's Preferences and Help actions."""

    def __init__(
        self,
        window: QWidget,
        actions: WindowActions,
        settings: store.StudioSettings,
        queue: RenderQueue,
        render_panel: RenderPanel,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.queue = queue
        self.render_panel = render_panel
        self.settings_dialog: SettingsDialog | None = None
        self.payloads_dialog: PayloadsDialog | None = None
        a = actions
        a.preferences.triggered.connect(self._on_preferences)
        a.what_is_sent.triggered.connect(self._on_what_is_sent)
        a.notice.triggered.connect(self._show_notice_text)
        a.about.triggered.connect(self._about)

    # Slots must return None (PySide6 6.12 mishandles values returned from slots).
    def _on_preferences(self, _checked: bool = False) -> None:
        self.show_settings()

    def _on_what_is_sent(self, _checked: bool = False) -> None:
        self.show_payloads()

    def show_settings(self) -> SettingsDialog:
        if self.settings_dialog is None:
            settings = self.settings
            dialog = SettingsDialog(
                settings.max_concurrent,
                self.window,
                farm=settings.farm,
                downloads=settings.download_resources,
            )
            dialog.farm_changed.connect(self._set_farm)
            dialog.downloads_changed.connect(self._set_downloads)
            dialog.max_concurrent_changed.connect(self._set_max_concurrent)
            dialog.show_payloads.connect(self._on_what_is_sent)
            self.settings_dialog = dialog
        self.settings_dialog.refresh()
        self.settings_dialog.open()
        return self.settings_dialog

    def show_payloads(self) -> PayloadsDialog:
        if self.payloads_dialog is None:
            self.payloads_dialog = PayloadsDialog(self.window)
        self.payloads_dialog.show()
        self.payloads_dialog.raise_()
        return self.payloads_dialog

    def _set_max_concurrent(self, value: int) -> None:
        settings = self.settings
        settings.max_concurrent = value
        self.queue.set_max_concurrent(value)
        store.save_settings(settings)

    def _set_downloads(self, allowed: bool) -> None:
        from hyperframes_desktop.ui.preview.page import set_downloads_allowed

        settings = self.settings
        settings.download_resources = allowed
        set_downloads_allowed(allowed)
        store.save_settings(settings)

    def _set_farm(self, prefs: store.FarmPrefs) -> None:
        settings = self.settings
        settings.farm = prefs
        self.render_panel.set_farm(prefs)
        store.save_settings(settings)

    def _show_notice_text(self, _checked: bool = False) -> None:
        messages.show_notice_text(self.window)

    def _about(self, _checked: bool = False) -> None:
        messages.show_about(self.window)


class DialogsByName:
    """The window's dialogs under the window's own names (tests and scripts open them
    through the window); mixed into the main window, which sets ``self.dialogs``."""

    dialogs: WindowDialogs

    def show_settings(self) -> SettingsDialog:
        return self.dialogs.show_settings()

    def show_payloads(self) -> PayloadsDialog:
        return self.dialogs.show_payloads()

    @property
    def settings_dialog(self) -> SettingsDialog | None:
        return self.dialogs.settings_dialog

    @property
    def payloads_dialog(self) -> PayloadsDialog | None:
        return self.dialogs.payloads_dialog
