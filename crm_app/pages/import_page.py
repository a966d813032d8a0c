"""The import wizard page: upload, mapping, options, review, run, summary."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialog_footer import dialog_footer
from crm_app.components.dialogs import confirm_dialog
from crm_app.components.form import T
from crm_app.components.shell import app_shell, page_header
from crm_app.models.custom_field import CUSTOM_FIELD_TYPES
from crm_app.state.import_wizard import ImportState

STEPS = ("upload", "mapping", "options", "review", "summary")
VERDICT_COLORS = {
    "new": "green",
    "warning": "yellow",
    "update": "blue",
    "unchanged": "gray",
    "skip": "gray",
    "duplicate": "orange",
    "in_file": "amber",
    "error": "red",
}
UPLOAD_ID = "import-upload"


def _stepper() -> rx.Component:
    def item(n: int, step: str) -> rx.Component:
        active = ImportState.step == step
        return rx.hstack(
            rx.badge(str(n), variant=rx.cond(active, "solid", "soft"), radius="full"),
            rx.text(T[f"import.step.{step}"], size="2", weight=rx.cond(active, "bold", "regular")),
            align="center",
            gap="6px",
        )

    return rx.hstack(
        *[item(i + 1, s) for i, s in enumerate(STEPS)], gap="20px", margin_bottom="16px", id="import-steps"
    )


def _upload_step() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(T["import.entity"], size="2", weight="medium"),
                rx.el.select(
                    rx.el.option(T["import.entity.customer"], value="customer"),
                    rx.el.option(T["import.entity.contact"], value="contact"),
                    rx.el.option(T["import.entity.lead"], value="lead"),
                    value=ImportState.entity,
                    on_change=ImportState.set_entity,
                    class_name="native-select",
                    aria_label=T["import.entity"],
                    id="import-entity",
                    style={"width": "220px"},
                ),
                rx.spacer(),
                rx.button(
                    rx.icon("file-down", size=16),
                    T["import.template"],
                    variant="soft",
                    on_click=ImportState.template,
                    id="import-template",
                ),
                width="100%",
                align="center",
            ),
            rx.el.label(  # names the drop zone's file input by its hint (screen readers)
                _drop_zone(),
                display="block",
                width="100%",
            ),
            gap="16px",
            width="100%",
        ),
        width="100%",
    )


def _undo_asked(
    trigger: rx.Component, on_confirm, question: rx.Var, confirm_id: str | None = None, confirm_class: str | None = None
) -> rx.Component:
    """An undo button that asks first, naming how many records go and how many come back."""
    return confirm_dialog(
        "import.undo",
        "import.undo_confirm",
        "action.confirm",
        on_confirm,
        trigger=trigger,
        confirm_id=confirm_id,
        confirm_class=confirm_class,
        question=question,
    )


def _row_action(icon: str, label_key: str, class_name: str, **props) -> rx.Component:
    """A small labelled button of a recent run's row."""
    return rx.button(
        rx.icon(icon, size=14),
        T[label_key],
        size="1",
        variant="soft",
        class_name=class_name,
        white_space="nowrap",
        **props,
    )


def _recent_row(r: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(r["when"]),
        rx.table.cell(r["who"]),
        rx.table.cell(r["entity"]),
        rx.table.cell(r["file"], max_width="220px", overflow_wrap="anywhere"),  # a long name wraps
        rx.table.cell(r["status"]),
        rx.table.cell(r["counts"]),
        rx.table.cell(
            rx.cond(
                r["report"] != "",
                _row_action(
                    "download", "import.report_short", "recent-report", on_click=ImportState.run_report(r["id"])
                ),
                rx.fragment(),
            )
        ),
        rx.table.cell(
            rx.cond(
                r["undoable"] != "",
                _undo_asked(
                    _row_action("undo-2", "import.undo", "recent-undo", color_scheme="red"),
                    ImportState.undo_run(r["id"]),
                    r["undo_question"],
                    confirm_class="recent-undo-confirm",
                ),
                rx.fragment(),
            )
        ),
        class_name="recent-run",
        data_id=r["id"],
    )


def _recent() -> rx.Component:
    return rx.cond(
        ImportState.recent.length() > 0,
        rx.card(
            rx.text(T["import.recent"], weight="bold", size="2", margin_bottom="8px"),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(T[k])
                            for k in (
                                "import.when",
                                "import.who",
                                "import.entity",
                                "import.file",
                                "import.status",
                                "import.counts",
                            )
                        ],
                        rx.table.column_header_cell(""),
                        rx.table.column_header_cell(""),
                    )
                ),
                rx.table.body(rx.foreach(ImportState.recent, _recent_row)),
                size="1",
                width="100%",
                id="recent-runs",
            ),
            rx.cond(
                ImportState.recent_more,
                rx.button(
                    T["import.recent_more"],
                    on_click=ImportState.more_recent,
                    size="1",
                    variant="soft",
                    id="recent-more",
                ),
                rx.fragment(),
            ),
            width="100%",
            margin_top="16px",
        ),
        rx.fragment(),
    )


