"""Generated files waiting to be downloaded by the one user they were made for.

A file lives in data/downloads/<token>/ beside a meta.json naming its user and file
name; the authenticated route (crm_app.api) hands it over once and deletes it.
"""

from __future__ import annotations

import json
import secrets
import shutil
from pathlib import Path

from crm_app.services.errors import NotAllowed
from crm_app.settings import ROOT

FOLDER = ROOT / "data" / "downloads"


def new_file(user_id: int, filename: str) -> tuple[str, Path]:
    """(token, path to write the file to)."""
    token = secrets.token_urlsafe(18)
    folder = FOLDER / token
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "meta.json").write_text(json.dumps({"user_id": user_id, "file_name": filename}, ensure_ascii=False))
    return token, folder / "file"


def take(user_id: int, token: str) -> tuple[Path, str]:
    """The file and its name, for its own user only."""
    if not token.replace("-", "").replace("_", "").isalnum():
        raise NotAllowed()
    folder = FOLDER / token
    try:
        meta = json.loads((folder / "meta.json").read_text())
    except (OSError, ValueError):
        raise NotAllowed() from None
    if meta.get("user_id") != user_id or not (folder / "file").exists():
        raise NotAllowed()
    return folder / "file", meta["file_name"]


def remove(token: str) -> None:
    shutil.rmtree(FOLDER / token, ignore_errors=True)


def url(token: str) -> str:
    return f"/download/{token}"
