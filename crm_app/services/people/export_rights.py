"""What each role may export: whether it exports a kind of record at all, and which of its fields.

The admin sets it per role and kind of record (an admin page); until then the registry's defaults
hold (FieldDef.no_export: sales export no phones or e-mails). Admins always export everything, so
no setting can leave nobody able to change it back.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from crm_app.i18n import tr
from crm_app.models import ExportRight
from crm_app.models._base import utcnow
from crm_app.services.errors import ValidationFailed
from crm_app.services.people.permissions import Actor, require_admin
from crm_app.services.records import audit
from crm_app.services.records.fields import EntityDef, entity_def

EDITABLE_ROLES = ("manager", "sales")
ENTITIES = ("customer", "contact", "lead", "opportunity", "customer_product")  # the lists that export
HISTORY_ENTITY = "export_right"


@dataclass(frozen=True)
class Rights:
    allowed: bool
    hidden: frozenset[str]  # the fields it may not export

    def may_export(self, field: str) -> bool:
        return self.allowed and field not in self.hidden


def _stored(session: Session, role: str, entity: str) -> ExportRight | None:
    return session.exec(select(ExportRight).where(ExportRight.role == role, ExportRight.entity == entity)).first()


def _default_hidden(found: EntityDef, role: str) -> frozenset[str]:
    return frozenset(f.name for f in found.fields if role in f.no_export)


def exports_at_all(session: Session, role: str, entity: str) -> bool:
    """Whether the role exports the entity at all (a list page's export button): one row read, or
    none. "May export" with no field is refused on save, so this is "may export something"."""
    if role not in EDITABLE_ROLES or entity not in ENTITIES:
        return role not in EDITABLE_ROLES and entity in ENTITIES
    row = _stored(session, role, entity)
    return row is None or row.allowed


def of_role(session: Session, role: str, entity: str, found: EntityDef | None = None) -> Rights:
    """The role's rights over the entity's export (an admin's: everything); ``found``: the entity
    with its custom fields when the caller has read it already."""
    found = found or entity_def(session, entity)
    if role not in EDITABLE_ROLES or found is None:
        return Rights(allowed=found is not None, hidden=frozenset())
    row = _stored(session, role, entity)
    if row is None:
        return Rights(allowed=True, hidden=_default_hidden(found, role))
    return Rights(allowed=row.allowed, hidden=frozenset(n for n in row.hidden_fields.split(",") if n))


def exportable_fields(session: Session, entity: str, lang: str) -> list[tuple[str, str]]:
    """(name, label) of every field an export of the entity can carry, in the registry's order."""
    found = entity_def(session, entity)
    return (
        []
        if found is None
        else [(f.name, f.label_in(lang)) for f in found.fields if f.exported_as is None and not f.virtual]
    )


def save(
    session: Session, actor: Actor, role: str, entity: str, allowed: bool, hidden: list[str], lang: str = "vi"
) -> bool:
    """Set the role's rights over the entity's export; returns whether anything changed. Written to
    the system history (the fields by their labels, as the admin read them)."""
    require_admin(actor)
    if role not in EDITABLE_ROLES:
        raise ValidationFailed({"role": ("err.export_role_unknown", {"value": role})})
    found = entity_def(session, entity) if entity in ENTITIES else None
    if found is None:
        raise ValidationFailed({"entity": ("err.export_entity_unknown", {"value": entity})})
    names = [f.name for f in found.fields if f.exported_as is None]
    unknown = [n for n in hidden if n not in names]
    if unknown:
        raise ValidationFailed({"hidden": ("err.export_field_unknown", {"value": unknown[0]})})
    if allowed and set(names) <= set(hidden):  # "may export" nothing: say "may not export" instead
        raise ValidationFailed({"hidden": ("err.export_no_field", {})})
    before = of_role(session, role, entity, found)
    after = Rights(allowed=bool(allowed), hidden=frozenset(hidden))
    if before == after:
        return False
    row = _stored(session, role, entity) or ExportRight(role=role, entity=entity)
    row.allowed = after.allowed
    row.hidden_fields = ",".join(n for n in names if n in after.hidden)  # in the registry's order
    row.updated_by_id, row.updated_at = actor.id, utcnow()
    session.add(row)
    session.flush()

    def labels(rights: Rights) -> str:
        return ", ".join(found.field(n).label_in(lang) for n in names if n in rights.hidden)

    audit.record(
        session,
        HISTORY_ENTITY,
        row.id,
        "update",
        actor.id,
        before={"export_allowed": before.allowed, "export_hidden": labels(before)},
        after={"export_allowed": after.allowed, "export_hidden": labels(after)},
    )
    return True


def title(role: str, entity: str, lang: str) -> str:
    """ "Nhân viên kinh doanh — Khách hàng": what one setting is about."""
    return f"{tr(f'role.{role}', lang)} — {tr(f'entity.{entity}', lang)}"