def _mapping_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row[1], weight="medium")),
        rx.table.cell(rx.text(row[2], color=rx.color("gray", 11), class_name="cell-text")),
        rx.table.cell(
            rx.hstack(
                rx.el.select(
                    rx.el.option(T["import.ignore"], value=""),
                    rx.foreach(ImportState.field_options, lambda o: rx.el.option(o[1], value=o[0])),
                    rx.cond(
                        ImportState.custom_options.length() > 0,
                        rx.el.optgroup(
                            rx.foreach(ImportState.custom_options, lambda o: rx.el.option(o[1], value=o[0])),
                            label=T["cf.title"],
                        ),
                        rx.fragment(),
                    ),
                    value=row[3],
                    on_change=lambda v: ImportState.set_mapping(row[0], v),
                    class_name="native-select",
                    id="map-" + row[0],
                    style={"width": "260px"},
                ),
                rx.cond(
                    row[4] == "1",
                    rx.badge(T["cf.title"], color_scheme="violet", variant="soft", class_name="custom-field-mark"),
                    rx.fragment(),
                ),
                rx.cond(
                    ImportState.can_add_fields & (row[3] == ""),
                    rx.button(
                        rx.icon("plus", size=14),
                        T["cf.new"],
                        size="1",
                        variant="ghost",
                        on_click=ImportState.start_new_field(row[0]),
                        id="map-add-" + row[0],
                    ),
                    rx.fragment(),
                ),
                align="center",
                gap="8px",
            )
        ),
        class_name="mapping-row",
    )


def _new_field_dialog() -> rx.Component:
    """An admin turns a column no field matches into a custom field (the column is then mapped to it)."""
    values, errors = ImportState.new_field, ImportState.new_field_errors

    def error(name: str) -> rx.Component:
        return rx.cond(
            errors[name],
            rx.text(errors[name], size="1", color=rx.color("red", 11), class_name="field-error"),
            rx.fragment(),
        )

    def labelled(key: str, control: rx.Component, name: str) -> rx.Component:
        return rx.vstack(rx.text(T[key], size="2", weight="medium"), control, error(name), gap="4px", width="100%")

    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(ImportState.new_field_title, size="4"),
            rx.vstack(
                labelled(
                    "cf.label",
                    rx.input(
                        value=values["label"],
                        on_change=lambda v: ImportState.set_new_field("label", v),
                        id="new-field-label",
                        width="100%",
                    ),
                    "label",
                ),
                labelled(
                    "cf.type",
                    rx.el.select(
                        *[rx.el.option(T[f"cf.type.{t}"], value=t) for t in CUSTOM_FIELD_TYPES],
                        value=values["type"],
                        on_change=lambda v: ImportState.set_new_field("type", v),
                        class_name="native-select",
                        id="new-field-type",
                        style={"width": "100%"},
                    ),
                    "type",
                ),
                labelled(
                    "cf.options",
                    rx.input(
                        value=values["options"],
                        on_change=lambda v: ImportState.set_new_field("options", v),
                        placeholder=T["cf.options_hint"],
                        id="new-field-options",
                        width="100%",
                        disabled=(values["type"] != "choice") & (values["type"] != "multichoice"),
                    ),
                    "options",
                ),
                dialog_footer("cf.new", ImportState.create_new_field, confirm_id="new-field-create"),
                gap="12px",
                width="100%",
            ),
            max_width="460px",
        ),
        open=ImportState.new_field_column >= 0,
        on_open_change=ImportState.set_new_field_open,
    )


def _nav(back: str | None, next_button: rx.Component) -> rx.Component:
    return rx.hstack(
        rx.button(T["action.back"], variant="soft", color_scheme="gray", on_click=ImportState.back(back))
        if back
        else rx.fragment(),
        rx.spacer(),
        next_button,
        width="100%",
        margin_top="14px",
    )


