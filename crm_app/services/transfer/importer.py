"""Import: a file table, a mapping and options in; verdicts per row, an all-or-nothing run, undo.

Every row goes through the entity's own form cleaner (every other chunk of a big file's rows
in a forked worker process: ``row_pool``). Duplicates are found with
set-based lookups on the indexed shadow columns (a few queries per 5,000 values,
never one per row), inside the file and against the stored records. A run writes
every good row in parts of a few thousand records, each a short transaction (bulk
inserts, history included) that records what it wrote, and reports every bad one;
a failure half way, or a crash (``recover``), takes back every part written. An
undo removes what a run created and restores what it updated, part by part too.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app import write_turns
from crm_app.db import WAL_AUTOCHECKPOINT, file_not_mapped, write_lock
from crm_app.i18n import tr
from crm_app.models import AuditLog, Customer, ImportRun, ImportRunItem, Job
from crm_app.models._base import utcnow
from crm_app.services import jobs, places
from crm_app.services.bulk_insert import insert_many
from crm_app.services.errors import NotAllowed, ServiceError, ValidationFailed
from crm_app.services.gc_pause import paused_gc
from crm_app.services.lists import record_lists
from crm_app.services.normalize import (
    PHONE_SEPARATORS,
    fold_spaces,
    normalize_email,
    normalize_name,
    normalize_phone,
    renumbered_in,
    tag_names,
)
from crm_app.services.people.permissions import Actor, load_actor, only_visible
from crm_app.services.records import audit, custom_fields
from crm_app.services.records.erase import RecordCounts
from crm_app.services.records.fields import CUSTOM_PREFIX
from crm_app.services.transfer import import_custom, import_values, row_pool
from crm_app.services.transfer.import_files import Table
from crm_app.services.transfer.import_mapping import check_mapping, header_key
from crm_app.services.transfer.import_targets import (
    LOOKUP_BATCH,
    TARGETS,
    WRITE_BATCH,
    ImportField,
    ImportTarget,
    Lookups,
    keys_written_here,
    run_items,
)

MODES = ("create", "update", "skip")
# "warning": written, but its phone or e-mail is another record's (another name: the duplicate
# rule allows it and says so, as the customer form does).
VERDICTS = ("new", "warning", "update", "unchanged", "skip", "duplicate", "in_file", "error")
BAD_VERDICTS = ("duplicate", "in_file", "error")
REPORTED_VERDICTS = ("warning", *BAD_VERDICTS)  # the rows the report file lists, with their reason

Progress = Callable[[int, int], None]


class ImportFailed(ServiceError):
    pass


@dataclass
class ImportOptions:
    mode: str = "skip"  # create: matches are reported as duplicates; update: matches are updated; skip
    duplicate_check: bool = True
    keys: tuple[str, ...] = ()  # empty: the target's default keys
    required: tuple[str, ...] = ()  # fields that must have a value on top of the target's
    tags: tuple[str, ...] = ()  # tags given to every imported record (targets with tags)
    list_id: int | None = None  # a static list every created or updated record joins

    def checked(self, target: ImportTarget) -> ImportOptions:
        keys = tuple(self.keys) or target.default_keys
        names = {f.name for f in target.fields}
        if (
            self.mode not in MODES
            or any(k not in target.keys for k in keys)
            or any(r not in names for r in self.required)
        ):
            raise ValidationFailed({"options": ("err.invalid_choice", {})})
        tags = tuple(t for t in (fold_spaces(t)[:60] for t in self.tags) if t)
        list_id = int(self.list_id) if str(self.list_id or "").isdigit() else None
        return ImportOptions(self.mode, self.duplicate_check, keys, tuple(self.required), tags, list_id)

    def as_json(self) -> str:
        return json.dumps(
            {
                "mode": self.mode,
                "duplicate_check": self.duplicate_check,
                "keys": list(self.keys),
                "required": list(self.required),
                "tags": list(self.tags),
                "list_id": self.list_id,
            },
            ensure_ascii=False,
        )


@dataclass
class RowVerdict:
    row: int  # the row number in the file
    verdict: str
    label: str = ""  # the row's name, to recognise it
    field: str = ""  # the field of an error
    key: str = ""  # message key of an error / duplicate
    params: dict = dataclasses.field(default_factory=dict)
    match_id: int = 0  # the stored record it names, when the user may open it (the review links it)
    changes: list[str] = dataclasses.field(default_factory=list)

    def message(self, lang: str) -> str:
        """The reason, or every reason of a row refused for several cells ("others")."""
        first = self._reason(self.field, self.key, self.params, lang)
        others = [self._reason(f, k, p, lang) for f, k, p in self.params.get("others", ())]
        return "; ".join([first, *others])

    def _reason(self, field: str, key: str, params: dict, lang: str) -> str:
        text = tr(key, lang, **params) if key else ""
        value = params.get("value")
        if text and value and value not in text:  # every refusal quotes the value it refused
            text = f"{text}: “{value}”"
        if field and key:
            text = f"{self.field_label(field, lang)}: {text}"
        return text

    def field_label(self, name: str, lang: str) -> str:
        """A field's label: a custom field's own (import_custom.label_verdicts), else the catalog's."""
        return self.params.get("labels", {}).get(name) or tr("field." + name, lang)

    def as_list(self) -> list:
        return [self.row, self.verdict, self.label, self.field, self.key, self.params, self.match_id, self.changes]

    @classmethod
    def from_list(cls, data: list) -> RowVerdict:
        return cls(*data)


@dataclass
class Analysis:
    verdicts: list[RowVerdict]
    new_rows: list[dict]  # the organisations it creates first (see NewOrganisation), then the file's rows
    updates: list[tuple[int, dict, dict]]  # (id, before, after)
    # the organisations a company column names that the import creates: the first new rows
    organisations: list[str] = dataclasses.field(default_factory=list)  # their normalised names

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(VERDICTS, 0)
        for v in self.verdicts:
            counts[v.verdict] += 1
        return counts


