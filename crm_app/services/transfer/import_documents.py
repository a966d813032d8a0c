"""Files of an import: the staged upload and its review, the template and the error report.

Uploads are kept under data/imports/ (never under the public upload folder), named by a
random token, with the id of the user who sent them; a user only ever reads their own.
They are deleted once the run is over.
"""

from __future__ import annotations

import json
import secrets
import shutil
from pathlib import Path
from typing import IO

from crm_app.i18n import tr
from crm_app.services.errors import NotAllowed, ServiceError
from crm_app.services.people.permissions import Actor
from crm_app.services.records import catalogs
from crm_app.services.transfer import downloads
from crm_app.services.transfer.formula_guard import inert
from crm_app.services.transfer.import_custom import with_custom
from crm_app.services.transfer.import_files import VCARD_HEADERS, Table, read_table
from crm_app.services.transfer.import_targets import TARGETS, ImportTarget
from crm_app.services.transfer.importer import REPORTED_VERDICTS, RowVerdict
from crm_app.services.transfer.xlsx_writer import HEADER, REQUIRED_HEADER, WRAP, XlsxWriter
from crm_app.settings import ROOT, settings

STAGING = ROOT / "data" / "imports"
# Each run's report of the rows left out or warned about is kept with the deployment's files: it
# stays downloadable from the recent runs after the summary is left (the upload it was made from is
# gone by then).
KEEP_REPORT_SECONDS = 90 * 24 * 3600


def _report_of(run_id: int) -> Path:
    return settings.files_dir / "import_reports" / str(int(run_id)) / "report.xlsx"


# An upload is kept this long for its next steps, and for a retry of its import (services.jobs).
KEEP_STAGED_SECONDS = 7 * 24 * 3600


def _folder(token: str) -> Path:
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        raise NotAllowed()
    return STAGING / token


def stage(actor: Actor, filename: str, data: bytes) -> tuple[str, Table]:
    """Keep an upload for the next steps; reads it first, so an unreadable file is refused at once."""
    table = read_table(data, filename)
    downloads.purge_old(root=STAGING, keep_seconds=KEEP_STAGED_SECONDS)
    token = secrets.token_urlsafe(16)
    folder = _folder(token)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "upload").write_bytes(data)
    (folder / "meta.json").write_text(json.dumps({"user_id": actor.id, "file_name": Path(filename).name}))
    return token, table


def staged(actor: Actor, token: str) -> tuple[Table, str]:
    folder = _folder(token)
    if not (folder / "upload").exists():
        raise ServiceError("err.import_file_gone")  # a retry after the upload was let go
    meta = _meta(actor, folder)
    return read_table((folder / "upload").read_bytes(), meta["file_name"]), meta["file_name"]


def _meta(actor: Actor, folder: Path) -> dict:
    try:
        meta = json.loads((folder / "meta.json").read_text())
    except (OSError, ValueError):
        raise NotAllowed() from None
    if meta.get("user_id") != actor.id:
        raise NotAllowed()
    return meta


def save_review(actor: Actor, token: str, verdicts: list[RowVerdict]) -> None:
    folder = _folder(token)
    _meta(actor, folder)
    (folder / "review.json").write_text(json.dumps([v.as_list() for v in verdicts], ensure_ascii=False))


def review(actor: Actor, token: str) -> list[RowVerdict]:
    folder = _folder(token)
    _meta(actor, folder)
    try:
        return [RowVerdict.from_list(x) for x in json.loads((folder / "review.json").read_text())]
    except OSError:
        return []


def discard(actor: Actor, token: str) -> None:
    folder = _folder(token)
    if folder.exists():
        _meta(actor, folder)
        shutil.rmtree(folder, ignore_errors=True)


def keep_report(run_id: int, table: Table, verdicts: list[RowVerdict], lang: str) -> None:
    """Write the run's error report where it is kept (reports older than KEEP_REPORT_SECONDS go)."""
    kept = _report_of(run_id)
    downloads.purge_old(root=kept.parent.parent, keep_seconds=KEEP_REPORT_SECONDS)
    kept.parent.mkdir(parents=True, exist_ok=True)
    write_error_report(str(kept), table, verdicts, lang)


def has_report(run_id: int) -> bool:
    return _report_of(run_id).exists()


def report_download(actor: Actor, run_id: int, lang: str) -> str:
    """A download link, for ``actor``, of a run's kept report (the caller checked the actor sees
    the run)."""
    kept = _report_of(run_id)
    if not kept.exists():
        raise ServiceError("err.import_report_gone")
    name = f"{tr('import.report_file', lang, id=run_id)}.xlsx"
    token, path = downloads.new_file(actor.id, name)
    shutil.copyfile(kept, path)
    return downloads.url(token, name)


# --- documents ----------------------------------------------------------------------------------


def _allowed(target: ImportTarget, f, lang: str, session) -> str:
    if f.custom_id and f.kind in ("option", "options"):
        return tr(f"import.allowed.{f.kind}", lang, options=" / ".join(f.options))
    if f.custom_id and f.kind == "number":
        return tr("import.allowed.custom_number", lang)
    if f.kind == "choice":
        return " / ".join(tr(f.choices + c, lang) for c in target.choice_codes(f))
    if f.kind == "catalog":
        return " / ".join(catalogs.label(i, lang) for i in catalogs.items(session, f.choices))
    return tr(f"import.allowed.{f.kind}", lang)


def write_template(out: str | IO[bytes], session, entity: str, lang: str) -> None:
    """A blank file to fill in: required columns highlighted, a second sheet explaining each column."""
    target = with_custom(session, TARGETS[entity])
    fields = [f for f in target.fields if not f.match_only]
    header = [(f.label or tr(f.label_key, lang)) + (" *" if f.required else "") for f in fields]
    explain = [
        [
            f.label or tr(f.label_key, lang),
            tr("common.yes" if f.required else "common.no", lang),
            _allowed(target, f, lang, session),
        ]
        for f in fields
    ]
    with XlsxWriter(out) as book:
        book.sheet(
            tr("import.template_sheet", lang),
            header,
            [],
            header_styles=[REQUIRED_HEADER if f.required else HEADER for f in fields],
        )
        book.sheet(
            tr("import.template_help_sheet", lang),
            [tr("import.help_column", lang), tr("import.help_required", lang), tr("import.help_allowed", lang)],
            explain,
            widths=[28, 12, 80],
            row_style=WRAP,
        )


def write_error_report(out: str | IO[bytes], table: Table, verdicts: list[RowVerdict], lang: str) -> int:
    """The file's own rows that were not imported or were imported with a warning, as they were,
    with a reason column."""
    by_row = {v.row: v for v in verdicts if v.verdict in REPORTED_VERDICTS}
    width = len(table.headers)

    def rows():
        for number, row in zip(table.row_numbers, table.rows, strict=False):
            v = by_row.get(number)
            if v is not None:
                cells = [("" if c is None else inert(c)) for c in row[:width]] + [""] * (width - len(row))
                yield [number, *cells, inert(v.message(lang))]

    with XlsxWriter(out) as book:
        return book.sheet(
            tr("import.errors_sheet", lang),
            [
                tr("import.card" if table.headers == VCARD_HEADERS else "import.row", lang),
                *table.headers,
                tr("import.reason", lang),
            ],
            rows(),
        )
