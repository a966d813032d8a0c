"""The import wizard: upload -> mapping -> options -> review -> run (background) -> summary.

The file stays on the server (services.import_documents); the state holds its token,
the headers, the mapping, the options and one page of review rows.
"""

from __future__ import annotations

import asyncio
import json

import reflex as rx

from crm_app import routes
from crm_app.i18n import LANGUAGES, tr
from crm_app.models import ImportRun
from crm_app.models.custom_field import CUSTOM_FIELD_ENTITIES
from crm_app.services import jobs
from crm_app.services.errors import ValidationFailed
from crm_app.services.formatting import fmt_datetime, fmt_number
from crm_app.services.lists import record_lists
from crm_app.services.normalize import normalize_name
from crm_app.services.people import users
from crm_app.services.transfer import downloads, import_custom, import_documents, import_jobs, import_mapping, importer
from crm_app.services.transfer.import_custom import with_custom
from crm_app.services.transfer.import_mapping import auto_map, check_mapping
from crm_app.services.transfer.import_targets import TARGETS
from crm_app.services.transfer.import_values import as_text
from crm_app.services.transfer.importer import ImportOptions
from crm_app.services.transfer.job_process import JobProcessDied, run_in_process
from crm_app.state.job_runner import run_job
from crm_app.state.off_loop import in_thread, on_loop
from crm_app.state.session import SessionState

REVIEW_PAGE = 100


# Text encodings of before Unicode a file may have been read in (services.transfer.legacy_text).
LEGACY_ENCODINGS = {
    "tcvn3": "TCVN3 (ABC)",
    "vni": "VNI",
    "windows-1258": "Windows-1258",
    "windows-1252": "Windows-1252",
}


def _sample(rows: list[list[object]], column: int) -> str:
    """A column's first value among the first rows of the file (its first cell may be empty)."""
    for row in rows[:50]:
        text = as_text(row[column]) if column < len(row) else ""
        if text:
            return text[:40]
    return ""


RECENT_PAGE = 10  # runs a page of the recent list shows