@dataclass(frozen=True)
class NewOrganisation:
    """A person's "assigned to" that the import creates (by its normalised name); its id is
    known once the run reserves its ids."""

    name_norm: str

    def __str__(self) -> str:  # what history compares: it is a change
        return f"new:{self.name_norm}"


# --- reading one row ----------------------------------------------------------------------------


def _convert(f: ImportField, value: object, target: ImportTarget, lookups: Lookups) -> object:
    """A cell as the text the form cleaner takes; ValueError(message key) when unreadable."""
    if f.custom_id:
        return import_custom.read_cell(f, value)
    if value.__class__ is str and f.kind in ("text", "email"):
        return value  # the form cleaner trims it
    if f.kind == "date":
        return import_values.parse_date(value)
    if f.kind in ("phones", "phone"):
        return import_values.parse_phones(value)
    if f.kind == "bool":
        return import_values.parse_bool(value)
    if f.kind == "gender":
        return import_values.parse_gender(value)
    if f.kind == "number":
        return import_values.parse_number(value)
    if f.kind == "money":
        return import_values.parse_money(value)
    text = import_values.as_text(value)
    if f.kind == "choice":
        return lookups.choice(f.choices, target.choice_codes(f), text)
    if f.kind == "catalog" and text:
        found = lookups.catalog[f.choices].get(normalize_name(text))
        if found is None:
            raise ValueError("err.import_unknown_value")
        return str(found)
    if f.kind == "user" and text:
        found = lookups.users.get(normalize_name(text))
        if found is None:
            raise ValueError("err.import_unknown_user")
        return str(found)
    if f.kind == "tags":
        return [t.strip() for t in text.replace(";", ",").split(",") if t.strip()]
    return text


def _customer_refs(session: Session, actor: Actor, texts: set[str]) -> dict[str, tuple[int, str]]:
    """Company cells (a code or a name) -> (id, kind) of a visible customer; by name, an
    organisation before a person of the same name."""
    refs: dict[str, tuple[int, str]] = {}
    codes = sorted({t.strip().upper() for t in texts if t.strip()})
    names = sorted({normalize_name(t) for t in texts if t.strip()})
    person_last = sa.case((Customer.kind == "individual", 1), else_=0)
    for column, wanted in ((Customer.code, codes), (Customer.name_norm, names)):
        for i in range(0, len(wanted), 5000):
            stmt = only_visible(
                sa.select(column, Customer.id, Customer.kind).where(
                    column.in_(wanted[i : i + 5000]), Customer.archived == sa.false()
                ),
                actor,
                Customer.owner_id,
            ).order_by(person_last, Customer.id)
            for value, cid, kind in session.execute(stmt):
                refs.setdefault(value, (cid, kind))
    return refs


# Kinds whose columns repeat a few values (choices, yes/no, dates...): each distinct cell is read once.
_MEMO_KINDS = frozenset(
    {"choice", "catalog", "user", "bool", "gender", "number", "date", "tags", "customer", "option", "options"}
)


def _refusals(exc: ValidationFailed, data: dict, cells: dict | None = None) -> list[tuple[str, str, dict]]:
    """Each field the cleaner refused, its message, and the file's value it refused: the cell as
    typed when there is one ("1.500", not the 1500 read from it)."""
    found = []
    for name, (key, params) in exc.errors.items():
        typed = (cells or {}).get(name)
        given = typed or data.get(name)
        if "value" not in params and given not in (None, "", []):
            params = {**params, "value": _shown(", ".join(map(str, given)) if isinstance(given, list) else str(given))}
        elif typed and str(params.get("value")) == str(data.get(name)):  # the cell read ("-1500"): as typed
            params = {**params, "value": _shown(typed)}
        found.append((name, key, params))
    return found


def _shown(text: str, most: int = 60) -> str:
    """A refused value as a message quotes it: a long one cut, and said to be ("…")."""
    return text if len(text) <= most else f"{text[: most - 1]}…"


def _refused(errors: list[tuple[str, str, dict]]) -> tuple[str, str, dict]:
    """A row's first refusal, the others in its parameters (RowVerdict.message says them all)."""
    name, key, params = errors[0]
    if len(errors) > 1:
        params = {**params, "others": [list(e) for e in errors[1:]]}
    return name, key, params


def _row_label(data: dict, row: list) -> str:
    """How the review names a row: its name, or without one the row's first values (a phone, an
    e-mail …) so that the user can find it in the file."""
    name = str(data.get("full_name") or "").strip()
    if name:
        return name[:80]
    values = dict.fromkeys(v for v in (import_values.as_text(c) for c in row) if v)  # each once, in order
    return " · ".join(values)[:80]


def _kept_under(f: ImportField, header: str) -> str:
    """The header a column's values are kept under in a text field ('' when they are the field's own)."""
    return header.strip() if header_key(header) in {header_key(h) for h in f.kept_as} else ""


def _read_row(
    row: list, columns: list[tuple[int, ImportField, dict | None, str]], target: ImportTarget, lookups: Lookups
) -> tuple[dict, list[tuple[str, str, dict]]]:
    """The row's values as the form cleaner takes them, and each cell it cannot read."""
    data: dict[str, object] = {}
    errors: list[tuple[str, str, dict]] = []
    for index, f, memo, kept_under in columns:
        value = row[index] if index < len(row) else None
        found = memo.get(value) if memo is not None else None
        if found is None:
            try:
                found = (True, _convert(f, value, target, lookups))
            except ValueError as exc:
                found = (False, exc.args[0])
            if memo is not None:
                memo[value] = found
        ok, converted = found
        if not ok:
            if all(name != f.name for name, _key, _params in errors):
                errors.append((f.name, converted, {"value": _shown(import_values.as_text(value))}))
            continue
        if kept_under and converted:
            converted = f"{kept_under}: {converted}"
        if f.multi and data.get(f.name):
            if isinstance(converted, list):
                data[f.name] = [*data[f.name], *converted]
            elif converted:
                sep = "\n" if f.kind == "text" else ", "  # a note's parts stay lines of their own
                data[f.name] = f"{data[f.name]}{sep}{converted}"
        else:
            data[f.name] = converted
    return data, errors


