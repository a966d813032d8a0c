"""Admin: pipelines and their stages; the stage order is changed by drag and drop."""

import reflex as rx

from crm_app.components.form import FormKit, T, labelled, select_options, text_input
from crm_app.components.kanban import sortable_list
from crm_app.components.shell import app_shell, page_header
from crm_app.services.pipeline.pipelines import COLORS
from crm_app.state.pipeline_admin import PipelineAdminState as S

F = FormKit(S)
OUTCOME_OPTIONS = [["open", "outcome.open"], ["won", "outcome.won"], ["lost", "outcome.lost"]]


def _pipelines_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(T["pipelines.title"], weight="bold", size="2"),
            rx.foreach(
                S.pipelines,
                lambda p: rx.button(
                    p[1],
                    variant=rx.cond(S.pipeline_id == p[0], "solid", "soft"),
                    width="100%",
                    justify="start",
                    on_click=S.pick_pipeline(p[0]),
                    class_name="pipeline-item",
                ),
            ),
            rx.hstack(
                rx.input(
                    value=S.new_pipeline,
                    on_change=S.set_new_pipeline,
                    placeholder=T["pipelines.name"],
                    id="new-pipeline-name",
                    width="100%",
                ),
                rx.icon_button(
                    rx.icon("plus", size=16), on_click=S.create_pipeline, id="new-pipeline", title=T["pipelines.new"]
                ),
                width="100%",
            ),
            gap="6px",
            width="100%",
        ),
        width="260px",
        flex_shrink="0",
    )


def _stage_form() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(
                rx.cond(S.stage_id == "", T["pipelines.add_stage"], S.values["name"] | ""), weight="bold", size="2"
            ),
            labelled(
                "pipelines.stage_name",
                text_input("name", S.values["name"] | "", lambda v: S.set_value("name", v), F.err("name")),
                F.err("name"),
                required=True,
                field_id="name",
            ),
            labelled(
                "pipelines.color",
                select_options(
                    [[c, c] for c in COLORS],
                    "color",
                    S.values["color"] | "",
                    lambda v: S.set_value("color", v),
                    F.err("color"),
                ),
            ),
            F.text("probability"),
            labelled(
                "pipelines.outcome",
                rx.el.select(
                    *[rx.el.option(T[k], value=v) for v, k in OUTCOME_OPTIONS],
                    value=S.values["outcome"] | "open",
                    on_change=lambda v: S.set_value("outcome", v),
                    class_name="native-select",
                    id="field-outcome",
                ),
            ),
            F.text("warn_days"),
            rx.hstack(
                rx.cond(
                    S.stage_id != "",
                    rx.button(
                        rx.icon("trash-2", size=14),
                        variant="soft",
                        color_scheme="red",
                        on_click=S.delete_stage,
                        id="stage-delete",
                    ),
                    rx.fragment(),
                ),
                rx.spacer(),
                rx.cond(
                    S.stage_id != "",
                    rx.button(T["pipelines.add_stage"], variant="soft", on_click=S.new_stage),
                    rx.fragment(),
                ),
                rx.button(T["action.save"], on_click=S.save_stage, id="stage-save"),
                width="100%",
            ),
            gap="8px",
            width="100%",
        ),
        width="320px",
        flex_shrink="0",
    )


def pipeline_admin_page() -> rx.Component:
    return app_shell(
        page_header("pipelines.title"),
        rx.hstack(
            _pipelines_card(),
            rx.card(
                rx.vstack(
                    rx.hstack(
                        rx.input(
                            value=S.pipeline_name, on_change=S.set_pipeline_name, id="pipeline-name", width="240px"
                        ),
                        rx.el.select(
                            rx.el.option(T["pipelines.all_teams"], value=""),
                            rx.foreach(S.team_options, lambda o: rx.el.option(o[1], value=o[0])),
                            value=S.pipeline_team,
                            on_change=S.set_pipeline_team,
                            class_name="native-select",
                            id="pipeline-team",
                            style={"width": "220px"},
                        ),
                        rx.button(T["action.save"], variant="soft", on_click=S.save_pipeline, id="pipeline-save"),
                        align="center",
                        gap="8px",
                    ),
                    rx.text(T["pipelines.stages"], size="2", color=rx.color("gray", 11)),
                    rx.box(
                        sortable_list(items=S.stages, on_reorder=S.reorder, on_pick=S.pick_stage),
                        width="100%",
                        id="stage-list",
                    ),
                    gap="10px",
                    width="100%",
                ),
                flex="1",
            ),
            _stage_form(),
            align="start",
            gap="14px",
            width="100%",
        ),
    )
