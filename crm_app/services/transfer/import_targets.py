"""What can be imported: one ImportTarget per entity, registered in TARGETS.

A target says which fields a file may fill (with the header names people use), which
are required, by which keys a row matches an existing record, and how its records are
cleaned (the entity's own form cleaner), found, written in bulk, read back and removed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.i18n import tr
from crm_app.models import (
    ContactNameKey,
    Customer,
    CustomerNameKey,
    CustomerPhone,
    ImportRunItem,
    Lead,
    NameWord,
    RecordList,
    RecordListMember,
    User,
)
from crm_app.models._base import utcnow
from crm_app.models.customer import DEFAULT_COUNTRY, KINDS, STATUSES
from crm_app.models.lead import LEAD_KINDS
from crm_app.models.pipeline import RANK_GAP
from crm_app.models.search_keys import drop_trigger_ddl, trigger_ddl, word_mask
from crm_app.services.bulk_insert import insert_many
from crm_app.services.customer import contacts, customers
from crm_app.services.normalize import normalize_email, normalize_name, normalize_phone
from crm_app.services.people.permissions import Actor
from crm_app.services.pipeline import leads
from crm_app.services.records import audit, catalogs, custom_fields, record_service
from crm_app.services.records.fields import CATALOG_OF, ENTITIES, FieldDef
from crm_app.services.records.record_service import RecordKind

LOOKUP_BATCH = 5_000
WRITE_BATCH = 5_000
# Columns of values a record has no field for (a vCard's extra phones and e-mails): kept in the
# description under their header.
OTHER_EMAILS = ("Other emails", "Email khác")
OTHER_PHONES = ("Other phones", "Điện thoại khác")
# what a contact card or a sheet tells of a person that a contact has no field for
PERSONAL = ("Địa chỉ", "Address", "Quốc gia", "Country", "Ngày sinh", "Birthday", "Giới tính", "Gender", "Website")
CONTACT_KEPT = (*OTHER_PHONES, *OTHER_EMAILS, *PERSONAL)
LEAD_KEPT = (*OTHER_PHONES, *OTHER_EMAILS, *PERSONAL)
CUSTOMER_KEPT = (*OTHER_EMAILS, "Chức vụ", "Chức danh", "Title", "Job title")
ALL_KEYS = ("name_phone", "name_email", "email", "phone", "tax_code", "code")


@dataclass(frozen=True)
class ImportField:
    name: str  # the key in the entity's form data
    kind: str  # text, phones, phone, email, date, bool, gender, number, money, choice, catalog, user, tags, customer
    synonyms: tuple[str, ...]
    required: bool = False
    multi: bool = False  # several columns may fill it (joined)
    choices: str = ""  # choice: message prefix of the labels; catalog: the catalog kind
    match_only: bool = False  # read to match records (code), never written
    custom_id: int = 0  # an admin's custom field (services.import_custom): its id, label and options
    label: str = ""
    options: tuple[str, ...] = ()
    # Headers of columns kept under their header in a text field ("Other e-mails: …" in the
    # description): what has no field of its own is not lost.
    kept_as: tuple[str, ...] = ()

    @property
    def label_key(self) -> str:
        return f"field.{self.name}"

    @property
    def headers(self) -> tuple[str, ...]:
        return (*self.synonyms, *self.kept_as)


def import_kind(f: FieldDef) -> str:
    """How a cell of a registry field is read: its type, an e-mail or a phone by its shadow, the
    gender by its words (Nam / Nữ)."""
    if f.name == "gender":
        return "gender"
    if f.type == "text" and f.norm in ("email", "phone"):
        return f.norm
    if f.places:  # read by the record's cleaner: a ward is one of the row's province
        return "text"
    return f.type


def import_fields(
    entity: str, required: tuple[str, ...] = ("full_name",), match_only: tuple[str, ...] = (), kept_as=()
) -> tuple[ImportField, ...]:
    """An entity's importable fields: those of its registry with header names (services.records.
    fields), read as their type says. ``required``: what a row must give (the rest has defaults);
    ``match_only``: read to find a record, never written (a code); ``kept_as``: headers of columns
    kept in the description under their name."""
    return tuple(
        ImportField(
            f.name,
            import_kind(f),
            f.headers,
            required=f.name in required,
            multi=f.type in ("phones", "tags") or f.name == "description",
            choices=CATALOG_OF.get(f.name, "") if f.type == "catalog" else f.choices or "",
            match_only=f.name in match_only,
            kept_as=kept_as if f.name == "description" else (),
        )
        for f in ENTITIES[entity].fields
        if f.headers
    )


class Lookups:
    """Values a file names by text (catalog labels, users, choices), read once per import."""

    def __init__(self, session: Session) -> None:
        self.catalog: dict[str, dict[str, int]] = {}
        for kind in ("category", "source"):
            table: dict[str, int] = {}
            for item in catalogs.items(session, kind, active_only=False):
                # "Đầu mối" in an older file is the segment now named "Tệp đầu mối"
                for text in (item.code, item.label_vi, item.label_en, item.label_vi.removeprefix("Tệp ")):
                    table.setdefault(normalize_name(text), item.id)
            self.catalog[kind] = table
        self.catalog_ids = {kind: set(table.values()) for kind, table in self.catalog.items()}
        self.catalog_kinds = customers.catalog_kinds_of(session)
        self.users: dict[str, int] = {}
        self.user_names: dict[int, str] = {}  # how a refusal names the person a row assigns
        for uid, username, email, full_name in session.exec(
            select(User.id, User.username, User.email, User.full_name).where(User.active == sa.true())
        ).all():
            self.user_names[uid] = full_name or username
            for text in (username, email, full_name):
                self.users.setdefault(normalize_name(text), uid)

        self._choices: dict[str, dict[str, str]] = {}
        self.memo: dict = {}  # the form cleaner's memo across the file's rows

    def choice(self, prefix: str, allowed: tuple[str, ...], text: str) -> str:
        norm = normalize_name(text)
        if not norm:
            return ""
        table = self._choices.get(prefix)
        if table is None:
            table = {}
            for code in allowed:
                for name in (code, tr(prefix + code, "vi"), tr(prefix + code, "en")):
                    table.setdefault(normalize_name(name), code)
            self._choices[prefix] = table
        if norm in table:
            return table[norm]
        raise ValueError("err.invalid_choice")


def name_keys(name_norm: str) -> list[tuple[str, bool, str]]:
    """The search keys of a name as the triggers of models.search_keys write them: the name from
    each word start, the first one marked, and the words before it, each after a space."""
    if not name_norm:
        return []
    starts = [0] + [i + 1 for i, ch in enumerate(name_norm) if ch == " "]
    return [(name_norm[i:], i == 0, f" {name_norm[: i - 1]}" if i else "") for i in starts]


BLOCKING_NAMED = 3  # the records blocking an undo that its refusal names
# how a blocking record is named (a note by the start of its text)
_NAME_COLUMNS = ("full_name", "name", "title", "subject", "code", "body")

# Rows written and removed with a record: no other record depends on them.
ROWS_OF_THE_RECORD = frozenset({"customerphone", "customertag", "customer_name_key", "contact_name_key"})


@contextmanager
def keys_written_here(session: Session):
    """SQLite: while many rows are inserted, the search-key triggers are set aside inside the
    transaction (DDL is transactional there, and this transaction holds the write lock) and the
    inserts write the keys themselves; the triggers are back before the transaction ends.
    Yields whether the caller must write the keys (False on other databases: the triggers stay)."""
    dialect = session.get_bind().dialect.name
    if dialect != "sqlite":
        yield False
        return
    for stmt in drop_trigger_ddl(dialect):
        session.execute(sa.text(stmt))
    yield True
    for stmt in trigger_ddl(dialect):
        session.execute(sa.text(stmt))


def _write_keys(session: Session, key_table, fk: str, rows: list[dict]) -> None:
    has_org = hasattr(key_table, "org")  # a customer's keys copy whether it is an organisation
    keys = []
    for r in rows:
        record = {fk: r["id"], "owner_id": r["owner_id"], "archived": False, "word_mask": word_mask(r["name_norm"])}
        if has_org:
            record["org"] = (r.get("kind") or "individual") != "individual"
        keys += [record | {"term": t, "is_first": first, "head": head} for t, first, head in name_keys(r["name_norm"])]
    if keys:
        insert_many(session, key_table.__table__, keys)
    words = sorted({w for r in rows for w in r["name_norm"].split(" ") if w})
    if words:
        insert_many(session, NameWord.__table__, [{"word": w} for w in words], or_ignore=True)


class ImportTarget:
    """The base of every target; subclasses fill in the entity's specifics."""

    kind: RecordKind = None  # type: ignore[assignment]  # how its records are written
    fields: tuple[ImportField, ...] = ()
    keys: tuple[str, ...] = ()  # the duplicate keys a user may choose
    default_keys: tuple[str, ...] = ()
    rule_keys: tuple[str, ...] = ()  # keys always checked (the entity's duplicate rule)

    @property
    def entity(self) -> str:
        return self.kind.entity

    @property
    def model(self) -> type:
        return self.kind.model

    def field(self, name: str) -> ImportField | None:
        return next((f for f in self.fields if f.name == name), None)

    def choice_codes(self, f: ImportField) -> tuple[str, ...]:
        return ()

    def clean(self, session: Session, data: dict, lookups: Lookups, stored: dict | None = None) -> dict:
        """The entity's own cleaner; ``stored``: the matched record's snapshot, for an update."""
        raise NotImplementedError

    def new_record_defaults(self, values: dict) -> None:
        """Defaults a new record takes where the file left a field empty."""

    def update_problem(self, before: dict, after: dict) -> tuple[str, str, dict] | None:
        """Why a matched record may not take these values ((field, message key, params)), if so."""
        return None

    def key_values(self, values: dict, keys: Iterable[str]) -> dict[str, list[str]]:
        """The normalised values of a clean row for each duplicate key (several phones: several)."""
        raise NotImplementedError

    def key_queries(self, base_key: str) -> list[tuple[sa.ColumnElement, sa.Select]]:
        """(column holding a key's values, a select of (that column, record id, name_norm))."""
        raise NotImplementedError

    def find(self, session: Session, key: str, wanted: list[str]) -> dict[str, set[int]]:
        """The stored records holding each wanted key value ("name|value" for name_* keys), in
        one query per 5,000 values and column."""
        found: dict[str, set[int]] = {}
        with_name = key.startswith("name_")
        values = sorted({w.split("|", 1)[1] if with_name else w for w in wanted})
        for column, stmt in self.key_queries(key.removeprefix("name_")):
            for chunk in _chunks(values, LOOKUP_BATCH):
                for value, rid, name in session.execute(stmt.where(column.in_(chunk))):
                    found.setdefault(f"{name}|{value}" if with_name else value, set()).add(rid)
        return found

    def owners_and_codes(self, session: Session, ids: Iterable[int]) -> dict[int, tuple[int | None, str]]:
        m = self.model
        out: dict[int, tuple[int | None, str]] = {}
        for chunk in _chunks(sorted(set(ids)), LOOKUP_BATCH):
            code_col = m.code if hasattr(m, "code") else m.full_name
            for rid, owner, code in session.execute(sa.select(m.id, m.owner_id, code_col).where(m.id.in_(chunk))):
                out[rid] = (owner, code)
        return out

    def described(self, session: Session, ids: Iterable[int]) -> dict[int, str]:
        """How the review names stored records: "KH000123 Nguyễn Văn An", or the name alone."""
        m = self.model
        code = m.code if hasattr(m, "code") else sa.literal("")
        out: dict[int, str] = {}
        for chunk in _chunks(sorted(set(ids)), LOOKUP_BATCH):
            for rid, c, name in session.execute(sa.select(m.id, code, m.full_name).where(m.id.in_(chunk))):
                out[rid] = f"{c} {name}".strip()
        return out

    def snapshots(self, session: Session, ids: list[int]) -> dict[int, dict]:
        return record_service.snapshots(session, self.kind, ids)

    def insert(
        self, session: Session, actor: Actor, rows: list[dict], first_id: int, note: str, write_keys: bool = False
    ) -> None:
        """Insert clean rows with ids from ``first_id``; ``write_keys``: the search-key triggers are
        set aside (keys_written_here) and the keys are written here."""
        raise NotImplementedError

    def update(
        self, session: Session, actor: Actor, changes: list[tuple[int, dict, dict]], note: str | None = None
    ) -> None:
        """``changes``: (id, before snapshot, new values); ``note``: the file they came from."""
        record_service.update_many(session, self.kind, actor, changes, note)

    def blocked_removal(self, session: Session, ids: list[int], named: list[str] | None = None) -> dict[str, int]:
        """What other records refer to these (an undo must not remove them): every foreign key
        to the table but the rows written with a record (phones, tags, search keys), counted
        by the referring table; a reference from another of these records is none. ``named``
        receives the names of the first BLOCKING_NAMED of them, so that the user can find them."""
        table, created, found = self.model.__table__, set(ids), {}
        for other in table.metadata.sorted_tables:
            if other.name in ROWS_OF_THE_RECORD:
                continue
            for fk in other.foreign_keys:
                if fk.column.table is not table:
                    continue
                name_col = next((other.c[n] for n in _NAME_COLUMNS if n in other.c), other.c.id)
                for chunk in _chunks(ids, LOOKUP_BATCH):
                    refs = session.execute(sa.select(other.c.id, name_col).where(fk.parent.in_(chunk))).all()
                    refs = [(rid, name) for rid, name in refs if other is not table or rid not in created]
                    if refs:
                        found[other.name] = found.get(other.name, 0) + len(refs)
                    if named is not None:
                        named += [str(name)[:40] for _rid, name in refs[: BLOCKING_NAMED - len(named)]]
        return found

    def remove(self, session: Session, ids: list[int]) -> None:
        """Delete created records (undo), with their list memberships (record ids carry no foreign key)."""
        lists = sa.select(RecordList.id).where(RecordList.entity == self.entity)
        for chunk in _chunks(ids, LOOKUP_BATCH):
            session.execute(
                sa.delete(RecordListMember).where(
                    RecordListMember.record_id.in_(chunk), RecordListMember.list_id.in_(lists)
                )
            )
            session.execute(sa.delete(self.model).where(self.model.id.in_(chunk)))
            custom_fields.delete_values(session, self.entity, chunk)

    def reserve_ids(self, session: Session, n: int) -> int:
        """The first of ``n`` consecutive new ids. SQLite: ids never given before to this kind of
        record (record_service.new_ids; the caller holds the write lock). PostgreSQL: the
        sequence is moved past the block in a short transaction of its own, with the table
        locked only for that moment (an insert elsewhere waits for it, then draws its id after
        the block); the import's own transaction then holds no table lock, so other users'
        saves never wait for it."""
        table = self.model.__table__
        if session.get_bind().dialect.name != "postgresql":
            return record_service.new_ids(session, self.kind, n) or 1  # no rows: no ids taken
        seq = f"pg_get_serial_sequence('{table.name}', 'id')"
        with session.get_bind().engine.begin() as conn:
            conn.execute(sa.text(f"LOCK TABLE {table.name} IN EXCLUSIVE MODE"))
            first = conn.execute(
                sa.text(
                    f"SELECT GREATEST(COALESCE(MAX(id), 0), COALESCE(pg_sequence_last_value({seq}::regclass), 0)) + 1 "
                    f"FROM {table.name}"
                )
            ).scalar_one()
            if n:  # nothing to reserve: an empty table's sequence cannot be set to 0
                conn.execute(sa.text(f"SELECT setval({seq}, :last, true)"), {"last": first + n - 1})
        return int(first)


