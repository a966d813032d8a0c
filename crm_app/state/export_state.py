"""Export of the list a page shows: the same ListSpec (every matching record, or the rows ticked in
it), the fields the role may export."""

from __future__ import annotations

import asyncio

import reflex as rx

from crm_app.i18n import tr
from crm_app.services import jobs
from crm_app.services.errors import ValidationFailed
from crm_app.services.formatting import fmt_number
from crm_app.services.people import export_rights
from crm_app.services.people.auth import actor_session
from crm_app.services.records.fields import entity_def
from crm_app.services.transfer import downloads, exporter
from crm_app.state.job_runner import failure_text


class ExportMixin(rx.State, mixin=True):
    """Mixed into a list state (ListStateMixin + SessionState): an export dialog over its spec."""

    export_open: bool = False
    export_format: str = "xlsx"
    export_fields: list[str] = []
    exportable: list[list[str]] = []
    exporting: bool = False
    export_scope: str = "all"  # all: every matching record; selected: the rows ticked in the list
    may_export: bool = True  # the role exports this list at all (the admin's export rights)

    def _load_fields(self, session, actor) -> None:
        super()._load_fields(session, actor)
        self.may_export = export_rights.exports_at_all(session, actor.role, self.entity)

    def _export_selection(self) -> list[int]:
        """The ticked rows, when a selection (not "every matching record") is made."""
        return [] if self.all_matching else [int(i) for i in self.selected_ids if i.isdigit()]

    @rx.var
    def export_selected_label(self) -> str:
        n = 0 if self.all_matching else len(self.selected_ids)
        return self._msg("export.scope_selected", n=fmt_number(n))

    @rx.var
    def export_matching_label(self) -> str:
        more = "+" if self.total_capped else ""
        return self._msg("export.scope_matching", n=fmt_number(self.total) + more)

    @rx.event
    def open_export(self):
        with self._service() as (session, actor):
            allowed = exporter.exportable(session, actor, self.entity)
            entity = entity_def(session, self.entity)
        if not allowed:
            self.may_export, self.export_open = False, False
            return rx.toast.error(self._msg("err.export_not_allowed"))
        self.exportable = [[f.name, f.label_in(self.lang)] for f in allowed]
        names = [f.name for f in allowed]
        kept = [f for f in self.export_fields if f in names]  # the user's choice of the last export
        shown = [exporter.export_name(entity, c) for c in (self.columns or [])]
        self.export_fields = kept or list(dict.fromkeys(c for c in shown if c in names)) or names[:8]
        self.export_scope = "selected" if self._export_selection() else "all"
        self.export_open = True

    @rx.event
    def set_export_scope(self, value: str):
        if value == "all" or (value == "selected" and self._export_selection()):
            self.export_scope = value

    @rx.event
    def set_export_open(self, value: bool):
        self.export_open = value

    @rx.event
    def set_export_format(self, value: str):
        if value in exporter.FORMATS:
            self.export_format = value

    @rx.event
    def toggle_export_field(self, field: str, on: bool):
        rest = [f for f in self.export_fields if f != field]
        self.export_fields = [*rest, field] if on else rest

    @rx.event(background=True)
    async def run_export(self):
        async with self:
            if self.exporting:
                return
            self.exporting = True
            spec, fields, fmt, lang = self._spec(), list(self.export_fields), self.export_format, self.lang
            auth_token, lang, user_id = self._auth_token(), self.lang, self.user_id
            ids = self._export_selection() if self.export_scope == "selected" else None
            order = [f for f, _label in self.exportable]
            fields.sort(key=lambda f: order.index(f) if f in order else len(order))

        name = exporter.file_name(spec.entity, fmt, lang)

        def work():
            with actor_session(auth_token) as (session, actor):
                token, path = downloads.new_file(actor.id, name)
                rows = exporter.export(session, actor, spec, fields, fmt, str(path), lang, ids=ids or None)
                return downloads.url(token, name), rows

        job_id = await asyncio.to_thread(jobs.start, user_id, "export", name)
        try:
            link, rows = await asyncio.get_running_loop().run_in_executor(None, work)
            done = tr("jobs.export_done", lang, rows=fmt_number(rows))
            await asyncio.to_thread(jobs.finish, job_id, "done", done, {"download": link})
        except Exception as exc:  # noqa: BLE001
            await asyncio.to_thread(jobs.finish, job_id, "failed", failure_text(exc, lang))
            async with self:
                self.exporting = False
                if isinstance(exc, ValidationFailed):
                    return self._first_error(exc)
                return self._fail(exc)
        async with self:
            self.exporting, self.export_open = False, False
        return rx.download(url=link)