@dataclass
class _RowCheck:
    """Checking one row of a file on its own: read, cleaned by the entity's form cleaner, its
    company found. What it needs is read before the rows, so that once the entity's custom
    fields are read (cached in the session) it reads no database: a forked worker runs it too
    (``row_pool``). Its result: (verdict, clean values or None for an error, the converted file
    data an update needs, a company name kept in the note, the name of an organisation the
    import would create for it, what of it is written in today's form, its values of ``keys``)."""

    session: Session
    actor: Actor
    target: ImportTarget
    table: Table
    options: ImportOptions
    lookups: Lookups
    columns: list[tuple[int, ImportField, dict | None, str]]
    keys: tuple[str, ...]  # the keys a good row's values are looked up by (duplicates, shared contacts)

    def __post_init__(self) -> None:
        self.required = [f.name for f in self.target.fields if f.required] + list(self.options.required)
        self.company_cols = [i for i, f, _memo, _kept in self.columns if f.kind == "customer"]
        self.company_field = next((f.name for _i, f, _memo, _kept in self.columns if f.kind == "customer"), "")
        self.company_header = self.table.headers[self.company_cols[0]].strip() if self.company_cols else ""
        # a person's company no stored customer is: an organisation the import creates (customers only)
        self.creates_organisations = self.company_field == "assigned_to_id"
        cells = {import_values.as_text(r[i]) for r in self.table.rows for i in self.company_cols if i < len(r)}
        self.refs = _customer_refs(self.session, self.actor, cells) if self.company_cols else {}

    def without_database(self) -> _RowCheck:
        """The same check with an unbound session, for a forked worker: the entity's custom fields
        (the one thing a row's cleaner reads) are read first and cached in the session's info."""
        custom_fields.defs_of(self.session, self.target.entity)
        unbound = copy.copy(self)
        unbound.session = Session(info=dict(self.session.info))
        return unbound

    def __call__(self, index: int) -> tuple:
        session, actor, target, options, lookups = self.session, self.actor, self.target, self.options, self.lookups
        company_field, refs, table = self.company_field, self.refs, self.table
        row = table.rows[index]
        organisation = ""
        data, errors = _read_row(row, self.columns, target, lookups)
        label = _row_label(data, row)
        number = table.row_numbers[index] if index < len(table.row_numbers) else index + 2
        failed = {name for name, _key, _params in errors}
        errors += [
            (name, "err.required", {})
            for name in dict.fromkeys(self.required)
            if name not in failed and data.get(name) in (None, "", [])
        ]
        linked_kind, unknown_company = "", ""
        if self.company_cols and data.get(company_field):
            text = str(data[company_field]).strip()
            found = refs.get(text.upper()) or refs.get(normalize_name(text))
            if found is not None:
                linked_kind = found[1]
            elif target.field("description") is not None:
                # a company no stored customer (that the user sees) is: created as an organisation
                # for a person (below), else kept in the note and said in the review
                unknown_company = text[:200]
            else:
                errors.append((company_field, "err.import_unknown_company", {"value": _shown(text)}))
            data[company_field] = str(found[0] if found else "")
        values = None
        try:
            values = target.clean(session, data, lookups)
        except ValidationFailed as exc:  # every field it refuses, beside the cells not read
            cells = {f.name: import_values.as_text(row[i]) for i, f, _m, _k in self.columns if i < len(row)}
            named = {name for name, _key, _params in errors}
            errors += [e for e in _refusals(exc, data, cells) if e[0] not in named]
        if not errors and values is not None and unknown_company:
            if self.creates_organisations and values.get("kind") == "individual" and not _CODE.match(unknown_company):
                organisation = unknown_company
                values[company_field] = NewOrganisation(normalize_name(unknown_company))
                unknown_company = ""
            else:
                note = f"{self.company_header}: {unknown_company}"
                values["description"] = "\n".join(p for p in (values.get("description") or "", note) if p)
        if not errors and values is not None and linked_kind and linked_kind == values.get("kind"):
            # a customer is assigned to one of the other kind: a person to an organisation (seed 000)
            errors.append((company_field, "err.assigned_same_kind", {}))
        if not errors and values is not None:
            if values.get("owner_id") is None:
                values["owner_id"] = actor.id
            elif not actor.assigns_owner(values["owner_id"]):
                named = {"value": self.lookups.user_names.get(values["owner_id"], "")}
                errors.append(("owner_id", "err.owner_not_allowed", named))
        if errors or values is None:
            return RowVerdict(number, "error", label, *_refused(errors)), None, {}, "", organisation, None, {}
        if options.tags and "tags" in values:
            values["tags"] = tag_names([*values["tags"], *options.tags])
        renamed = _renamed(data)  # an old number or province is written in today's form: said so
        # the file's own values are needed again only to update a matching record
        kept = data if options.mode == "update" else {}
        found_keys = target.key_values(values, self.keys)
        return RowVerdict(number, "new", label), values, kept, unknown_company, organisation, renamed, found_keys


# --- analysis -----------------------------------------------------------------------------------


def analyse(
    session: Session, actor: Actor, entity: str, table: Table, mapping: dict[int, str], options: ImportOptions
) -> Analysis:
    with paused_gc():
        return _analyse(session, actor, entity, table, mapping, options)