def _person_keys(values: dict, keys: Iterable[str], phones: list[str]) -> dict[str, list[str]]:
    """Key values from a row's normalised phones, its name and e-mail (and code, tax code)."""
    name = normalize_name(values["full_name"])
    email = normalize_email(values["email"])
    out: dict[str, list[str]] = {}
    for key in keys:
        if key == "phone":
            out[key] = phones
        elif key == "name_phone":
            out[key] = [f"{name}|{p}" for p in phones]
        elif key in ("email", "name_email"):
            out[key] = [] if not email else [email] if key == "email" else [f"{name}|{email}"]
        else:
            out[key] = [values[key]] if values.get(key) else []
    return out


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


# --- customers ----------------------------------------------------------------------------------


class CustomerTarget(ImportTarget):
    kind = customers.KIND
    fields = import_fields("customer", match_only=("code",), kept_as=CUSTOMER_KEPT)
    keys = ALL_KEYS
    default_keys = ("name_phone", "name_email")
    rule_keys = ("name_phone", "name_email")

    def choice_codes(self, f: ImportField) -> tuple[str, ...]:
        return {"kind": KINDS, "status": STATUSES}.get(f.name, ())

    def new_record_defaults(self, values: dict) -> None:
        values["country"] = values["country"] or DEFAULT_COUNTRY

    def clean(self, session: Session, data: dict, lookups: Lookups, stored: dict | None = None) -> dict:
        values = customers.clean(session, data, lookups.catalog_kinds, lookups.memo, stored)
        values["code"] = str(data.get("code") or "").strip().upper()
        return values

    def key_values(self, values: dict, keys: Iterable[str]) -> dict[str, list[str]]:
        phones = [p for p in (normalize_phone(x) for x in values["phones"]) if p]
        return _person_keys(values, keys, phones)

    def key_queries(self, base_key: str) -> list[tuple[sa.ColumnElement, sa.Select]]:
        if base_key == "phone":
            column = CustomerPhone.number_norm
            return [
                (
                    column,
                    sa.select(column, Customer.id, Customer.name_norm).join_from(
                        CustomerPhone, Customer, CustomerPhone.customer_id == Customer.id
                    ),
                )
            ]
        column = {"email": Customer.email_norm, "tax_code": Customer.tax_code, "code": Customer.code}[base_key]
        return [(column, sa.select(column, Customer.id, Customer.name_norm))]

    def insert(
        self, session: Session, actor: Actor, rows: list[dict], first_id: int, note: str, write_keys: bool = False
    ) -> None:
        records = record_service.insert_new(session, self.kind, actor, rows, first_id, note)
        if write_keys:
            _write_keys(session, CustomerNameKey, "customer_id", records)


