"""Generated files waiting to be downloaded by the one user they were made for.

A file lives in data/downloads/<token>/ beside a meta.json naming its user and file
name; the authenticated route (crm_app.api) hands it over (a browser may ask twice) and
files older than an hour are removed whenever a new one is made.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from pathlib import Path
from urllib.parse import quote

from crm_app.services.errors import NotAllowed
from crm_app.settings import ROOT

FOLDER = ROOT / "data" / "downloads"


KEEP_SECONDS = 3600


def new_file(user_id: int, filename: str) -> tuple[str, Path]:
    """(token, path to write the file to)."""
    purge_old()
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


def purge_old(now: float | None = None, root: Path | None = None, keep_seconds: float = KEEP_SECONDS) -> None:
    """Remove the folders below ``root`` (the downloads) older than ``keep_seconds``."""
    now, root = now or time.time(), root or FOLDER
    if not root.exists():
        return
    for folder in root.iterdir():
        try:
            old = now - folder.stat().st_mtime > keep_seconds
        except OSError:
            continue
        if old:
            shutil.rmtree(folder, ignore_errors=True)


def url(token: str, filename: str) -> str:
    """The link to the file; it ends with the file name, which the browser saves it as."""
    return f"/download/{token}/{quote(filename)}"
