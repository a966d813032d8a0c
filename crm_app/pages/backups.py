"""Admin: the database's backups and a button to make one now."""

import reflex as rx

from crm_app.components.form import T
from crm_app.components.shell import app_shell, page_header, refused_or
from crm_app.state.backups import BackupState as S


def _row(b: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(b["at"]),
        rx.table.cell(b["size"]),
        rx.table.cell(rx.code(b["name"], variant="ghost")),
        class_name="backup-row",
    )


def backups_page() -> rx.Component:
    return app_shell(refused_or(S, _backups()))


def _backups() -> rx.Component:
    return rx.fragment(
        page_header(
            "backup.title",
            rx.button(
                rx.cond(S.busy, rx.spinner(size="1"), rx.icon("database-backup", size=16)),
                T["backup.now"],
                on_click=S.backup_now,
                disabled=S.busy,
                id="backup-now",
            ),
        ),
        rx.callout(
            rx.vstack(
                rx.text(S.schedule, id="backup-schedule"),
                rx.text(T["backup.folder"], ": ", rx.code(S.folder, variant="ghost"), size="1"),
                rx.text(T["backup.restore_hint"], size="1", color=rx.color("gray", 11)),
                gap="4px",
            ),
            icon="info",
            max_width="900px",
        ),
        rx.cond(
            S.rows.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(T["backup.at"]),
                        rx.table.column_header_cell(T["backup.size"]),
                        rx.table.column_header_cell(T["backup.file"]),
                    )
                ),
                rx.table.body(rx.foreach(S.rows, _row)),
                variant="surface",
                size="1",
                width="100%",
                max_width="900px",
                margin_top="14px",
                id="backup-table",
            ),
            rx.callout(T["backup.none"], icon="info", margin_top="14px", max_width="900px", id="backup-none"),
        ),
    )