# --- contacts -----------------------------------------------------------------------------------


class PersonKeysTarget(ImportTarget):
    """Matching by the person's name, phone, mobile and e-mail shadow columns (contacts, leads)."""

    keys = ("name_phone", "name_email", "email", "phone")

    def key_values(self, values: dict, keys: Iterable[str]) -> dict[str, list[str]]:
        phones = [p for p in (normalize_phone(values["phone"]), normalize_phone(values["mobile"])) if p]
        return _person_keys(values, keys, phones)

    def key_queries(self, base_key: str) -> list[tuple[sa.ColumnElement, sa.Select]]:
        m = self.model
        columns = [m.email_norm] if base_key == "email" else [m.phone_norm, m.mobile_norm]
        return [(col, sa.select(col, m.id, m.name_norm)) for col in columns]


class ContactTarget(PersonKeysTarget):
    kind = contacts.KIND
    fields = import_fields("contact", kept_as=CONTACT_KEPT)
    default_keys = ("name_phone", "name_email")
    rule_keys = ()

    def clean(self, session: Session, data: dict, lookups: Lookups, stored: dict | None = None) -> dict:
        return contacts.clean(data, session, lookups.memo, stored)

    def insert(
        self, session: Session, actor: Actor, rows: list[dict], first_id: int, note: str, write_keys: bool = False
    ) -> None:
        records = record_service.insert_new(session, self.kind, actor, rows, first_id, note)
        if write_keys:
            _write_keys(session, ContactNameKey, "contact_id", records)


