"""The admin's setting "records shared with the team" (SPEC 1): off, read-only or editable.

Read by permissions.load_actor, which gives sales the matching sets of owners; changed here, by
an admin only, with its history.
"""

from __future__ import annotations

from sqlmodel import Session, select

from crm_app.models import AppSetting
from crm_app.models._base import utcnow
from crm_app.models.app_setting import TEAM_SHARING, TEAM_SHARING_MODES
from crm_app.services import process_cache
from crm_app.services.errors import ValidationFailed
from crm_app.services.people.permissions import Actor, require_admin, team_sharing_mode
from crm_app.services.records import audit

mode = team_sharing_mode


def set_mode(session: Session, actor: Actor, value: str) -> bool:
    """Share records with the team as ``value`` says; False when it already was."""
    require_admin(actor)
    if value not in TEAM_SHARING_MODES:
        raise ValidationFailed({TEAM_SHARING: ("err.invalid_sharing_mode", {"value": value})})
    row = session.exec(select(AppSetting).where(AppSetting.key == TEAM_SHARING)).first()
    before = row.value if row is not None else "off"
    if value == before:
        return False
    if row is None:
        row = AppSetting(key=TEAM_SHARING)
    row.value, row.updated_by_id, row.updated_at = value, actor.id, utcnow()
    session.add(row)
    session.flush()
    audit.record(session, "app_setting", row.id, "update", actor.id, {TEAM_SHARING: before}, {TEAM_SHARING: value})
    session.flush()
    process_cache.forget(session)  # the rights of the users of this process follow it at once
    return True
