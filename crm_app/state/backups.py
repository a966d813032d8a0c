"""Admin: the database's backups (when, how large) and a backup made now."""

from __future__ import annotations

import reflex as rx

from crm_app.services import backup
from crm_app.services.errors import NotAllowed
from crm_app.services.formatting import fmt_datetime, fmt_size
from crm_app.services.people.permissions import require_admin
from crm_app.settings import settings
from crm_app.state.off_loop import in_thread
from crm_app.state.session import SessionState


class BackupState(SessionState):
    rows: list[dict[str, str]] = []  # name, at, size
    folder: str = ""
    schedule: str = ""
    busy: bool = False
    denied: str = ""  # why the page is not shown (not an admin)

    def _read(self) -> None:
        self.rows = [
            {"name": b.path.name, "at": fmt_datetime(b.at), "size": fmt_size(b.size)} for b in backup.backups()
        ]
        self.folder = str(settings.backup_dir)
        if settings.backup_hours > 0:
            self.schedule = self._msg("backup.schedule", hours=f"{settings.backup_hours:g}", keep=settings.backup_keep)
        else:
            self.schedule = self._msg("backup.schedule_off")

    @rx.event
    def open(self):
        self.rows, self.folder, self.schedule = [], "", ""
        try:
            with self._service() as (_session, actor):
                require_admin(actor)
        except NotAllowed as exc:
            return self._refused(exc)
        self.denied = ""
        self._read()

    @rx.event
    async def backup_now(self):
        with self._service() as (_session, actor):
            require_admin(actor)
        self.busy = True
        yield
        try:
            made = await in_thread(backup.backup_now)
        finally:
            self.busy = False
        self._read()
        if made is None:
            yield rx.toast.info(self._msg("backup.running"))
        else:
            when = fmt_datetime(made.at)
            yield rx.toast.success(self._msg("backup.done", name=made.path.name, size=fmt_size(made.size), at=when))
