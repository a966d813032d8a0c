"""The campaigns list (on the list machinery) and the page of one campaign: its header, members,
figures and the e-mail to every member (a background job with its progress)."""

from __future__ import annotations

import asyncio

import reflex as rx

from crm_app.i18n import tr
from crm_app.models.campaign import MEMBER_STATUSES
from crm_app.services import jobs
from crm_app.services.campaigns import campaigns, sending
from crm_app.services.errors import NotAllowed, ServiceError
from crm_app.services.formatting import fmt_date, fmt_number, fmt_vnd
from crm_app.services.lists import record_lists
from crm_app.services.lists.query import display_rows
from crm_app.services.mail import mail
from crm_app.services.records.fields import ENTITIES
from crm_app.state.campaign_form import CampaignFormMixin
from crm_app.state.confirm_delete import ConfirmDeleteMixin
from crm_app.state.job_runner import failure_text
from crm_app.state.list_state import ListStateMixin
from crm_app.state.session import SessionState

HEADER_FIELDS = ("kind", "status", "start_date", "end_date", "budget", "owner_id")


class CampaignListState(CampaignFormMixin, ListStateMixin, SessionState):
    entity = "campaign"
    detail_prefix = "/campaigns/"
    search_hint = "campaign.search_hint"


class CampaignPageState(ConfirmDeleteMixin, CampaignFormMixin, SessionState):
    """Labels are the catalog's keys here, put into words by the page (``T``) or by computed vars:
    they follow a switch of language without reading the campaign again."""

    found: bool = False
    denied: str = ""
    can_edit: bool = False
    name: str = ""
    description: str = ""
    header: list[list[str]] = []  # [label key, shown value, its catalog key when a choice ("" none)]
    members: list[dict[str, str]] = []
    figures: dict[str, str] = {}
    by_status: dict[str, int] = {}  # members per status (the chart)
    lists: list[list[str]] = []  # [id, name, kind of record, members] of the static lists the user sees
    chosen_list: str = ""
    # sending
    send_open: bool = False
    templates: list[list[str]] = []
    template_id: str = ""
    plan: dict[str, str] = {}  # the counts of a checked send ({} not checked)
    will_send: int = 0
    sending: bool = False
    send_done: int = 0
    send_total: int = 0
    send_report: str = ""

    @rx.event
    def open(self):
        raw = self.router.url.path.rstrip("/").split("/")[-1]
        self.campaign_id = int(raw) if raw.isdigit() else 0
        self.found, self.denied, self.send_open, self.form_open = False, "", False, False
        return self._reload()

    def _reload(self):
        try:
            with self._service() as (session, actor):
                campaign = campaigns.get(session, actor, self.campaign_id)
                self.can_edit = actor.edits_owner(campaign.owner_id)
                entity = ENTITIES["campaign"]
                row = display_rows(session, entity, [campaign], list(HEADER_FIELDS), self.lang)[0]
                shown = campaigns.members(session, actor, campaign.id)
                counts = campaigns.figures(session, actor, campaign.id)
                lists = [
                    [str(found.id), found.name, kind, fmt_number(n)]
                    for kind in campaigns.MEMBER_ENTITIES
                    for found, n in record_lists.visible(session, actor, kind)
                ]
        except NotAllowed as exc:
            return self._refused(exc)
        self.name, self.description = campaign.name, campaign.description
        self.header = [_header_entry(entity.field(n), row[n], getattr(campaign, n)) for n in HEADER_FIELDS]
        self.members = [
            {
                "id": str(m.id),
                "name": m.name,
                "url": f"/{m.entity}s/{m.record_id}",
                "entity": m.entity,
                "email": m.email,
                "opted_out": "1" if m.opted_out else "",
                "status": m.status,
                "mail": m.mail_status,
                "mail_error": m.mail_error,
            }
            for m in shown
        ]
        self.figures = {
            "members": fmt_number(counts.members),
            "sent": fmt_number(counts.sent),
            "failed": fmt_number(counts.failed),
            "waiting": fmt_number(counts.waiting),
            "unsubscribed": fmt_number(counts.unsubscribed),
            "responded": fmt_number(counts.responded),
            "deals": fmt_number(counts.deals),
            "won_value": fmt_vnd(counts.won_value),
            "start": fmt_date(campaign.start_date),
        }
        self.by_status = dict(counts.by_status)
        self.lists = lists
        ids = {row[0] for row in lists}
        self.chosen_list = lists[0][0] if lists and self.chosen_list not in ids else self.chosen_list
        self.found = True

    def _campaign_saved(self) -> list:
        failed = self._reload()
        return [failed] if failed else []

    @rx.var
    def member_status_options(self) -> list[list[str]]:
        return [[s, self._msg(f"member.status.{s}")] for s in MEMBER_STATUSES]

    @rx.var
    def chart(self) -> list[dict]:
        return [{"name": self._msg(f"member.status.{s}"), "count": self.by_status.get(s, 0)} for s in MEMBER_STATUSES]

    @rx.var
    def list_options(self) -> list[list[str]]:
        """[id, "name (kind of record, members)"] of the static lists offered."""
        return [[i, f"{name} ({self._msg(f'entity.{kind}')}, {n})"] for i, name, kind, n in self.lists]

    @rx.var
    def remove_question(self) -> str:
        """The confirmation of a removal names the member and the campaign."""
        name = next((m["name"] for m in self.members if m["id"] == str(self.delete_id)), "")
        return self._msg("campaign.remove_confirm", name=name, campaign=self.name)

    # --- members ---------------------------------------------------------------------------------

    @rx.event
    def set_member_status(self, member_id: str, status: str):
        with self._service() as (session, actor):
            campaigns.set_member_status(session, actor, int(member_id), status)
        self._reload()
        return rx.toast.success(self._msg("common.saved"))

    def _delete_record(self, session, actor, record_id: int) -> None:
        """A member removed from the campaign (asked first: ``ask_delete``, the page's dialog)."""
        campaigns.remove_member(session, actor, record_id)

    def _deleted_message(self) -> str:
        return self._msg("campaign.member_removed")

    def _after_delete(self) -> list:
        return self._campaign_saved()

    @rx.event
    def set_chosen_list(self, value: str):
        self.chosen_list = value

    @rx.event
    def add_list(self):
        if not self.chosen_list.isdigit():
            return
        with self._service() as (session, actor):
            added = campaigns.add_from_list(session, actor, self.campaign_id, int(self.chosen_list))
        self._reload()
        counts = {"added": len(added.added), "present": added.present, "skipped": added.skipped}
        return rx.toast.success(self._msg("campaign.added", **{k: fmt_number(v) for k, v in counts.items()}))

    # --- sending ---------------------------------------------------------------------------------

    @rx.event
    def open_send(self):
        with self._service() as (session, actor):
            campaigns.get(session, actor, self.campaign_id, change=True)
            self.templates = [[str(t.id), t.name] for t in mail.templates(session)]
        self.template_id = self.templates[0][0] if self.templates else ""
        self.plan, self.will_send, self.send_report, self.send_done, self.send_total = {}, 0, "", 0, 0
        self.send_open = True

    @rx.event
    def set_send_open(self, value: bool):
        if not self.sending:
            self.send_open = value

    @rx.event
    def set_template(self, value: str):
        self.template_id, self.plan, self.will_send = value, {}, 0

    @rx.event
    def check_send(self):
        """The counts of what sending would do (nothing is written)."""
        with self._service() as (session, actor):
            counts = sending.plan(session, actor, self.campaign_id, _int(self.template_id))
        self.will_send = counts.will_send
        self.plan = {
            "will_send": fmt_number(counts.will_send),
            "opted_out": fmt_number(counts.opted_out),
            "no_address": fmt_number(counts.no_address),
            "already": fmt_number(counts.already),
        }

    @rx.event(background=True)
    async def run_send(self):
        """Writes and delivers the messages part by part as a job, with its progress here and in
        the jobs panel; the figures are read again when it ends."""
        async with self:
            if self.sending or not self.will_send:
                return
            self.sending, self.send_done, self.send_total, self.send_report = True, 0, self.will_send, ""
            campaign_id, template_id, base = self.campaign_id, _int(self.template_id), self.router.url.origin
            user_id, lang, title = self.user_id, self.lang, self._msg("campaign.sending", name=self.name)
        failure, job_id, last = None, None, None
        try:
            with self._service() as (session, actor):
                await asyncio.to_thread(sending.plan, session, actor, campaign_id, template_id)  # refused: no job
                job_id = await asyncio.to_thread(jobs.start, user_id, "campaign_mail", title)
                steps = sending.send_steps(session, actor, campaign_id, template_id, base, job_id=job_id)
                while (step := await asyncio.to_thread(next, steps, None)) is not None:
                    last = step
                    async with self:
                        self.send_done = step.done
        except Exception as exc:  # noqa: BLE001
            failure = exc
        report = _report(last, lang) if last is not None else ""
        if job_id is not None:
            status, message = ("done", report) if failure is None else ("failed", failure_text(failure, lang))
            await asyncio.to_thread(jobs.finish, job_id, status, message)
        async with self:
            self.sending = False
            if failure is None:
                self.send_report, self.plan, self.will_send = report, {}, 0  # the counts were of before
                self._reload()
                events = rx.toast.success(report, duration=8000)
            elif isinstance(failure, ServiceError):
                events = self._fail(failure)
            else:
                raise failure
        yield events


def _header_entry(field, shown: str, value: object) -> list[str]:
    """[label key, shown value, catalog key of a built-in choice's value ("" otherwise)]."""
    choice = f"{field.choices}{value}" if field.type == "choice" and field.choices and value else ""
    return [field.label_key or f"field.{field.name}", shown or "—", choice]


def _int(value: str) -> int | None:
    return int(value) if str(value).isdigit() else None


def _report(report: sending.Report, lang: str) -> str:
    counts = {
        "sent": report.sent,
        "failed": report.failed,
        "waiting": report.waiting,
        "opted_out": report.plan.opted_out,
        "no_address": report.plan.no_address,
    }
    return tr("campaign.send_report", lang, **{k: fmt_number(v) for k, v in counts.items()})