def _mapping_step() -> rx.Component:
    return rx.card(
        rx.text(
            ImportState.file_info, size="2", color=rx.color("gray", 11), margin_bottom="10px", id="import-file-info"
        ),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell(T["import.column"]),
                    rx.table.column_header_cell(T["import.sample"]),
                    rx.table.column_header_cell(T["import.maps_to"]),
                )
            ),
            rx.table.body(rx.foreach(ImportState.mapping_rows, _mapping_row)),
            size="1",
            variant="surface",
            width="100%",
        ),
        rx.hstack(
            rx.el.select(
                rx.el.option(T["import.use_mapping"], value=""),
                rx.foreach(ImportState.saved_mappings, lambda m: rx.el.option(m[1], value=m[0])),
                value="",
                on_change=ImportState.use_saved_mapping,
                class_name="native-select",
                id="mapping-saved",
                style={"width": "260px"},
            ),
            rx.spacer(),
            rx.input(
                value=ImportState.mapping_name,
                on_change=ImportState.set_mapping_name,
                placeholder=T["import.mapping_name"],
                id="mapping-name",
                width="220px",
            ),
            rx.button(T["import.save_mapping"], variant="soft", on_click=ImportState.save_mapping, id="mapping-save"),
            width="100%",
            align="center",
            margin_top="12px",
            gap="8px",
        ),
        _nav("upload", rx.button(T["action.confirm"], on_click=ImportState.to_options, id="mapping-next")),
        _new_field_dialog(),
        width="100%",
    )


def _options_step() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.checkbox(
                T["import.duplicate_check"],
                checked=ImportState.duplicate_check,
                on_change=ImportState.set_duplicate_check,
                id="opt-duplicate-check",
            ),
            rx.text(T["import.keys"], size="2", weight="medium"),
            rx.hstack(
                rx.foreach(
                    ImportState.key_options,
                    lambda k: rx.checkbox(
                        T["import.key." + k],
                        checked=ImportState.keys.contains(k),
                        on_change=lambda on: ImportState.toggle_key(k, on),
                        id="opt-key-" + k,
                        disabled=~ImportState.duplicate_check,
                    ),
                ),
                gap="16px",
                wrap="wrap",
            ),
            rx.text(T["import.mode"], size="2", weight="medium"),
            rx.radio_group.root(
                rx.vstack(
                    *[
                        rx.radio_group.item(T[f"import.mode.{m}"], value=m, id=f"opt-mode-{m}")
                        for m in ("create", "update", "skip")
                    ],
                    gap="6px",
                ),
                value=ImportState.mode,
                on_change=ImportState.set_mode,
            ),
            rx.cond(
                ImportState.entity == "customer",
                rx.vstack(
                    rx.text(T["import.tags"], size="2", weight="medium"),
                    rx.input(
                        value=ImportState.tags_text, on_change=ImportState.set_tags_text, id="opt-tags", width="360px"
                    ),
                    gap="4px",
                ),
                rx.fragment(),
            ),
            rx.cond(
                ImportState.requirable.length() > 0,
                rx.vstack(
                    rx.text(T["import.required"], size="2", weight="medium"),
                    rx.hstack(
                        rx.foreach(
                            ImportState.requirable,
                            lambda f: rx.checkbox(
                                f[1],
                                checked=ImportState.required.contains(f[0]),
                                on_change=lambda on: ImportState.toggle_required(f[0], on),
                                id="opt-required-" + f[0],
                            ),
                        ),
                        gap="16px",
                        wrap="wrap",
                    ),
                    gap="4px",
                ),
                rx.fragment(),
            ),
            rx.cond(
                ImportState.list_options.length() > 0,
                rx.vstack(
                    rx.text(T["import.list"], size="2", weight="medium"),
                    rx.el.select(
                        rx.el.option(T["import.list_none"], value=""),
                        rx.foreach(ImportState.list_options, lambda o: rx.el.option(o[1], value=o[0])),
                        value=ImportState.list_id,
                        on_change=ImportState.set_list_id,
                        class_name="native-select",
                        id="opt-list",
                        style={"width": "360px"},
                    ),
                    gap="4px",
                ),
                rx.fragment(),
            ),
            gap="10px",
            width="100%",
        ),
        _nav(
            "mapping",
            rx.button(
                T["import.review_button"], on_click=ImportState.to_review, id="options-next", loading=ImportState.busy
            ),
        ),
        width="100%",
    )


def _count_badge(verdict: str) -> rx.Component:
    return rx.button(
        T[f"verdict.{verdict}"],
        # on the chosen (solid) button a light chip: a tinted one would vanish into it
        rx.badge(
            ImportState.count_labels[verdict],
            color_scheme=VERDICT_COLORS[verdict],
            variant=rx.cond(ImportState.verdict_filter == verdict, "surface", "soft"),
        ),
        variant=rx.cond(ImportState.verdict_filter == verdict, "solid", "soft"),
        color_scheme=VERDICT_COLORS[verdict],
        size="1",
        on_click=ImportState.filter_verdict(verdict),
        id=f"filter-{verdict}",
    )


