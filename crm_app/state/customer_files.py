"""Files of the open record (a customer, or a contact: those dropped on its page): drag-and-drop
upload, list, download (through the checked /api/files route), delete with a confirmation."""

from __future__ import annotations

import reflex as rx

from crm_app.services.customer import files
from crm_app.services.errors import ServiceError
from crm_app.services.formatting import fmt_datetime, fmt_size
from crm_app.services.people import users
from crm_app.settings import settings
from crm_app.state.confirm_delete import ConfirmDeleteMixin
from crm_app.state.customer_detail import CustomerDetailState
from crm_app.state.off_loop import in_thread

UPLOAD_ID = "customer-files"


class FileTabMixin(ConfirmDeleteMixin, mixin=True):
    """The Files tab of a record page (state/record_page.py)."""

    files: list[dict[str, str]] = []
    uploading: bool = False

    @rx.event
    def load(self):
        with self._service() as (session, actor):
            rows = files.of_record(session, actor, self._record())
            names = users.names_by_id(session, {f.uploaded_by_id for f in rows})
        self.files = [
            {
                "id": str(f.id),
                "name": f.name,
                "size": fmt_size(f.size),
                "at": fmt_datetime(f.created_at),
                "by": names.get(f.uploaded_by_id, ""),
                "url": files.download_url(f.id),
            }
            for f in rows
        ]

    @rx.event
    async def upload(self, uploads: list[rx.UploadFile]):
        received = [
            (
                upload.name or upload.filename or "",
                await upload.read(settings.max_upload_bytes + 1),
                upload.content_type or "",
            )
            for upload in uploads
        ]
        return await in_thread(self._save_files, received)  # storing and the database off the loop

    def _save_files(self, received: list[tuple[str, bytes, str]]):
        saved, errors = 0, []
        customer_id, contact_id = self._home()
        with self._service() as (session, actor):
            for name, data, content_type in received:
                try:
                    files.save(session, actor, customer_id, name, data, content_type, contact_id=contact_id)
                    saved += 1
                except ServiceError as exc:
                    if exc.key == "err.not_allowed":
                        raise
                    errors.append(self._msg(exc.key, **exc.params))
        self.load()
        events = [rx.toast.error(e) for e in errors]
        if saved:
            events.append(rx.toast.success(self._msg("files.uploaded", n=saved)))
        return events

    @rx.event
    def rejected(self, names: list[str]):
        """Files the drop zone refused before sending (too large): the same message as the server's."""
        return [
            rx.toast.error(
                self._msg("err.file_too_large", name=files.sanitize_name(str(name)), max=settings.max_upload_mb)
            )
            for name in names
        ]

    def _delete_record(self, session, actor, record_id: int) -> None:
        files.delete(session, actor, record_id)

    @rx.var
    def max_bytes(self) -> int:
        return settings.max_upload_bytes

    @rx.var
    def drop_hint(self) -> str:
        return self._msg("files.drop", max=settings.max_upload_mb)


class FileState(FileTabMixin, CustomerDetailState):
    pass