def _analyse(
    session: Session, actor: Actor, entity: str, table: Table, mapping: dict[int, str], options: ImportOptions
) -> Analysis:
    target = TARGETS.get(entity)
    if target is None:
        raise ValidationFailed({"entity": ("err.invalid_choice", {})})
    target = import_custom.with_custom(session, target)
    check_mapping(mapping, target, table.headers)
    options = options.checked(target)
    lookups = Lookups(session)
    columns = [
        (i, f, {} if f.kind in _MEMO_KINDS else None, _kept_under(f, table.headers[i]))
        for i, f in ((i, target.field(name)) for i, name in sorted(mapping.items()) if name)
    ]
    # a row carrying a record's code (an export imported back) is that record, whatever keys were chosen
    by_code = ("code",) if options.duplicate_check and "code" in target.keys and "code" in mapping.values() else ()
    keys = list(dict.fromkeys([*by_code, *target.rule_keys, *(options.keys if options.duplicate_check else ())]))
    shared = [k for k in SHARED_KEYS if k in target.keys] if options.duplicate_check else []
    check = _RowCheck(session, actor, target, table, options, lookups, columns, (*keys, *shared))
    kept_company: dict[int, str] = {}  # verdict index -> a company name found nowhere, kept in the note
    renumbered: dict[int, tuple[str, str]] = {}  # verdict index -> what of it is written as today (_renamed)
    organisation_of: dict[int, str] = {}  # verdict index -> the company's name as the file writes it
    verdicts: list[RowVerdict] = []
    good: list[tuple[int, dict, dict]] = []  # (verdict index, clean values, converted file data)
    row_keys: dict[int, dict[str, list[str]]] = {}  # verdict index -> its values of each key
    rows = row_pool.checked(len(table.rows), check, check.without_database(), [session.get_bind()])
    for index, (verdict, values, data, company, organisation, renamed, found_keys) in enumerate(rows):
        verdicts.append(verdict)
        if organisation:
            organisation_of[index] = organisation
        if values is None:
            continue
        if company:
            kept_company[index] = company
        if renamed:
            renumbered[index] = renamed
        good.append((index, values, data))
        row_keys[index] = found_keys

    mode = options.mode if options.duplicate_check else "create"
    # inside the file: the first row holding a key value keeps it
    seen: dict[tuple[str, str], int] = {}
    unique: list[tuple[int, dict, dict]] = []
    for vi, values, data in good:
        claims = [(k, v) for k in keys for v in row_keys[vi][k]]
        first = next((seen[c] for c in claims if c in seen), None)
        if first is not None:
            verdicts[vi] = RowVerdict(
                verdicts[vi].row, "in_file", verdicts[vi].label, "", "verdict.in_file_of", {"row": first}
            )
            continue
        for c in claims:
            seen[c] = verdicts[vi].row
        unique.append((vi, values, data))

    # against the stored records: one set of lookups per key
    found: dict[str, dict[str, set[int]]] = {}
    for k in keys:
        wanted = sorted({v for vi, _, _ in unique for v in row_keys[vi][k]})
        found[k] = target.find(session, k, wanted) if wanted else {}
    matches: list[set[int]] = []
    for vi, _, _ in unique:
        ids: set[int] = set()
        for k in keys:
            for v in row_keys[vi][k]:
                ids |= found[k].get(v, set())
        matches.append(ids)
    matched = {i for ids in matches for i in ids}
    owners, names = target.owners_and_codes(session, matched), target.described(session, matched)

    new_rows: list[dict] = []
    new_verdicts: list[int] = []  # the verdict index of each new row
    to_update: list[tuple[int, int, dict, dict]] = []  # (verdict index, id, values, data)
    claimed: dict[int, int] = {}
    for (vi, values, data), ids in zip(unique, matches, strict=True):
        v = verdicts[vi]
        if not ids:
            new_rows.append(values)
            new_verdicts.append(vi)
            continue
        codes = ", ".join(names[i] for i in sorted(ids) if i in names)  # "KH000123 Nguyễn Văn An"
        v.match_id = next((i for i in sorted(ids) if i in owners and actor.sees_owner(owners[i][0])), 0)
        if mode == "create":
            v.verdict, v.key, v.params = "duplicate", "verdict.duplicate_of", {"code": codes}
        elif mode == "skip":
            v.verdict, v.key, v.params = "skip", "verdict.matches", {"code": codes}
        elif len(ids) > 1:
            v.verdict, v.key, v.params = "error", "err.import_ambiguous", {"code": codes}
        elif not actor.edits_owner(owners[next(iter(ids))][0]):  # hidden, or a teammate's read-only record
            v.verdict, v.key, v.params = "error", "err.import_not_yours", {"code": codes}
        elif next(iter(ids)) in claimed:
            v.verdict, v.key, v.params = "in_file", "verdict.in_file_of", {"row": claimed[next(iter(ids))]}
        else:
            claimed[next(iter(ids))] = v.row
            to_update.append((vi, next(iter(ids)), values, data))

    updates: list[tuple[int, dict, dict]] = []
    snapshots = target.snapshots(session, [rid for _, rid, _, _ in to_update])
    for vi, rid, _values, data in to_update:
        v = verdicts[vi]
        before = snapshots[rid]
        given = {
            k: val
            for k, val in data.items()
            if val not in (None, "", []) and k in before and not _same_as_stored(target.field(k), before[k], val)
        }
        if "tags" in before:
            given["tags"] = [*before["tags"], *(data.get("tags") or []), *options.tags]
        if isinstance(before.get("phones"), list) and given.get("phones"):
            # an update adds the file's phones to the record's own
            have = {normalize_phone(p) for p in before["phones"]}
            extra = [p.strip() for p in PHONE_SEPARATORS.split(str(given["phones"])) if p.strip()]
            given["phones"] = [*before["phones"], *(p for p in extra if normalize_phone(p) not in have)]
        try:
            after = target.clean(session, {**before, **given}, lookups, stored=before)
        except ValidationFailed as exc:
            v.verdict, (v.field, v.key, v.params) = "error", _refused(_refusals(exc, given))
            continue
        problem = target.update_problem(before, after)
        if problem is not None:
            v.verdict, (v.field, v.key, v.params) = "error", problem
            continue
        if after["owner_id"] is None:
            after["owner_id"] = before.get("owner_id")
        if after["owner_id"] != before.get("owner_id") and not actor.assigns_owner(after["owner_id"]):
            named = {"value": lookups.user_names.get(after["owner_id"], "")}
            v.verdict, v.field, v.key, v.params = "error", "owner_id", "err.owner_not_allowed", named
            continue
        after.pop("code", None)
        if vi in organisation_of and after.get("kind") == "individual":
            after["assigned_to_id"] = NewOrganisation(normalize_name(organisation_of[vi]))
        changed = [name for name, _old, _new in audit.diff(before, after)]
        v.params = {**v.params, "record": names.get(rid, "")}  # the review names the record it matched
        if changed:
            v.verdict, v.changes = "update", changed
            updates.append((rid, before, after))
        else:
            v.verdict, v.key = "unchanged", "verdict.same_as"
    if options.duplicate_check:
        _warn_shared_contacts(session, actor, target, verdicts, new_verdicts, [row_keys[vi] for vi in new_verdicts])
    for vi, company in kept_company.items():
        v = verdicts[vi]
        if v.verdict == "new" and not v.key:
            v.verdict, v.key, v.params = "warning", "verdict.company_kept", {"value": company}
    for vi, (key, changes) in renumbered.items():
        v = verdicts[vi]
        if v.verdict == "new" and not v.key:
            v.key, v.params = key, {"changes": changes}
    organisations = _plan_organisations(
        session, target, lookups, verdicts, organisation_of, [*new_rows, *(after for _r, _b, after in updates)]
    )
    new_rows = list(organisations.values()) + new_rows
    for values in new_rows:
        values.pop("code", None)
        target.new_record_defaults(values)
    import_custom.label_verdicts(target, verdicts)
    return Analysis(verdicts, new_rows, updates, list(organisations))