def _review_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["row"]),
        # a long value without spaces wraps: the details beside it stay in view
        rx.table.cell(row["label"], max_width="260px", overflow_wrap="anywhere"),
        rx.table.cell(
            rx.match(
                row["verdict"],
                *[(v, rx.badge(T[f"verdict.{v}"], color_scheme=c)) for v, c in VERDICT_COLORS.items()],
                rx.fragment(),
            )
        ),
        rx.table.cell(
            rx.text(rx.cond(ImportState.lang == "en", row["detail_en"], row["detail_vi"]), size="1"),
            rx.cond(
                row["link"] != "",
                # a new tab: the review stays where it is
                rx.link(
                    T["import.open_record"], href=row["link"], is_external=True, size="1", class_name="review-link"
                ),
                rx.fragment(),
            ),
        ),
        class_name="review-row",
        data_verdict=row["verdict"],
    )


def _review_step() -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.button(
                T["import.all"],
                variant=rx.cond(ImportState.verdict_filter == "", "solid", "soft"),
                size="1",
                on_click=ImportState.filter_verdict("all"),
                id="filter-all",
            ),
            *[_count_badge(v) for v in VERDICT_COLORS],
            gap="8px",
            wrap="wrap",
            margin_bottom="10px",
        ),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(rx.cond(ImportState.is_vcard, T["import.card"], T["import.row"])),
                        *[
                            rx.table.column_header_cell(T[k])
                            for k in ("import.name", "import.verdict", "import.detail")
                        ],
                    )
                ),
                rx.table.body(rx.foreach(ImportState.review_rows, _review_row)),
                size="1",
                variant="surface",
                width="100%",
                id="review-table",
            ),
            max_height="480px",
            overflow_y="auto",
        ),
        _nav(
            "options",
            rx.button(
                ImportState.run_label,
                on_click=ImportState.run_import,
                disabled=ImportState.runnable == 0,
                id="import-run",
            ),
        ),
        width="100%",
    )


def _running_step() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(T["import.running"], size="3"),
            rx.progress(value=ImportState.progress, max=100, width="100%", id="import-progress"),
            rx.text(ImportState.progress_text, size="2", color_scheme="gray", id="import-progress-text"),
            gap="10px",
            width="100%",
        ),
        width="100%",
    )


def _summary_step() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.cond(  # orange when rows were left out: a green box would say all went in
                ImportState.error_count > 0,
                rx.callout(
                    ImportState.summary, icon="triangle-alert", color_scheme="orange", id="import-summary", width="100%"
                ),
                rx.callout(
                    ImportState.summary, icon="circle-check", color_scheme="green", id="import-summary", width="100%"
                ),
            ),
            rx.hstack(
                rx.cond(
                    ImportState.has_report,
                    rx.button(
                        rx.icon("file-warning", size=16),
                        T["import.error_report"],
                        variant="soft",
                        color_scheme="orange",
                        on_click=ImportState.error_report,
                        id="import-error-report",
                    ),
                    rx.fragment(),
                ),
                rx.cond(
                    ImportState.undone,
                    rx.badge(T["import.undone"], color_scheme="gray", size="2", id="import-undone"),
                    _undo_asked(
                        rx.button(
                            rx.icon("undo-2", size=16),
                            T["import.undo"],
                            variant="soft",
                            color_scheme="red",
                            id="import-undo",
                        ),
                        ImportState.undo,
                        ImportState.undo_question,
                        confirm_id="import-undo-confirm",
                    ),
                ),
                rx.spacer(),
                rx.button(T["import.new_import"], on_click=ImportState.open, id="import-again"),
                width="100%",
            ),
            gap="12px",
            width="100%",
        ),
        width="100%",
    )


def import_page() -> rx.Component:
    return app_shell(
        page_header("import.title"),
        _stepper(),
        rx.match(
            ImportState.step,
            ("mapping", _mapping_step()),
            ("options", _options_step()),
            ("review", _review_step()),
            ("running", _running_step()),
            ("summary", _summary_step()),
            rx.fragment(_upload_step(), _recent()),
        ),
    )


def _drop_zone() -> rx.Component:
    return rx.upload(
        rx.vstack(
            rx.icon("upload", size=32, color=rx.color("accent", 9)),
            rx.text(T["import.drop_hint"], size="2", color=rx.color("gray", 11)),
            align="center",
            gap="8px",
        ),
        id=UPLOAD_ID,
        multiple=False,
        max_files=1,
        accept={
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"],
            "application/vnd.ms-excel": [".xls"],
            "text/csv": [".csv"],
            "application/vnd.oasis.opendocument.spreadsheet": [".ods"],
            "text/vcard": [".vcf"],
        },
        on_drop=ImportState.upload(rx.upload_files(upload_id=UPLOAD_ID)),
        on_drop_rejected=lambda rejected: ImportState.rejected(
            rejected.to(list).map(lambda r: r.to(dict)["file"].to(dict)["path"])
        ),
        border=f"2px dashed {rx.color('accent', 7)}",
        border_radius="10px",
        padding="40px",
        width="100%",
        cursor="pointer",
    )
