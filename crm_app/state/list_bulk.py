"""A list page's selection and the bulk actions run on it."""

from __future__ import annotations

import asyncio

import reflex as rx

from crm_app.i18n import tr
from crm_app.services import jobs
from crm_app.services.campaigns import campaigns
from crm_app.services.errors import ServiceError, ValidationFailed
from crm_app.services.formatting import fmt_number
from crm_app.services.lists import bulk
from crm_app.state.events import non_empty
from crm_app.state.job_runner import failure_text


class SelectionBulkMixin(rx.State, mixin=True):
    """Part of ListStateMixin: the rows ticked and the bulk actions on them."""

    # selection and bulk actions
    selected_ids: list[str] = []
    all_matching: bool = False
    bulk_open: bool = False
    bulk_kind: str = "add_tags"
    bulk_field: str = ""
    bulk_mode: str = "replace"
    bulk_value: str = ""
    bulk_running: bool = False
    bulk_done: int = 0
    bulk_total: int = 0
    bulk_report: str = ""
    bulk_target: str = ""  # what the action runs on ("3 selected"), kept while the list reloads
    campaign_options: list[list[str]] = []  # the campaigns "Chọn vào chiến dịch" may add to
    new_campaign: str = ""  # the name of a campaign made from that dialog ("Thêm nhanh chiến dịch")

    # --- selection ---------------------------------------------------------------------------

    @rx.event
    def toggle_row(self, row_id: str):
        if not row_id.isdigit():
            return
        self.all_matching = False
        if row_id in self.selected_ids:
            self.selected_ids.remove(row_id)
        else:
            self.selected_ids.append(row_id)

    @rx.event
    def toggle_page(self, checked: bool):
        self.all_matching = False
        self.selected_ids = [r["id"] for r in self.rows] if checked else []

    @rx.event
    def select_all_matching(self):
        self.all_matching = True
        self.selected_ids = [r["id"] for r in self.rows]

    @rx.event
    def clear_selection(self):
        self.selected_ids, self.all_matching = [], False

    @rx.var
    def page_selected(self) -> bool:
        return bool(self.rows) and all(r["id"] in self.selected_ids for r in self.rows)

    @rx.var
    def selection_label(self) -> str:
        n = self.total if self.all_matching else len(self.selected_ids)
        more = "+" if self.all_matching and self.total_capped else ""
        return tr("bulk.selected", self.lang, n=f"{fmt_number(n)}{more}")

    @rx.var
    def select_all_label(self) -> str:
        more = "+" if self.total_capped else ""
        return tr("bulk.select_all_matching", self.lang, n=f"{fmt_number(self.total)}{more}")

    @rx.var
    def bulk_percent(self) -> int:
        return int(self.bulk_done * 100 / self.bulk_total) if self.bulk_total else 0

    # --- bulk actions ------------------------------------------------------------------------

    @rx.event
    def open_bulk(self, kind: str):
        if kind not in bulk.ACTIONS:
            return
        self.bulk_kind, self.bulk_mode, self.bulk_value, self.bulk_report = kind, "replace", "", ""
        self.bulk_done, self.bulk_total = 0, 0
        n = self.total if self.all_matching else len(self.selected_ids)
        more = "+" if self.all_matching and self.total_capped else ""
        self.bulk_target = tr("bulk.selected", self.lang, n=f"{fmt_number(n)}{more}")
        self.bulk_field = self.bulk_fields[0][0] if self.bulk_fields else ""
        if kind in ("add_to_list", "remove_from_list") and self.list_options:
            self.bulk_value = self.list_options[0][0]
        if kind == "add_to_campaign":
            self._read_campaigns()
            self.bulk_value = self.campaign_options[0][0] if self.campaign_options else ""
            self.new_campaign = ""
        # the new owner is chosen, never preselected: a click on "run" must not give the rows to someone
        self._bulk_opened(kind)
        self.bulk_open = True

    def _read_campaigns(self) -> None:
        with self._service() as (session, actor):
            self.campaign_options = [[str(i), name] for i, name in campaigns.choices(session, actor)]

    @rx.event
    def set_new_campaign(self, value: str):
        self.new_campaign = value

    @rx.event
    def quick_campaign(self):
        """A campaign made from the dialog, active, and chosen (seed 002 §4.3 "Thêm nhanh chiến dịch")."""
        try:
            with self._service() as (session, actor):
                made = campaigns.create(session, actor, {"name": self.new_campaign, "status": "active"})
                made_id, name = made.id, made.name
        except ValidationFailed as exc:
            return self._first_error(exc)
        self._read_campaigns()
        self.bulk_value, self.new_campaign = str(made_id), ""
        return rx.toast.success(self._msg("campaign.created", name=name))

    def _bulk_opened(self, kind: str) -> None:
        """What a list's own bulk action reads when its dialog opens (generation: its choices)."""

    def _bulk_field_label(self, name: str) -> str:
        """The label a refused value of the bulk dialog is named by (a list's own action: its own)."""
        return self.field_labels.get(name) or self._msg(f"field.{name}")

    def _bulk_action_value(self) -> object:
        """The value of the bulk action as the dialog holds it (a list's own action: its own)."""
        if self.bulk_kind == "update_field" and self.field_types.get(self.bulk_field) == "multichoice":
            return [v.strip() for v in self.bulk_value.split(",") if v.strip()]
        return self.bulk_value

    @rx.event
    def close_bulk(self):
        if not self.bulk_running:
            self.bulk_open = False

    @rx.event
    def set_bulk_field(self, value: str):
        self.bulk_field, self.bulk_value = value, ""
        if value in self.bulk_required and self.bulk_mode != "replace":
            self.bulk_mode = "replace"

    @rx.event
    def set_bulk_mode(self, value: str):
        self.bulk_mode = value

    @rx.event
    def set_bulk_value(self, value: str):
        self.bulk_value = value

    def _bulk_selection(self) -> bulk.Selection:
        """The rows ticked, or every record of the list as filtered."""
        if self.all_matching:
            return bulk.Selection(spec=self._spec())
        return bulk.Selection(ids=[int(i) for i in self.selected_ids])

    def _bulk_request(self) -> tuple[bulk.Selection, bulk.Action]:
        value = self._bulk_action_value()
        action = bulk.Action(kind=self.bulk_kind, field=self.bulk_field, mode=self.bulk_mode, value=value)
        return self._bulk_selection(), action

    @rx.event(background=True)
    async def run_bulk(self):
        """Runs the bulk action chunk by chunk, updating the progress bar, then reports the counts."""
        async with self:
            if self.bulk_running:
                return
            self.bulk_running, self.bulk_done, self.bulk_total, self.bulk_report = True, 0, 0, ""
            selection, action = self._bulk_request()
            title = self._msg(f"bulk.{action.kind}")
            if action.kind == "update_field":
                title += f": {self.field_labels.get(action.field, action.field)}"
            user_id, lang = self.user_id, self.lang
        failure, job_id = None, None
        result = bulk.Result()
        try:
            with self._service() as (session, actor):
                # what was chosen is checked first: a refused choice is said here, and is no job
                await asyncio.to_thread(bulk.plan, session, actor, self.entity, action)
                job_id = await asyncio.to_thread(jobs.start, user_id, "bulk", title)
                steps = bulk.run_steps(session, actor, self.entity, selection, action, job_id=job_id)
                while (step := await asyncio.to_thread(next, steps, None)) is not None:
                    result = step
                    async with self:
                        self.bulk_done, self.bulk_total = step.done, step.total
        except Exception as exc:  # noqa: BLE001
            failure = exc
        if job_id is not None and failure is None:
            await asyncio.to_thread(jobs.finish, job_id, "done", _report(action.kind, result, lang))
        elif job_id is not None:
            await asyncio.to_thread(jobs.finish, job_id, "failed", failure_text(failure, lang))
        async with self:
            self.bulk_running = False
            if failure is not None:
                if isinstance(failure, ValidationFailed):  # "Đánh giá: Phải từ 0 đến 5"
                    name, (key, params) = next(iter(failure.errors.items()))
                    label = self._bulk_field_label(name)
                    events = rx.toast.error(f"{label}: {self._msg(key, **params)}")
                else:
                    events = self._fail(failure) if isinstance(failure, ServiceError) else None
            else:
                self.bulk_report = _report(action.kind, result, self.lang)
                self._load_fields_quietly()
                events = non_empty(rx.toast.success(self.bulk_report, duration=8000), self._reload())
        if failure is not None and not isinstance(failure, ServiceError):
            raise failure
        yield events


def _report(kind: str, result: bulk.Result, lang: str) -> str:
    """The counts of a finished run as the user reads them (a generation counts what it made)."""
    key = f"bulk.report_{kind}" if kind in (*bulk.CUSTOMER_ONLY, "add_to_campaign") else "bulk.report"
    counts = {k: fmt_number(getattr(result, k)) for k in ("changed", "unchanged", "skipped")}
    return tr(key, lang, **counts)