# --- leads --------------------------------------------------------------------------------------


class LeadTarget(PersonKeysTarget):
    kind = leads.KIND
    fields = import_fields("lead", kept_as=LEAD_KEPT)
    default_keys = ("phone", "email")
    rule_keys = ()

    def choice_codes(self, f: ImportField) -> tuple[str, ...]:
        # "converted" is reached by converting a lead only
        return {"kind": LEAD_KINDS, "status": leads.OPEN_STATUSES}.get(f.name, ())

    def clean(self, session: Session, data: dict, lookups: Lookups, stored: dict | None = None) -> dict:
        return leads.clean(session, data, lookups.catalog_ids["source"], lookups.memo, stored)

    def update_problem(self, before: dict, after: dict) -> tuple[str, str, dict] | None:
        if after["status"] != before["status"] and "converted" in (after["status"], before["status"]):
            return ("status", "err.lead_converted", {})
        return None

    def _top_ranks(self, session: Session, statuses: Iterable[str]) -> dict[str, int]:
        """The rank above every card of each status column."""
        wanted = sorted(set(statuses))
        low = (
            dict(
                session.execute(
                    sa.select(Lead.status, sa.func.min(Lead.rank)).where(Lead.status.in_(wanted)).group_by(Lead.status)
                ).all()
            )
            if wanted
            else {}
        )
        return {s: (low[s] if low.get(s) is not None else RANK_GAP) for s in wanted}

    def insert(
        self, session: Session, actor: Actor, rows: list[dict], first_id: int, note: str, write_keys: bool = False
    ) -> None:
        now = utcnow()
        # new cards go on top of their column, in the file's order
        left = {s: sum(1 for v in rows if v["status"] == s) for s in {v["status"] for v in rows}}
        top = self._top_ranks(session, left)

        def card_place(_k: int, values: dict) -> dict:
            status = values["status"]
            left[status] -= 1
            return {"rank": top[status] - RANK_GAP * (left[status] + 1), "stage_entered_at": now}

        record_service.insert_new(session, self.kind, actor, rows, first_id, note, card_place)

    def update(
        self, session: Session, actor: Actor, changes: list[tuple[int, dict, dict]], note: str | None = None
    ) -> None:
        record_service.update_many(session, self.kind, actor, changes, note)
        moved = [(rid, after["status"]) for rid, before, after in changes if after["status"] != before["status"]]
        if moved:
            now = utcnow()
            table = self.model.__table__
            top = self._top_ranks(session, [s for _rid, s in moved])
            ranks = []
            for rid, status in moved:
                top[status] -= RANK_GAP
                ranks.append({"_id": rid, "_rank": top[status], "_entered": now})
            session.execute(
                sa.update(table)
                .where(table.c.id == sa.bindparam("_id"))
                .values(rank=sa.bindparam("_rank"), stage_entered_at=sa.bindparam("_entered")),
                ranks,
            )


TARGETS: dict[str, ImportTarget] = {}


def register(target: ImportTarget) -> None:
    TARGETS[target.entity] = target


register(CustomerTarget())
register(ContactTarget())
register(LeadTarget())


def run_items(
    session: Session, run_id: int, entity_ids: list[int], action: str, previous: dict[int, dict] | None = None
) -> None:
    """Record what a run did to each record (the undo reads it back)."""
    rows = [
        {
            "run_id": run_id,
            "entity_id": rid,
            "action": action,
            "previous": json.dumps(
                {k: audit.stored_text(v) if not isinstance(v, list) else v for k, v in previous[rid].items()},
                ensure_ascii=False,
            )
            if previous
            else None,
        }
        for rid in entity_ids
    ]
    for chunk in _chunks(rows, WRITE_BATCH):
        insert_many(session, ImportRunItem.__table__, chunk)