class ImportState(SessionState):
    entity: str = "customer"
    step: str = "upload"
    token: str = ""
    file_name: str = ""
    encoding: str = ""  # how a text file was read (LEGACY_ENCODINGS are said on screen)
    headers: list[str] = []
    samples: list[str] = []
    mapping: list[str] = []
    custom_options: list[list[str]] = []  # the entity's active custom fields: [name, label]
    new_field_column: int = -1  # the column an admin is turning into a new custom field (-1: none)
    new_field: dict[str, str] = {}  # its label, type and options as typed
    new_field_errors: dict[str, str] = {}
    new_field_title: str = ""  # kept while the dialog closes
    mode: str = "skip"
    duplicate_check: bool = True
    keys: list[str] = []
    required: list[str] = []  # mapped fields the user requires on top of the target's own
    tags_text: str = ""
    list_id: str = ""  # a static list the imported records join ("" none)
    list_options: list[list[str]] = []
    counts: dict[str, int] = {}
    has_report: bool = False  # rows with errors or warnings: the report file lists them
    review_rows: list[dict[str, str]] = []
    verdict_filter: str = ""
    busy: bool = False
    progress: int = 0
    progress_text: str = ""  # the step a run is in and its rows written so far
    run_id: int = 0
    summary: str = ""
    error_count: int = 0
    undone: bool = False
    undo_question: str = ""  # what undoing the run just finished removes and brings back
    saved_mappings: list[list[str]] = []
    recent: list[dict[str, str]] = []
    recent_limit: int = RECENT_PAGE  # the runs listed; "more" lists another page of them
    recent_more: bool = False  # older runs than those listed
    mapping_name: str = ""

    @rx.var
    def field_options(self) -> list[list[str]]:
        target = TARGETS[self.entity]
        return [[f.name, self.t.get(f.label_key, f.name) + (" *" if f.required else "")] for f in target.fields]

    @rx.var
    def requirable(self) -> list[list[str]]:
        """The mapped fields that are not required anyway: [name, label]."""
        target = TARGETS[self.entity]
        labels = {f.name: self.t.get(f.label_key, f.name) for f in target.fields if not f.required}
        labels.update(dict(self.custom_options))
        return [[name, labels[name]] for name in dict.fromkeys(self.mapping) if name in labels]

    @rx.var
    def can_add_fields(self) -> bool:
        return self.role == "admin" and self.entity in CUSTOM_FIELD_ENTITIES

    @rx.var
    def key_options(self) -> list[str]:
        return list(TARGETS[self.entity].keys)

    @rx.var
    def mapping_rows(self) -> list[list[str]]:
        """[index, header, sample, field, "1" when the field is a custom one]."""
        custom = {name for name, _label in self.custom_options}
        rows = []
        for i, h in enumerate(self.headers):
            name = self.mapping[i] if i < len(self.mapping) else ""
            rows.append(
                [str(i), h, self.samples[i] if i < len(self.samples) else "", name, "1" if name in custom else ""]
            )
        return rows

    @rx.var
    def is_vcard(self) -> bool:
        """A contact file: its rows are cards, numbered 1, 2, 3 …"""
        return self.file_name.lower().endswith((".vcf", ".vcard"))

    @rx.var
    def runnable(self) -> int:
        return self.counts.get("new", 0) + self.counts.get("warning", 0) + self.counts.get("update", 0)

    @rx.var
    def file_info(self) -> str:
        found = self._msg(
            "import.rows_found",
            rows=fmt_number(self.counts.get("rows", 0)),
            columns=len(self.headers),
            file=self.file_name,
        )
        if self.encoding in LEGACY_ENCODINGS:  # said, so that a wrong guess is seen before importing
            found += " · " + self._msg("import.encoding_read", name=LEGACY_ENCODINGS[self.encoding])
        return found

    @rx.var
    def run_label(self) -> str:
        return self._msg("import.run", count=fmt_number(self.runnable))

    @rx.var
    def count_labels(self) -> dict[str, str]:
        """The review's count of each verdict as the app writes numbers ("5.000")."""
        return {k: fmt_number(v) for k, v in self.counts.items()}

    @rx.event
    def open(self):
        self.step, self.token, self.busy, self.progress = "upload", "", False, 0
        self.recent_limit = RECENT_PAGE
        wanted = self.router.url.query_parameters.get("entity", "")
        if wanted in TARGETS and wanted != self.entity:
            self.entity, self.keys = wanted, list(TARGETS[wanted].default_keys)
        return self._load_recent()

    def _load_recent(self):
        with self._service() as (session, actor):
            runs = importer.recent_runs(session, actor, limit=self.recent_limit + 1)
            self.recent_more, runs = len(runs) > self.recent_limit, runs[: self.recent_limit]
            who = users.names_by_id(session, {r.user_id for r in runs})
            self.recent = [
                {
                    "id": str(r.id),
                    "file": r.file_name,
                    "when": fmt_datetime(r.started_at),
                    "who": who.get(r.user_id, ""),
                    "undo_question": self._undo_question(r.created, r.updated, r.file_name),
                    "entity": self._msg(f"import.entity.{r.entity}"),
                    "status": self._msg(f"import.status.{r.status}"),
                    "counts": " / ".join(
                        fmt_number(n) for n in (r.created, r.updated, r.errors + r.skipped)
                    ),  # errors, duplicates, skipped
                    "undoable": "1" if importer.can_undo(actor, r) else "",
                    "report": "1" if import_documents.has_report(r.id) else "",
                }
                for r in runs
            ]

    @rx.event
    def run_report(self, run_id: str):
        """The report of a listed run's rows left out or warned about, for whoever sees the run."""
        try:
            with self._service() as (session, actor):
                run = importer.visible_run(session, actor, int(run_id) if run_id.isdigit() else 0)
                url = import_documents.report_download(actor, run.id, self.lang)
        except Exception as exc:  # noqa: BLE001
            return self._fail(exc)
        return rx.download(url=url)

    @rx.event
    def more_recent(self):
        """Older runs: each stays reachable, with its undo."""
        self.recent_limit += RECENT_PAGE
        return self._load_recent()

    @rx.event(background=True)
    async def undo_run(self, run_id: str):
        """Undo a run of the recent list (in a job process: a big run takes seconds)."""
        done, events = await self._undo_job(int(run_id) if run_id.isdigit() else 0)
        if done:
            async with self:
                self._load_recent()
        return events

    async def _undo_job(self, run_id: int | None = None):
        """Undo a run (None: the one just finished) in a job process: (undone, the events telling
        the user)."""
        async with self:
            if self.busy:
                return False, None
            self.busy, auth_token, lang = True, self._auth_token(), self.lang
            run_id = self.run_id if run_id is None else run_id
            with self._service() as (session, _actor):
                run = session.get(ImportRun, run_id)
            title = self._msg("jobs.undo_title", file=run.file_name if run else f"#{run_id}")
            user_id = self.user_id
        try:
            job_id = await asyncio.to_thread(jobs.start, user_id, "import_undo", title, {"run_id": run_id})
            await run_job(job_id, lang, import_jobs.undo, auth_token, job_id, run_id)
        except Exception as exc:  # noqa: BLE001
            async with self:
                self.busy = False
                return False, self._fail(exc)
        async with self:
            self.busy = False
            return True, rx.toast.success(self._msg("import.undone"))

    @rx.event
    def set_entity(self, value: str):
        if value in TARGETS:
            self.entity = value
            self.keys = list(TARGETS[value].default_keys)

    @rx.event
    def template(self):
        with self._service() as (session, actor):
            kind = normalize_name(self._msg(f"import.entity.{self.entity}")).replace(" ", "-")
            name = self._msg("import.template_file", entity=kind) + ".xlsx"  # e.g. mau-nhap-khach-hang.xlsx
            token, path = downloads.new_file(actor.id, name)
            import_documents.write_template(str(path), session, self.entity, self.lang)
        return rx.download(url=downloads.url(token, name))

    @rx.event
    @on_loop
    def rejected(self, names: list[str]):
        """Files the drop zone refused before sending (not a kind it reads), named in the message."""
        return [rx.toast.error(self._msg("err.import_file_type", name=str(name).lstrip("./"))) for name in names[:3]]

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):
        if not files:
            return
        file = files[0]
        data = await file.read()
        # Reading a big file takes seconds of CPU: never on the loop that serves the other users.
        return await in_thread(self._stage, file.name or "upload", data)

    def _stage(self, file_name: str, data: bytes):
        with self._service() as (session, actor):
            token, table = import_documents.stage(actor, file_name, data)
            target = with_custom(session, TARGETS[self.entity])
        self.custom_options = [[f.name, f.label] for f in target.fields if f.custom_id]
        self.token, self.file_name, self.encoding = token, file_name, table.encoding
        self.headers = [h or f"#{i + 1}" for i, h in enumerate(table.headers)]
        self.samples = [_sample(table.rows, i) for i in range(len(table.headers))]
        found = auto_map(table.headers, target)
        self.mapping = [found.get(i, "") for i in range(len(table.headers))]
        self.keys = list(target.default_keys)
        # what was given to the records of the last file is not silently given to this one's
        self.tags_text, self.list_id = "", ""
        self.step, self.new_field_column = "mapping", -1
        self._load_saved()
        self.counts = {"rows": len(table.rows)}

    @rx.event
    def set_mapping(self, index: str, value: str):
        i = int(index)
        if 0 <= i < len(self.mapping):
            self.mapping[i] = value

    @rx.event
    def start_new_field(self, index: str):
        i = int(index)
        if 0 <= i < len(self.headers):
            self.new_field_column, self.new_field_errors = i, {}
            self.new_field_title = self._msg("import.new_field_title", column=self.headers[i])
            self.new_field = {"label": self.headers[i][:80], "type": "text", "options": ""}

    @rx.event
    def set_new_field(self, key: str, value: str):
        if key in ("label", "type", "options"):
            self.new_field = {**self.new_field, key: value}

    @rx.event
    def set_new_field_open(self, is_open: bool):
        if not is_open:
            self.new_field_column = -1

    @rx.event
    def create_new_field(self):
        """Make the column's custom field and map the column to it."""
        i = self.new_field_column
        try:
            with self._service() as (session, actor):
                name = import_custom.add_field(session, actor, self.entity, dict(self.new_field))
                target = with_custom(session, TARGETS[self.entity])
        except ValidationFailed as exc:
            self.new_field_errors = {f: self._msg(key, **params) for f, (key, params) in exc.errors.items()}
            return
        self.custom_options = [[f.name, f.label] for f in target.fields if f.custom_id]
        if 0 <= i < len(self.mapping):
            self.mapping[i] = name
        self.new_field_column = -1
        return rx.toast.success(self._msg("cf.created"))

    def _load_saved(self):
        with self._service() as (session, actor):
            self.saved_mappings = [[str(i), n] for i, n in import_mapping.saved_mappings(session, actor, self.entity)]

    @rx.event
    def set_mapping_name(self, value: str):
        self.mapping_name = value

    @rx.event
    def save_mapping(self):
        try:
            with self._service() as (session, actor):
                import_mapping.save_mapping(
                    session, actor, self.entity, self.mapping_name, self.headers, self._mapping()
                )
        except Exception as exc:  # noqa: BLE001
            return self._field_fail(exc)
        self.mapping_name = ""
        self._load_saved()
        return rx.toast.success(self._msg("import.mapping_saved"))

    @rx.event
    def use_saved_mapping(self, mapping_id: str):
        if not mapping_id.isdigit():
            return
        try:
            with self._service() as (session, actor):
                found = import_mapping.apply_saved(session, actor, int(mapping_id), self.headers)
        except Exception as exc:  # noqa: BLE001
            return self._field_fail(exc)
        self.mapping = [found.get(i, "") for i in range(len(self.headers))]

    @rx.event
    def to_options(self):
        try:
            with self._service() as (session, actor):
                check_mapping(self._mapping(), with_custom(session, TARGETS[self.entity]), list(self.headers))
                self.list_options = [
                    [str(rl.id), rl.name] for rl, _n in record_lists.visible(session, actor, self.entity)
                ]
        except Exception as exc:  # noqa: BLE001
            return self._field_fail(exc)
        if self.list_id not in [o[0] for o in self.list_options]:
            self.list_id = ""
        self.step = "options"

    def _field_fail(self, exc: Exception):
        if isinstance(exc, ValidationFailed):
            key, params = next(iter(exc.errors.values()))
            params = {k: self._field_label(v) if k == "field" else v for k, v in params.items()}
            return rx.toast.error(self._msg(key, **params))
        return self._fail(exc)

    def _field_label(self, name: str) -> str:
        return dict(self.custom_options).get(name) or self._msg(f"field.{name}")

    def _mapping(self) -> dict[int, str]:
        return {i: f for i, f in enumerate(self.mapping) if f}

    def _options(self) -> ImportOptions:
        return ImportOptions(
            mode=self.mode,
            duplicate_check=self.duplicate_check,
            keys=tuple(self.keys),
            tags=tuple(t.strip() for t in self.tags_text.split(",") if t.strip()),
            list_id=int(self.list_id) if self.list_id.isdigit() else None,
            required=tuple(r for r in self.required if r in self.mapping),
        )

    @rx.event
    def set_mode(self, value: str):
        self.mode = value

    @rx.event
    def set_duplicate_check(self, value: bool):
        self.duplicate_check = value

    @rx.event
    def toggle_required(self, name: str, on: bool):
        self.required = [r for r in self.required if r != name] + ([name] if on else [])

    @rx.event
    def toggle_key(self, key: str, on: bool):
        self.keys = [k for k in self.keys if k != key] + ([key] if on else [])

    @rx.event
    def set_tags_text(self, value: str):
        self.tags_text = value

    @rx.event
    def set_list_id(self, value: str):
        self.list_id = value if value.isdigit() else ""

    @rx.event
    def back(self, step: str):
        self.step = step

    @rx.event(background=True)
    async def to_review(self):
        """Analyse every row (in a worker thread: a big file takes seconds) and show the verdicts."""
        async with self:
            if self.busy:
                return
            self.busy = True
            token, entity, mapping, options = self.token, self.entity, self._mapping(), self._options()
            auth_token = self._auth_token()

        try:
            counts, rows = await run_in_process(import_jobs.analyse, auth_token, token, entity, mapping, options)
        except Exception as exc:  # noqa: BLE001
            async with self:
                self.busy = False
                return self._field_fail(exc)
        async with self:
            self.busy = False
            self.counts = {**counts, "rows": rows}
            self.step = "review"
        return ImportState.filter_verdict("all")  # the first page of verdicts, read off the loop

    def _page(self):
        with self._service() as (_session, actor):
            verdicts = import_documents.review(actor, self.token)
        shown = [v for v in verdicts if not self.verdict_filter or v.verdict == self.verdict_filter][:REVIEW_PAGE]
        self.review_rows = [
            {
                "row": str(v.row),
                "verdict": v.verdict,
                "label": v.label,
                # in both languages: a switch of language mid-review shows the rows in the new one
                **{f"detail_{lang}": self._detail(v, lang) for lang in LANGUAGES},
                "link": routes.record_url(self.entity, v.match_id) if v.match_id else "",
            }
            for v in shown
        ]

    @staticmethod
    def _detail(v, lang: str) -> str:
        if v.changes:  # "KH000002 Bùi Minh Hoàng – Thay đổi: Email"
            changes = tr("verdict.changes", lang, fields=", ".join(v.field_label(c, lang) for c in v.changes))
            return " – ".join(p for p in (v.params.get("record", ""), changes) if p)
        return v.message(lang)

    @rx.event
    def filter_verdict(self, value: str):
        self.verdict_filter = "" if value == "all" else value
        return self._page()

    @rx.event(background=True)
    async def run_import(self):
        async with self:
            if self.busy:
                return
            self.busy, self.progress, self.step = True, 0, "running"
            self.progress_text = self._msg("import.checking")
            token, entity, mapping, options = self.token, self.entity, self._mapping(), self._options()
            auth_token, lang, user_id, file_name = self._auth_token(), self.lang, self.user_id, self.file_name

        async def show_progress(done: int, total: int) -> None:
            percent = int(100 * done / max(total, 1))
            if percent != self.progress or done == 0:
                async with self:
                    self.progress = percent
                    self.progress_text = self._msg("import.written", done=fmt_number(done), total=fmt_number(total))

        try:
            job_id = await asyncio.to_thread(
                jobs.start, user_id, "import", file_name, import_params(token, entity, mapping, options, lang)
            )
            result = await run_job(
                job_id,
                lang,
                import_jobs.run,
                auth_token,
                job_id,
                token,
                entity,
                mapping,
                options,
                lang,
                on_progress=show_progress,
            )
        except JobProcessDied:  # its process was killed: nothing written; the jobs panel runs it again
            async with self:
                self.busy, self.step = False, "review"
                return rx.toast.warning(self._msg("jobs.interrupted_message"), duration=15000)
        except Exception as exc:  # noqa: BLE001
            async with self:
                self.busy, self.step = False, "review"
                return self._fail(exc)
        async with self:
            self.busy, self.progress, self.step = False, 100, "summary"
            self.run_id, self.undone = result["id"], False
            self.undo_question = self._undo_question(result["created"], result["updated"], result["file"])
            self.error_count = result["errors"] + result["duplicates"]
            self.has_report = bool(result["report_url"])
            self._report_token = result["report_url"]
            self.summary = self._msg(
                "import.done",
                **{
                    k: fmt_number(result[k])
                    for k in ("updated", "unchanged", "skipped", "warnings", "duplicates", "errors")
                },
                created=fmt_number(result["created"] - result["organisations"]),
            ) + (
                self._msg("import.done_organisations", n=fmt_number(result["organisations"]))
                if result["organisations"]
                else ""
            )

    _report_token: str = ""

    def _undo_question(self, created: int, updated: int, file_name: str) -> str:
        return self._msg(
            "import.undo_question", created=fmt_number(created), updated=fmt_number(updated), file=file_name
        )

    @rx.event
    def error_report(self):
        if not self._report_token:
            return
        return rx.download(url=self._report_token)

    @rx.event(background=True)
    async def undo(self):
        """Undo the run just finished (in a job process)."""
        done, events = await self._undo_job()
        if done:
            async with self:
                self.undone = True
        return events


def import_params(token: str, entity: str, mapping: dict[int, str], options: ImportOptions, lang: str) -> dict:
    """What a retry of an import job needs (the staged file stays until the run succeeds)."""
    return {
        "token": token,
        "entity": entity,
        "mapping": {str(k): v for k, v in mapping.items()},
        "options": json.loads(options.as_json()),
        "lang": lang,
    }