def _link_new_organisations(analysis: Analysis, first: int) -> None:
    """The persons assigned to an organisation the run creates get its id (the first new ids)."""
    ids = {name: first + i for i, name in enumerate(analysis.organisations)}
    for values in [*analysis.new_rows, *(after for _r, _b, after in analysis.updates)]:
        marker = values.get("assigned_to_id")
        if isinstance(marker, NewOrganisation):
            values["assigned_to_id"] = ids[marker.name_norm]


def _renamed(data: dict) -> tuple[str, str] | None:
    """(message key, changes) of a row's old phone numbers and merged province written in today's
    form ("0168 … → 038 …", "Bình Dương → TP. Hồ Chí Minh"), None when there are none."""
    numbers = [c for name in ("phones", "phone", "mobile") if (c := renumbered_in(_text_of(data, name)))]
    province = places.merged_in(_text_of(data, "province"))
    if not numbers and not province:
        return None
    key = "import.renamed" if numbers and province else "phone.renumbered" if numbers else "places.merged"
    return key, ", ".join([*numbers, *([province] if province else [])])


def _text_of(data: dict, name: str) -> str:
    """A file's phone cells as text (several phones may come as a list)."""
    value = data.get(name)
    return ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value or "")


_CODE = re.compile(r"^KH\d+$", re.IGNORECASE)  # a customer's code: found or not, never a new name


def _plan_organisations(
    session: Session,
    target: ImportTarget,
    lookups: Lookups,
    verdicts: list[RowVerdict],
    organisation_of: dict[int, str],
    written: list[dict],
) -> dict[str, dict]:
    """The organisations the rows written (created or updated) are assigned to and no stored
    customer is: one new business customer per name, spelled and owned as its first row has it.
    Rows that are not written (duplicates, errors) create none; each row's review says so."""
    organisations: dict[str, dict] = {}
    for values in written:
        marker = values.get("assigned_to_id")
        if isinstance(marker, NewOrganisation) and marker.name_norm not in organisations:
            name = next(c for c in organisation_of.values() if normalize_name(c) == marker.name_norm)
            made = target.clean(session, {"full_name": name, "kind": "business"}, lookups)
            made["owner_id"] = values.get("owner_id")
            organisations[marker.name_norm] = made
    first_row: dict[str, int] = {}  # an organisation -> the row that creates it
    for vi, company in sorted(organisation_of.items()):
        v, key = verdicts[vi], normalize_name(company)
        if key not in organisations or v.verdict not in ("new", "update", "warning") or v.key:
            continue
        if key in first_row:
            named = organisations[key]["full_name"]  # as the organisation is made, by the first row
            v.key, v.params = "verdict.company_of_row", {"value": named, "row": first_row[key]}
        else:
            first_row[key] = v.row
            v.key, v.params = "verdict.company_created", {"value": company}
    return organisations


SHARED_KEYS = ("phone", "email")


def _warn_shared_contacts(
    session: Session,
    actor: Actor,
    target: ImportTarget,
    verdicts: list[RowVerdict],
    new_verdicts: list[int],
    row_keys: list[dict[str, list[str]]],
) -> None:
    """A new row whose phone or e-mail a stored record or an earlier row of the file already holds
    (under another name, or it would have matched) becomes a warning naming that record or row.
    ``row_keys``: each new row's key values (``_RowCheck``)."""
    keys = [k for k in SHARED_KEYS if k in target.keys]
    if not keys or not row_keys:
        return
    stored = {k: target.find(session, k, sorted({v for rk in row_keys for v in rk[k]})) for k in keys}
    held = {i for k in keys for ids in stored[k].values() for i in ids}
    names = target.described(session, held)
    owners = {i: owner for i, (owner, _code) in target.owners_and_codes(session, held).items()}
    first_row: dict[tuple[str, str], RowVerdict] = {}
    for vi, rk in zip(new_verdicts, row_keys, strict=True):
        v = verdicts[vi]
        claims = [(k, value) for k in keys for value in rk[k]]
        stored_hit = next(((k, value) for k, value in claims if stored[k].get(value)), None)
        earlier = next(((first_row[c], c) for c in claims if c in first_row), None)
        if stored_hit is not None:
            by, value = stored_hit
            named = ", ".join(names[i] for i in sorted(stored[by][value]) if i in names)
            v.verdict, v.key = "warning", f"verdict.shares_{by}_with"
            v.match_id = next((i for i in sorted(stored[by][value]) if actor.sees_owner(owners.get(i))), 0)
            v.params = {**v.params, "record": named, "value": value}
        elif earlier is not None:
            other, (by, value) = earlier
            v.verdict, v.key = "warning", f"verdict.shares_{by}_with_row"
            v.params = {**v.params, "row": other.row, "name": other.label, "value": value}
        for c in claims:
            first_row.setdefault(c, v)


