"""The customer list's "Sinh": what one opportunity or order for each selected customer is made of,
chosen once in the bulk dialog (services.pipeline.generate checks and makes them)."""

from __future__ import annotations

import reflex as rx

from crm_app.services.pipeline import generate, pipelines, sales


class GenerateMixin(rx.State, mixin=True):
    """Mixed into a list state with SelectionBulkMixin (the customer list)."""

    gen_name: str = ""
    gen_pipeline: str = ""
    gen_stage: str = ""
    gen_value: str = ""
    gen_close: str = ""
    gen_lines: list[list[str]] = [["", "1"]]  # [product id, quantity]
    gen_pipelines: list[list[str]] = []
    gen_stages: dict[str, list[list[str]]] = {}  # pipeline id -> its stages a deal may start in
    gen_products: list[list[str]] = []

    def _bulk_opened(self, kind: str) -> None:
        if kind not in generate.KINDS:
            return
        self.gen_name, self.gen_value, self.gen_close, self.gen_lines = "", "", "", [["", "1"]]
        with self._service() as (session, actor):
            usable = pipelines.usable(session, actor)
            self.gen_pipelines = [[str(p.id), p.name] for p in usable]
            self.gen_stages = {
                str(p.id): [[str(s.id), s.name] for s in pipelines.stages(session, p.id) if s.outcome != "lost"]
                for p in usable
            }
            self.gen_products = [[str(p.id), f"{p.code} – {p.name}"] for p in sales.products(session)]
        self._choose_pipeline(self.gen_pipelines[0][0] if self.gen_pipelines else "")

    def _bulk_action_value(self) -> object:
        if self.bulk_kind == "generate_opportunity":
            return {
                "name": self.gen_name,
                "pipeline_id": self.gen_pipeline,
                "stage_id": self.gen_stage,
                "value": self.gen_value,
                "expected_close": self.gen_close,
            }
        if self.bulk_kind == "generate_order":
            return {"lines": [{"product_id": p, "quantity": q} for p, q in self.gen_lines if p or q != "1"]}
        return super()._bulk_action_value()

    def _bulk_field_label(self, name: str) -> str:
        # the dialog's fields are a deal's, not the list's record's ("Tên cơ hội", not "Tên")
        if self.bulk_kind in generate.KINDS:
            return self._msg("generate.name") if name == "name" else self._msg(f"field.{name}")
        return super()._bulk_field_label(name)

    def _choose_pipeline(self, pipeline_id: str) -> None:
        self.gen_pipeline = pipeline_id
        stages = self.gen_stages.get(pipeline_id, [])
        self.gen_stage = stages[0][0] if stages else ""

    @rx.event
    def set_gen(self, name: str, value: str):
        if name == "pipeline":
            self._choose_pipeline(value)
        elif name in ("name", "stage", "value", "close"):
            setattr(self, f"gen_{name}", value)

    @rx.event
    def set_gen_line(self, index: int, part: int, value: str):
        if 0 <= index < len(self.gen_lines) and part in (0, 1):
            line = list(self.gen_lines[index])
            line[part] = value
            self.gen_lines = [*self.gen_lines[:index], line, *self.gen_lines[index + 1 :]]

    @rx.event
    def add_gen_line(self):
        if len(self.gen_lines) < generate.MAX_LINES:
            self.gen_lines = [*self.gen_lines, ["", "1"]]

    @rx.event
    def remove_gen_line(self, index: int):
        if len(self.gen_lines) > 1 and 0 <= index < len(self.gen_lines):
            self.gen_lines = [*self.gen_lines[:index], *self.gen_lines[index + 1 :]]
