"""A list's "Chạy tự động": an automation rule chosen for the selection, previewed (what it would
change, by the run itself rolled back), then run as a background job with progress and a report
(services.automation.runner writes the log)."""

from __future__ import annotations

import asyncio

import reflex as rx

from crm_app.db import get_engine
from crm_app.i18n import tr
from crm_app.services import jobs
from crm_app.services.automation import rules, runner
from crm_app.services.errors import ServiceError, ValidationFailed
from crm_app.services.formatting import fmt_number
from crm_app.state.events import non_empty
from crm_app.state.job_runner import failure_text


class RuleRunMixin(rx.State, mixin=True):
    """Mixed into the list states of the entities rules exist for (customers, contacts, leads,
    deals), with their SelectionBulkMixin."""

    rr_open: bool = False
    rr_rules: list[list[str]] = []  # [id, name] of the active rules of the list's entity
    rr_rule: str = ""
    rr_counts: str = ""  # the preview's counts ("" : not previewed yet)
    rr_actions: list[str] = []  # what each action would change
    rr_rows: list[dict[str, str]] = []  # the first changes, as the History tab shows them
    rr_running: bool = False
    rr_done: int = 0
    rr_total: int = 0
    rr_report: str = ""

    @rx.var
    def rr_percent(self) -> int:
        return int(self.rr_done * 100 / self.rr_total) if self.rr_total else 0

    def _rr_reset(self) -> None:
        self.rr_counts, self.rr_actions, self.rr_rows, self.rr_report = "", [], [], ""
        self.rr_done, self.rr_total = 0, 0

    @rx.event
    def open_rule_run(self):
        with self._service() as (session, _actor):
            self.rr_rules = [[str(r.id), r.name] for r in rules.runnable(session, self.entity)]
        self.rr_rule = self.rr_rules[0][0] if self.rr_rules else ""
        self._rr_reset()
        n = self.total if self.all_matching else len(self.selected_ids)
        more = "+" if self.all_matching and self.total_capped else ""
        self.bulk_target = self._msg("bulk.selected", n=f"{fmt_number(n)}{more}")
        self.rr_open = True

    @rx.event
    def close_rule_run(self):
        if not self.rr_running:
            self.rr_open = False

    @rx.event
    def set_rr_rule(self, value: str):
        self.rr_rule = value
        self._rr_reset()

    def _rr_refusal(self, exc: ServiceError):
        if isinstance(exc, ValidationFailed):
            return self._first_error(exc)
        return self._fail(exc)

    def _rule_name(self) -> str:
        return next((name for i, name in self.rr_rules if i == self.rr_rule), "")

    @rx.event
    def preview_rule(self):
        if not self.rr_rule.isdigit():
            return None
        with self._service() as (_session, actor):
            pass  # who asks, checked; the preview runs on a connection of its own
        try:
            shown = runner.preview(
                get_engine(), actor, int(self.rr_rule), self.entity, self._bulk_selection(), self.lang
            )
        except ServiceError as exc:
            return self._rr_refusal(exc)
        report = shown.report
        self.rr_counts = self._msg("automation.preview_counts", **_counts(report))
        self.rr_actions = [
            self._msg("automation.preview_action", action=self._msg(f"automation.action.{kind}"), n=fmt_number(n))
            for kind, n in zip(shown.kinds, report.per_action, strict=True)
        ]
        self.rr_rows = shown.rows
        return None

    @rx.event(background=True)
    async def run_rule(self):
        async with self:
            if self.rr_running or not self.rr_rule.isdigit():
                return
            self.rr_running, self.rr_done, self.rr_total, self.rr_report = True, 0, 0, ""
            selection, rule_id, name = self._bulk_selection(), int(self.rr_rule), self._rule_name()
            user_id, lang, entity = self.user_id, self.lang, self.entity
        title = tr("automation.by_rule", lang, name=name)
        failure = None
        report = runner.Report()
        job_id = await asyncio.to_thread(jobs.start, user_id, "bulk", title)
        try:
            with self._service() as (session, actor):
                steps = runner.run_logged(session, actor, rule_id, entity, selection, job_id=job_id)
                while (step := await asyncio.to_thread(next, steps, None)) is not None:
                    report = step
                    async with self:
                        self.rr_done, self.rr_total = step.done, step.total
        except Exception as exc:  # noqa: BLE001
            failure = exc
        text = _report_text(lang, name, report)
        if failure is None:
            await asyncio.to_thread(jobs.finish, job_id, "done", text)
        else:
            await asyncio.to_thread(jobs.finish, job_id, "failed", failure_text(failure, lang))
        async with self:
            self.rr_running = False
            if failure is not None:
                events = self._rr_refusal(failure) if isinstance(failure, ServiceError) else None
            else:
                self.rr_report = text
                events = non_empty(rx.toast.success(text, duration=8000), self._reload())
        if failure is not None and not isinstance(failure, ServiceError):
            raise failure
        yield events


def _counts(report: runner.Report) -> dict[str, str]:
    return {k: fmt_number(getattr(report, k)) for k in ("selected", "matched", "changed", "skipped", "failed")}


def _report_text(lang: str, name: str, report: runner.Report) -> str:
    return tr("automation.report", lang, name=name, **_counts(report))