_SAME_WHEN = {"phone": normalize_phone, "email": normalize_email}


def _same_as_stored(f: ImportField | None, stored: object, given: object) -> bool:
    """A cell that differs from the stored value only in how it is written (case, accents of a
    name, a phone's format) leaves the stored value as it is."""
    if f is None or not isinstance(stored, str) or not isinstance(given, str):
        return False
    norm = _SAME_WHEN.get(f.kind) or (normalize_name if f.name == "full_name" else None)
    return norm is not None and bool(stored) and norm(stored) == norm(given)


# --- the run ------------------------------------------------------------------------------------

# After each part on SQLite, the saves waiting for the write lock go first (crm_app.write_turns),
# for this long at most: a save retries every 100 ms at most (SQLite's busy handler).
TURNS_WAIT_S = 1.0
# Where those waiting cannot be seen (no lock file beside the database): a gap this long instead.
PART_GAP_S = 0.1
# A part holds the write lock about this long: its size follows how fast the last one went
# (a big database, a busy machine), so a waiting save never waits for much more than one part.
PART_HOLD_S = 0.3
PART_SIZES = (500, 1_000, WRITE_BATCH)  # the smallest, the first, the largest
UNFINISHED = ("writing", "undoing")


class _Parts:
    """The committed parts of a long write, each holding the write lock only for itself (about
    PART_HOLD_S: ``size`` records, sized by the last part); times their commits (for the benchmark).

    SQLite: the parts are committed without waiting for the disk (synchronous=NORMAL) but the
    last, which waits for every part before it (the log is one file, written in order): a crash
    of the machine can only lose a run's last parts, with the record of what they wrote, so what
    survives is still taken back whole (``recover``). Between parts, the connection copies the
    log back into the database itself (a checkpoint, which holds no lock other writers wait for)
    instead of leaving it to the next user's save, and lets the saves waiting meanwhile in."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        self.turns = write_turns.lock_path(session.get_bind().url) if self.sqlite else None
        self.commit_s = 0.0
        self.size = PART_SIZES[1]
        self.count, self.between_s = 0, 0.0  # parts written, time spent between them
        self.rows = 0  # the records of the part being written (sizes the next)

    def __enter__(self) -> _Parts:
        self.relaxed = not self._in_transaction()  # a caller's open transaction keeps the settings
        if self.relaxed:
            self._pragmas(synchronous="NORMAL", wal_autocheckpoint=0)
        return self

    def __exit__(self, *_exc) -> None:
        if not self.relaxed:
            return
        if self._in_transaction():
            self.session.rollback()  # what a failure left (a PRAGMA cannot change inside it)
        self._pragmas(synchronous="FULL", wal_autocheckpoint=WAL_AUTOCHECKPOINT)

    def _in_transaction(self) -> bool:
        return self.sqlite and self.session.connection().connection.driver_connection.in_transaction

    def _pragmas(self, **values) -> None:
        for name, value in values.items() if self.sqlite else ():
            self.session.execute(sa.text(f"PRAGMA {name}={value}"))

    @contextmanager
    def part(self, last: bool = False) -> Iterator[None]:
        if last:
            self._pragmas(synchronous="FULL")
        write_lock(self.session)
        locked = time.perf_counter()
        try:
            yield
            started = time.perf_counter()
            self.session.commit()
            self.commit_s += time.perf_counter() - started
        except BaseException:
            self.session.rollback()
            raise
        if self.rows:  # a part of ``of``: the next one sized to hold the lock PART_HOLD_S
            smallest, _first, largest = PART_SIZES
            held = max(time.perf_counter() - locked, 1e-3)
            self.size, self.rows = max(smallest, min(largest, int(self.rows * PART_HOLD_S / held))), 0
        self._between()

    def of(self, rows: list) -> Iterator[tuple[int, list]]:
        """(offset, rows) of each part in turn, each as many as the current size."""
        start = 0
        while start < len(rows):
            chunk = rows[start : start + self.size]
            self.rows = len(chunk)
            yield start, chunk
            start += len(chunk)

    def _between(self) -> None:
        self.count += 1
        if self.sqlite:
            started = time.perf_counter()
            self.session.execute(sa.text("PRAGMA wal_checkpoint(PASSIVE)"))
            # the saves waiting meanwhile go first; none: on at once
            if not write_turns.let_waiting_in(self.turns, TURNS_WAIT_S):
                time.sleep(max(0.0, PART_GAP_S - (time.perf_counter() - started)))
            self.between_s += time.perf_counter() - started


def run(
    session: Session,
    actor: Actor,
    entity: str,
    table: Table,
    mapping: dict[int, str],
    options: ImportOptions,
    file_name: str,
    progress: Progress | None = None,
    job_id: int | None = None,
) -> ImportRun:
    """Analyse again and write every good row, part by part: each part is a short transaction, so
    other users' saves wait for one part at most, never for the whole file. The run is recorded
    before its first part and each part records what it wrote, so a failure half way is taken
    back here and a crash by ``recover``: the user gets all of the file or none of it (a failed
    run is recorded with its message and ImportFailed is raised). ``job_id``: the durable job
    (services.jobs), marked done with the last part."""
    with file_not_mapped(session), paused_gc(), _Parts(session) as parts:
        return _run(session, actor, entity, table, mapping, options, file_name, progress, job_id, parts)


def _run(
    session: Session,
    actor: Actor,
    entity: str,
    table: Table,
    mapping: dict[int, str],
    options: ImportOptions,
    file_name: str,
    progress: Progress | None,
    job_id: int | None,
    parts: _Parts,
) -> ImportRun:
    target = TARGETS.get(entity)
    if target is None:
        raise ValidationFailed({"entity": ("err.invalid_choice", {})})
    target = import_custom.with_custom(session, target)
    options = options.checked(target)
    check_mapping(mapping, target, table.headers)
    check_list(session, actor, entity, options.list_id)
    report = progress or (lambda _done, _total: None)
    record = ImportRun(
        entity=entity,
        user_id=actor.id,
        file_name=file_name[:255],
        total_rows=len(table.rows),
        options=options.as_json(),
        job_id=job_id,
    )
    with parts.part():  # recorded before anything is written: a crash from here on is seen
        session.add(record)
    try:
        started = time.perf_counter()
        analysis = analyse(session, actor, entity, table, mapping, options)
        session.commit()  # it only read
        analysed = time.perf_counter()
        # the progress counts the file's rows, as the review did (the organisations it creates apart)
        total = len(analysis.new_rows) - len(analysis.organisations) + len(analysis.updates)
        done = 0
        report(0, total)
        note = f"{file_name[:200]} (#{record.id})"
        with parts.part():
            first = target.reserve_ids(session, len(analysis.new_rows))
        _link_new_organisations(analysis, first)
        custom = import_custom.mapped_defs(session, target, mapping)
        file_first = first + len(analysis.organisations)  # the file's own records (a list takes these)
        for start, chunk in parts.of(analysis.new_rows):
            ids = list(range(first + start, first + start + len(chunk)))
            with parts.part():
                with keys_written_here(session) as writes_keys:
                    target.insert(session, actor, chunk, first + start, note, writes_keys)
                import_custom.insert_values(session, custom, chunk, first + start)
                run_items(session, record.id, ids, "create")
                rows = [i for i in ids if i >= file_first]
                _join_list(session, actor, options.list_id, rows)
                done += len(rows)
                jobs.progress_in(session, job_id, done, total)
            report(done, total)
        for _start, chunk in parts.of(analysis.updates):
            with parts.part():
                target.update(session, actor, chunk, note)
                run_items(
                    session, record.id, [rid for rid, _b, _a in chunk], "update", {rid: b for rid, b, _a in chunk}
                )
                _join_list(session, actor, options.list_id, [rid for rid, _b, _a in chunk])
                done += len(chunk)
                jobs.progress_in(session, job_id, done, total)
            report(done, total)
        counts = analysis.counts()
        with parts.part(last=True):
            record.created, record.updated = len(analysis.new_rows), len(analysis.updates)
            record.skipped = counts["skip"] + counts["unchanged"]
            record.errors = sum(counts[v] for v in BAD_VERDICTS)
            record.status, record.finished_at = "done", utcnow()
            session.add(record)
            jobs.finish_in(
                session, job_id, result={"run_id": record.id, "created": record.created, "updated": record.updated}
            )
        record.__dict__["verdicts"] = analysis.verdicts  # for the caller's error report
        record.__dict__["organisations"] = len(analysis.organisations)
        # where the time went, for the benchmark: checking every row, writing (its commits and the
        # gaps left to other writers included), committing
        record.__dict__["timings"] = {
            "analyse_s": round(analysed - started, 2),
            "write_s": round(time.perf_counter() - analysed, 2),
            "commit_s": round(parts.commit_s, 2),
            "parts": parts.count,
            "between_parts_s": round(parts.between_s, 2),  # the log copied back, the saves waiting let in
        }
        return record
    except Exception as exc:
        session.rollback()
        _revert(session, actor, record, parts)
        with parts.part(last=True):
            if isinstance(exc, ValidationFailed):  # found before writing: no run to keep
                session.delete(record)
            else:
                record.status, record.message, record.finished_at = "failed", str(exc)[:500], utcnow()
                session.add(record)
        if isinstance(exc, ValidationFailed):
            raise
        raise ImportFailed("err.import_failed") from exc


def check_list(session: Session, actor: Actor, entity: str, list_id: int | None) -> None:
    """The list an import fills must be one of the entity's lists that the actor sees."""
    if list_id is not None and record_lists.get(session, actor, list_id).entity != entity:
        raise ValidationFailed({"list_id": ("err.invalid_choice", {})})


