"""Matching file headers to an import target's fields, and saved mappings.

A header matches a field when, without diacritics, case or punctuation, it equals one
of the field's names (Vietnamese or English: "Họ và tên", "Ho va ten", "Full name",
"SĐT"...) or, for names of four letters or more, contains one ("Điện thoại di động").
A custom field's name is its label; on an equally good match the built-in field wins
(it comes first in the target's fields).
"""

from __future__ import annotations

import json
import re

from sqlmodel import Session, select

from crm_app.models import SavedMapping
from crm_app.services.errors import ValidationFailed
from crm_app.services.normalize import fold_spaces, normalize_name
from crm_app.services.people.permissions import Actor
from crm_app.services.transfer.import_custom import with_custom
from crm_app.services.transfer.import_targets import TARGETS

_NON_WORD = re.compile(r"[^a-z0-9]+")


def header_key(header: str) -> str:
    return fold_spaces(_NON_WORD.sub(" ", normalize_name(header)))


def auto_map(headers: list[str], target) -> dict[int, str]:
    """{column index: field name}; each field is taken once, except those that accept
    several columns (phones, tags)."""
    synonyms = [(f.name, header_key(s)) for f in target.fields for s in f.headers]
    result: dict[int, str] = {}
    taken: set[str] = set()
    multi = {f.name for f in target.fields if f.multi}

    def free(name: str) -> bool:
        return name not in taken or name in multi

    keys = [header_key(h) for h in headers]
    for exact in (True, False):
        for index, key in enumerate(keys):
            if index in result or not key:
                continue
            candidates = [
                (name, syn)
                for name, syn in synonyms
                if free(name) and (key == syn if exact else len(syn) >= 4 and re.search(rf"\b{re.escape(syn)}\b", key))
            ]
            if candidates:
                name = max(candidates, key=lambda c: len(c[1]))[0]
                result[index] = name
                taken.add(name)
    return result


def check_mapping(mapping: dict[int, str], target, headers: list[str]) -> None:
    """Each column (of ``headers``) maps to one of the target's fields, once unless the field
    takes several; the required fields are mapped. A refusal names the field and the columns."""
    fields = {f.name: f for f in target.fields}
    seen: dict[str, int] = {}
    for index, name in mapping.items():
        if not name:
            continue
        if name not in fields or not 0 <= index < len(headers):
            raise ValidationFailed({"mapping": ("err.invalid_choice", {})})
        if name in seen and not fields[name].multi:
            named = [headers[i] or f"#{i + 1}" for i in (seen[name], index)]
            raise ValidationFailed(
                {"mapping": ("err.mapping_twice", {"field": name, "first": named[0], "second": named[1]})}
            )
        seen.setdefault(name, index)
    missing = [f.name for f in target.fields if f.required and f.name not in seen]
    if missing:
        raise ValidationFailed({"mapping": ("err.mapping_required", {"field": missing[0]})})


def save_mapping(
    session: Session, actor: Actor, entity: str, name: str, headers: list[str], mapping: dict[int, str]
) -> SavedMapping:
    name = fold_spaces(name)[:120]
    if not name:
        raise ValidationFailed({"mapping_name": ("err.required", {})})
    by_header = {header_key(headers[i]): f for i, f in mapping.items() if f and i < len(headers)}
    saved = session.exec(
        select(SavedMapping).where(
            SavedMapping.user_id == actor.id, SavedMapping.entity == entity, SavedMapping.name == name
        )
    ).first()
    if saved is None:
        saved = SavedMapping(entity=entity, user_id=actor.id, name=name, mapping="{}")
    saved.mapping = json.dumps(by_header, ensure_ascii=False)
    session.add(saved)
    session.flush()
    return saved


def saved_mappings(session: Session, actor: Actor, entity: str) -> list[tuple[int, str]]:
    rows = session.exec(
        select(SavedMapping.id, SavedMapping.name)
        .where(SavedMapping.user_id == actor.id, SavedMapping.entity == entity)
        .order_by(SavedMapping.name)
    ).all()
    return [(i, n) for i, n in rows]


def apply_saved(session: Session, actor: Actor, mapping_id: int, headers: list[str]) -> dict[int, str]:
    saved = session.get(SavedMapping, mapping_id)
    if saved is None or saved.user_id != actor.id:
        raise ValidationFailed({"mapping": ("err.invalid_choice", {})})
    by_header = json.loads(saved.mapping)
    # a field gone since (a custom field hidden) leaves its column unmapped
    known = {f.name for f in with_custom(session, TARGETS[saved.entity]).fields}
    return {i: by_header[header_key(h)] for i, h in enumerate(headers) if by_header.get(header_key(h)) in known}
