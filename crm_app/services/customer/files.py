"""Files attached to a customer: stored under settings.files_dir with a random name, never in a
served folder; every read checks the actor's right to the customer."""

from __future__ import annotations

import mimetypes
import re
import secrets
import unicodedata
from pathlib import Path

from sqlmodel import Session, select

from crm_app.models import StoredFile
from crm_app.services.errors import ServiceError
from crm_app.services.normalize import strip_invisible
from crm_app.services.people.permissions import Actor
from crm_app.services.records import children
from crm_app.settings import settings

ENTITY = "file"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
MAX_NAME = 200

FILES_PER_DROP = 10  # files one drop on the Files tab may send at once


def sanitize_name(name: str) -> str:
    """A safe display and download name: no folders, no control, reserved or invisible characters
    (a right-to-left mark would show "zs\u202etxt.exe" as "zsexe.txt"), no leading dots, at most MAX_NAME characters with the extension kept."""
    base = unicodedata.normalize("NFC", strip_invisible(str(name or ""))).replace("\\", "/").rsplit("/", 1)[-1]
    base = " ".join(_UNSAFE.sub("_", base).split()).lstrip(". ")
    if len(base) > MAX_NAME:
        stem, dot, ext = base.rpartition(".")
        keep = ext if dot and len(ext) <= 10 else ""
        base = (stem if keep else base)[: MAX_NAME - len(keep) - 1].rstrip() + ("." + keep if keep else "")
    return base or "file"


def stored_path(key: str, root: Path | None = None) -> Path:
    return (root or settings.files_dir) / key[:2] / key


def save(
    session: Session,
    actor: Actor,
    customer_id: int,
    name: str,
    data: bytes,
    content_type: str = "",
    max_bytes: int | None = None,
    root: Path | None = None,
) -> StoredFile:
    customer = children.customer_for(session, actor, customer_id)
    limit = settings.max_upload_bytes if max_bytes is None else max_bytes
    if not data:
        raise ServiceError("err.file_empty", name=sanitize_name(name))
    if len(data) > limit:
        raise ServiceError("err.file_too_large", name=sanitize_name(name), max=f"{limit / 1024 / 1024:g}")
    clean_name = sanitize_name(name)
    guessed = mimetypes.guess_type(clean_name)[0]
    key = secrets.token_hex(16)
    path = stored_path(key, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    stored = StoredFile(
        customer_id=customer.id,
        name=clean_name,
        storage_key=key,
        size=len(data),
        content_type=(content_type or guessed or "application/octet-stream")[:120],
        uploaded_by_id=actor.id,
    )
    try:
        session.add(stored)
        session.flush()
        children.record(session, actor, ENTITY, stored, "create", {}, {"name": clean_name, "size": len(data)})
        session.commit()  # the row is kept with the file just written, or the file is removed below
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return stored


def for_download(session: Session, actor: Actor, file_id: int, root: Path | None = None) -> tuple[StoredFile, Path]:
    """The file row and its path on disk, if the actor may see the customer (NotAllowed otherwise)."""
    stored = children.child_for(session, actor, StoredFile, file_id, change=False)
    path = stored_path(stored.storage_key, root)
    if not path.is_file():
        raise ServiceError("err.file_missing")
    return stored, path


def delete(session: Session, actor: Actor, file_id: int, root: Path | None = None) -> None:
    stored = children.child_for(session, actor, StoredFile, file_id)
    children.record(session, actor, ENTITY, stored, "delete", {"name": stored.name, "size": stored.size}, {})
    path = stored_path(stored.storage_key, root)
    session.delete(stored)
    session.commit()  # the row goes before its file: a failure leaves a file without a row, never the reverse
    path.unlink(missing_ok=True)


def of_customer(session: Session, actor: Actor, customer_id: int, limit: int = 200) -> list[StoredFile]:
    children.customer_for(session, actor, customer_id, change=False)
    stmt = select(StoredFile).where(StoredFile.customer_id == customer_id).order_by(StoredFile.id.desc()).limit(limit)
    return list(session.exec(stmt).all())


def download_url(file_id: int) -> str:
    return f"/api/files/{file_id}"