def _join_list(session: Session, actor: Actor, list_id: int | None, ids: list[int]) -> None:
    if list_id is not None and ids:
        record_lists.add_members(session, actor, list_id, ids)


def verdicts_of(record: ImportRun) -> list[RowVerdict]:
    return record.__dict__.get("verdicts", [])


# --- taking a run back: its undo, a failure half way, a crash -----------------------------------


def can_undo(actor: Actor, record: ImportRun) -> bool:
    return record.status == "done" and (
        record.user_id == actor.id or (actor.is_manager and actor.sees_owner(record.user_id))
    )


def undo(
    session: Session, actor: Actor, run_id: int, job_id: int | None = None, progress: Progress | None = None
) -> ImportRun:
    """Remove what the run created and restore what it updated, part by part; a crash half way is
    completed by ``recover``. Refused when a record changed after the run or when others now
    depend on a created record."""
    with file_not_mapped(session), paused_gc(), _Parts(session) as parts:
        return _undo(session, actor, run_id, parts, job_id, progress)


def _undo(
    session: Session, actor: Actor, run_id: int, parts: _Parts, job_id: int | None, progress: Progress | None
) -> ImportRun:
    record = session.get(ImportRun, run_id)
    if record is None or not (record.user_id == actor.id or (actor.is_manager and actor.sees_owner(record.user_id))):
        raise NotAllowed()
    if record.status != "done":
        raise ServiceError("err.undo_not_possible")
    target = TARGETS[record.entity]
    items = session.execute(
        sa.select(ImportRunItem.entity_id, ImportRunItem.action).where(ImportRunItem.run_id == run_id)
    ).all()
    created = [i for i, action in items if action == "create"]
    touched = [i for i, _action in items]
    model = target.model
    changed = 0
    for start in range(0, len(touched), LOOKUP_BATCH):
        changed += session.execute(
            sa.select(sa.func.count())
            .select_from(model)
            .where(model.id.in_(touched[start : start + LOOKUP_BATCH]), model.updated_at > record.finished_at)
        ).scalar_one()
    if changed:
        raise ServiceError("err.undo_changed", count=changed)
    named: list[str] = []
    blocked = target.blocked_removal(session, created, named)
    if blocked:
        names = ", ".join(f"“{n}”" for n in named) + ("…" if sum(blocked.values()) > len(named) else "")
        raise ServiceError("err.undo_blocked", count=sum(blocked.values()), kinds=RecordCounts(blocked), names=names)
    with parts.part():
        record.status, record.undone_by_id, record.job_id = "undoing", actor.id, job_id
        session.add(record)
    _revert(session, actor, record, parts, progress)
    with parts.part(last=True):
        record.status, record.undone_at = "undone", utcnow()
        session.add(record)
        jobs.finish_in(session, job_id, result={"run_id": record.id})
    return record


