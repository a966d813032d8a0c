"""Admin: pipelines, their stages (add, rename, edit) and the stage order (drag and drop)."""

from __future__ import annotations

import reflex as rx

from crm_app.services.errors import ValidationFailed
from crm_app.services.people.permissions import require_admin
from crm_app.services.pipeline import pipelines
from crm_app.state.form_state import FormStateMixin
from crm_app.state.session import SessionState

EMPTY_STAGE = {"name": "", "color": "blue", "probability": "50", "outcome": "open", "warn_days": ""}


class PipelineAdminState(FormStateMixin, SessionState):
    """``values``/``errors`` (the mixin) edit the selected stage or the new one."""

    pipelines: list[list[str]] = []
    pipeline_id: str = ""
    pipeline_name: str = ""
    pipeline_team: str = ""
    new_pipeline: str = ""
    team_options: list[list[str]] = []
    stages: list[dict] = []
    stage_id: str = ""  # the stage being edited; "" adds a new one

    def _read(self, session, actor) -> None:
        usable = pipelines.usable(session, actor, include_inactive=True)
        self.pipelines = [[str(p.id), p.name] for p in usable]
        self.team_options = [[str(i), n] for i, n in pipelines.team_options(session)]
        ids = [p[0] for p in self.pipelines]
        if self.pipeline_id not in ids:
            self.pipeline_id = ids[0] if ids else ""
        current = next((p for p in usable if str(p.id) == self.pipeline_id), None)
        self.pipeline_name = current.name if current else ""
        self.pipeline_team = str(current.team_id or "") if current else ""
        self.stages = [
            {
                "id": str(s.id),
                "label": s.name,
                "color": s.color,
                "detail": f"{s.probability}% · {self._msg('outcome.' + s.outcome)}"
                + (f" · ⚠ {s.warn_days}d" if s.warn_days else ""),
                "name": s.name,
                "probability": str(s.probability),
                "outcome": s.outcome,
                "warn_days": str(s.warn_days or ""),
            }
            for s in (pipelines.stages(session, int(self.pipeline_id)) if self.pipeline_id else [])
        ]

    def _run(self, action, done_key: str | None = None, **params):
        self.errors = {}
        try:
            with self._service() as (session, actor):
                action(session, actor)
                self._read(session, actor)
        except ValidationFailed as exc:
            return self._show_errors(exc)
        return rx.toast.success(self._msg(done_key, **params)) if done_key else None

    @rx.event
    def open(self):
        self.values, self.stage_id = dict(EMPTY_STAGE), ""
        return self._run(lambda s, a: require_admin(a))

    @rx.event
    def pick_pipeline(self, value: str):
        self.pipeline_id, self.stage_id, self.values = value, "", dict(EMPTY_STAGE)
        return self._run(lambda s, a: None)

    @rx.event
    def set_new_pipeline(self, value: str):
        self.new_pipeline = value

    @rx.event
    def set_pipeline_name(self, value: str):
        self.pipeline_name = value

    @rx.event
    def set_pipeline_team(self, value: str):
        self.pipeline_team = value

    @rx.event
    def create_pipeline(self):
        name = self.new_pipeline

        def act(session, actor):
            p = pipelines.create_pipeline(session, actor, {"name": name}, self.lang)
            self.pipeline_id, self.new_pipeline = str(p.id), ""

        return self._run(act, "pipelines.created", name=name)

    @rx.event
    def save_pipeline(self):
        data = {"name": self.pipeline_name, "team_id": self.pipeline_team}
        return self._run(lambda s, a: pipelines.update_pipeline(s, a, int(self.pipeline_id), data), "pipelines.saved")

    @rx.event
    def pick_stage(self, stage_id: str):
        stage = next((s for s in self.stages if s["id"] == stage_id), None)
        if stage is not None:
            self.stage_id, self.errors = stage_id, {}
            self.values = {k: stage[k] for k in EMPTY_STAGE}

    @rx.event
    def new_stage(self):
        self.stage_id, self.values, self.errors = "", dict(EMPTY_STAGE), {}

    @rx.event
    def save_stage(self):
        data = dict(self.values)
        if self.stage_id:
            return self._run(
                lambda s, a: pipelines.update_stage(s, a, int(self.stage_id), data), "pipelines.stage_saved"
            )

        def add(session, actor):
            stage = pipelines.add_stage(session, actor, int(self.pipeline_id), data)
            self.stage_id = str(stage.id)

        return self._run(add, "pipelines.stage_added")

    @rx.event
    def delete_stage(self):
        if not self.stage_id:
            return
        sid = int(self.stage_id)
        self.stage_id, self.values = "", dict(EMPTY_STAGE)
        return self._run(lambda s, a: pipelines.delete_stage(s, a, sid), "pipelines.stage_deleted")

    @rx.event
    def reorder(self, ids: str):
        order = [int(i) for i in ids.split(",") if i.isdigit()]
        return self._run(
            lambda s, a: pipelines.reorder_stages(s, a, int(self.pipeline_id), order), "pipelines.order_saved"
        )
