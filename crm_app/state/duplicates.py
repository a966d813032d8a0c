"""The duplicates page: groups of customers sharing a key, and the merge dialog."""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app import routes
from crm_app.services.customer import merge
from crm_app.services.lists import record_lists
from crm_app.state.session import SessionState


@dataclasses.dataclass
class GroupView:
    value: str
    total: int
    ids: list[str]
    members: list[dict[str, str]]


@dataclasses.dataclass
class FieldChoice:
    field: str
    label: str
    options: list[list[str]]  # [record id, the value shown]
    differs: bool


class DuplicatesState(SessionState):
    by: str = "phone"
    list_id: str = ""  # "" every customer, else one static list
    list_options: list[list[str]] = []
    groups: list[GroupView] = []
    scanned: bool = False
    merge_open: bool = False
    merge_ids: list[str] = []
    survivor: str = ""
    choices: dict[str, str] = {}
    field_rows: list[FieldChoice] = []
    preview: list[list[str]] = []
    members: list[dict[str, str]] = []
    from_list: bool = False  # the merge was asked for from the customer list's selection

    @rx.event
    def open(self):
        self.merge_open, self.from_list = False, False
        wanted = [i for i in self.router.url.query_parameters.get("merge", "").split(",") if i.isdigit()]
        if wanted:  # /duplicates?merge=1,2,3: the dialog on those, back to the list when done
            self.from_list = True
            self._start_merge(wanted)
            return
        return self.scan()

    @rx.event
    def set_by(self, value: str):
        self.by = value
        return self.scan()

    @rx.event
    def set_list(self, value: str):
        self.list_id = value if value.isdigit() else ""
        return self.scan()

    @rx.event
    def scan(self):
        with self._service() as (session, actor):
            self.list_options = [
                [str(rl.id), f"{rl.name} ({n})"] for rl, n in record_lists.visible(session, actor, "customer")
            ]
            found = merge.duplicate_groups(session, actor, self.by, list_id=int(self.list_id) if self.list_id else None)
        self.groups = [
            GroupView(
                g.value,
                len(g.members),
                [str(m["id"]) for m in g.members],
                [{k: str(v) for k, v in m.items()} for m in g.members],
            )
            for g in found
        ]
        self.scanned = True

    def _load_merge(self):
        ids = [int(i) for i in self.merge_ids]
        choices = {f: int(src) for f, src in self.choices.items() if src and int(src) != int(self.survivor)}
        with self._service() as (session, actor):
            snaps = merge.candidates(session, actor, ids)
            shown = merge.display(session, snaps, self.lang)
            merged = merge.merged_values(snaps, int(self.survivor), choices)
        self.members = [{"id": str(i), "code": shown[i]["code"], "name": shown[i]["full_name"]} for i in ids]
        rows = []
        for f in merge.choosable_fields():
            values = [[str(i), shown[i][f]] for i in ids]
            if not any(v for _, v in values):
                continue
            rows.append(FieldChoice(f, self._msg(f"field.{f}"), values, len({v for _, v in values}) > 1))
        self.field_rows = rows
        source = {f: int(self.choices.get(f) or self.survivor) for f in merge.choosable_fields()}
        self.preview = [
            [self._msg(f"field.{f}"), shown[source[f]][f]] for f in merge.choosable_fields() if shown[source[f]][f]
        ]
        combined = [
            ("field.phones", ", ".join(merged["phones"])),
            ("field.tags", ", ".join(merged["tags"])),
            ("field.description", merged["description"]),
        ]
        self.preview += [[self._msg(key), text] for key, text in combined if text]

    def _propose_choices(self) -> None:
        with self._service() as (session, actor):
            snaps = merge.candidates(session, actor, [int(i) for i in self.merge_ids])
        self.choices = {f: str(i) for f, i in merge.fill_empty(snaps, int(self.survivor)).items()}

    @rx.event
    def open_merge(self, ids: list[str]):
        self._start_merge(ids)

    def _start_merge(self, ids: list[str]) -> None:
        self.merge_ids, self.survivor = list(ids), ids[0]
        self._propose_choices()
        self._load_merge()
        self.merge_open = True

    @rx.event
    def set_merge_open(self, value: bool):
        self.merge_open = value
        if not value and self.from_list:
            return rx.redirect(routes.CUSTOMERS)

    @rx.event
    def set_survivor(self, value: str):
        self.survivor = value
        self._propose_choices()
        self._load_merge()

    @rx.event
    def choose(self, field: str, record_id: str):
        self.choices = {**self.choices, field: record_id}
        self._load_merge()

    @rx.event
    def confirm_merge(self):
        ids = [int(i) for i in self.merge_ids]
        choices = {f: int(src) for f, src in self.choices.items() if src and int(src) != int(self.survivor)}
        with self._service() as (session, actor):
            kept = merge.merge(session, actor, ids, int(self.survivor), choices)
            code = kept.code
        self.merge_open = False
        done = rx.toast.success(self._msg("merge.done", count=len(ids) - 1, code=code))
        if self.from_list:
            return [done, rx.redirect(routes.customer_url(int(self.survivor)))]
        self.scan()
        return done
