"""The unsubscribe link of a campaign's message: a token naming the member and when it expires,
signed with HMAC-SHA256 under the app's own secret (kept in app_setting, made on first use).

Opening the link and confirming sets the member's e-mail opt-out through the record service (so
the change shows on its History tab, made by no user) and the member's status to
"unsubscribed", without signing in. A token changed by hand or past its day changes nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import AuditLog, Campaign, CampaignMember
from crm_app.models._base import utcnow
from crm_app.models.app_setting import AppSetting
from crm_app.services.campaigns.campaigns import MEMBER_ENTITIES, member_record
from crm_app.services.customer import contacts, customers
from crm_app.services.errors import ServiceError
from crm_app.services.people.permissions import Actor
from crm_app.services.records import audit, record_service

SECRET_KEY = "unsubscribe_secret"
VALID_DAYS = 180
KINDS = {"customer": customers.KIND, "contact": contacts.KIND}
# who the change is made by in history: the addressee, not a user of the app
NOBODY = Actor(id=None, role="", full_name="", visible_owner_ids=frozenset(), editable_owner_ids=frozenset())  # type: ignore[arg-type]


def _secret(session: Session) -> bytes:
    """The signing secret, made once (two first uses at once: the one stored wins)."""
    stored = session.exec(select(AppSetting.value).where(AppSetting.key == SECRET_KEY)).first()
    if stored:
        return stored.encode()
    try:
        with session.begin_nested():
            session.add(AppSetting(key=SECRET_KEY, value=secrets.token_urlsafe(32)))
    except sa.exc.IntegrityError:
        pass
    return session.exec(select(AppSetting.value).where(AppSetting.key == SECRET_KEY)).one().encode()


def _sign(key: bytes, payload: str) -> str:
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_for(session: Session, member_id: int, now: float | None = None) -> str:
    expires = int((now if now is not None else time.time()) + VALID_DAYS * 86400)
    payload = f"{member_id}.{expires}"
    return f"{payload}.{_sign(_secret(session), payload)}"


def member_of(session: Session, token: str, now: float | None = None) -> CampaignMember:
    """The member a token names; refused (ServiceError) when it was changed, has expired or names
    no member any more."""
    parts = str(token or "").split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit() or len(token) > 200:
        raise ServiceError("err.unsubscribe_invalid")
    payload = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(_sign(_secret(session), payload), parts[2]):
        raise ServiceError("err.unsubscribe_invalid")
    if int(parts[1]) < (now if now is not None else time.time()):
        raise ServiceError("err.unsubscribe_expired")
    member = session.get(CampaignMember, int(parts[0]))
    if member is None:
        raise ServiceError("err.unsubscribe_invalid")
    return member


def address_of(session: Session, member: CampaignMember) -> str:
    entity, record_id = member_record(member)
    row = session.get(MEMBER_ENTITIES[entity], record_id)
    return row.email if row is not None else ""


def unsubscribe(session: Session, token: str, now: float | None = None) -> str:
    """The member opted out of e-mail and marked unsubscribed (committed); its address."""
    member = member_of(session, token, now)
    entity, record_id = member_record(member)
    kind = KINDS[entity]
    row = session.get(kind.model, record_id)
    if not row.email_opt_out:
        before = record_service.snapshot(session, kind, row)
        record_service.update(session, kind, NOBODY, row, before, {**before, "email_opt_out": True})
    if member.status != "unsubscribed":
        member.status, member.updated_at = "unsubscribed", utcnow()
        session.add(member)
        # the History tab says why the opt-out changed: the addressee's link of that campaign
        campaign = session.get(Campaign, member.campaign_id)
        row_values = audit.row(entity, record_id, "unsubscribe", None, utcnow(), "campaigns", None, campaign.name)
        session.add(AuditLog(**row_values))
    session.commit()
    return row.email