def recover(session: Session, run_id: int, progress: Progress | None = None) -> str:
    """Complete what a stopped process left half done: a run half written is taken back (it ends
    "failed"), an undo half done is completed ("undone"). Safe to repeat, and two at once never
    take the same record back twice. The status it ended in ('' when there was nothing to do)."""
    record = session.get(ImportRun, run_id)
    if record is None or record.status not in UNFINISHED:
        return ""
    was = record.status
    actor = load_actor(session, record.undone_by_id if was == "undoing" else record.user_id)
    ending = "undone" if was == "undoing" else "failed"
    at = "undone_at" if was == "undoing" else "finished_at"
    with file_not_mapped(session), paused_gc(), _Parts(session) as parts:
        _revert(session, actor, record, parts, progress)
        with parts.part(last=True):
            session.execute(
                sa.update(ImportRun)
                .where(ImportRun.id == run_id, ImportRun.status == was)
                .values({"status": ending, at: utcnow()})
            )
    return ending


def unfinished_runs(session: Session) -> list[tuple[int, int]]:
    """(run id, job id) of the runs and undos left half done: their job no longer runs."""
    return [
        (run_id, job_id)
        for run_id, job_id in session.execute(
            sa.select(ImportRun.id, ImportRun.job_id)
            .join(Job, Job.id == ImportRun.job_id)
            .where(ImportRun.status.in_(UNFINISHED), Job.status != "running")
        ).all()
    ]


def _revert(session: Session, actor: Actor, record: ImportRun, parts: _Parts, progress: Progress | None = None) -> None:
    """Take back what a run wrote, part by part: restore what it updated, remove what it created
    (a history row each). The run's items left are the work left: each part takes its items under
    the write lock (PostgreSQL: rows another revert holds are skipped) and deletes them, so a
    revert cut short is completed by running it again. Newest first: a person goes before the
    organisation the same run made for it. The records of a run that never finished go with
    their history; an undo writes each removal to it."""
    target = TARGETS[record.entity]
    finished = record.status == "undoing"
    note = f"{record.file_name} (#{record.id})"
    report = progress or (lambda _done, _total: None)
    left = ImportRunItem.run_id == record.id
    total = session.execute(sa.select(sa.func.count()).select_from(ImportRunItem).where(left)).scalar_one()
    session.commit()
    lookups, done = Lookups(session), 0
    while done < total:
        with parts.part():
            stmt = (
                sa.select(ImportRunItem.id, ImportRunItem.entity_id, ImportRunItem.action, ImportRunItem.previous)
                .where(left)
                .order_by(ImportRunItem.id.desc())
                .limit(parts.size)
            )
            items = session.execute(stmt.with_for_update(skip_locked=True)).all()
            parts.rows = len(items)
            if items:
                _take_back(session, actor, target, record.entity, items, lookups, note, finished)
        if not items:
            return
        done += len(items)
        report(done, total)


def _take_back(
    session: Session,
    actor: Actor,
    target: ImportTarget,
    entity: str,
    items: list,
    lookups: Lookups,
    note: str,
    finished: bool,
) -> None:
    created = [rid for _id, rid, action, _p in items if action == "create"]
    previous = {rid: json.loads(p) for _id, rid, action, p in items if action == "update"}
    current = target.snapshots(session, list(previous))
    restores = [
        (rid, current[rid], _restored(target.clean(session, before, lookups, stored=before), before))
        for rid, before in previous.items()
        if rid in current
    ]
    if restores:
        target.update(session, actor, restores)
    if created:
        target.remove(session, created)
        if finished:  # an undo: the records lived, their removal is history
            now = utcnow()
            insert_many(
                session,
                AuditLog.__table__,
                [audit.row(entity, rid, "delete", actor.id, now, "import", note, None) for rid in created],
            )
        else:  # a run never finished: its records go with the history they had
            session.execute(sa.delete(AuditLog).where(AuditLog.entity == entity, AuditLog.entity_id.in_(created)))
    session.execute(sa.delete(ImportRunItem).where(ImportRunItem.id.in_([item_id for item_id, *_ in items])))


def _restored(values: dict, previous: dict) -> dict:
    """What an updated record goes back to; custom fields the run's snapshot did not hold
    (made after it) keep their values."""
    values.pop("code", None)
    for name in [n for n in values if n.startswith(CUSTOM_PREFIX) and n not in previous]:
        values.pop(name)
    return values


def visible_run(session: Session, actor: Actor, run_id: int) -> ImportRun:
    """A run the actor sees (their own; a manager's team's; every run for an admin)."""
    found = session.exec(
        only_visible(select(ImportRun).where(ImportRun.id == run_id), actor, ImportRun.user_id)
    ).first()
    if found is None:
        raise NotAllowed()
    return found


def recent_runs(session: Session, actor: Actor, entity: str | None = None, limit: int = 10) -> list[ImportRun]:
    stmt = select(ImportRun)
    if entity:
        stmt = stmt.where(ImportRun.entity == entity)
    stmt = only_visible(stmt, actor, ImportRun.user_id)
    return list(session.exec(stmt.order_by(ImportRun.id.desc()).limit(limit)).all())
