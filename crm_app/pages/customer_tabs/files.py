"""The Files tab: upload, download, delete."""

from __future__ import annotations

import reflex as rx

from crm_app.components.dialogs import empty_state, icon_button
from crm_app.components.form import T
from crm_app.pages.customer_tabs.common import for_editors
from crm_app.services.customer import files
from crm_app.state.customer_files import UPLOAD_ID
from crm_app.state.customer_files import FileState as F


def files_tab() -> rx.Component:
    return rx.vstack(
        for_editors(
            rx.upload.root(
                rx.center(
                    rx.vstack(
                        rx.icon("upload", size=22, color=rx.color("accent", 10)),
                        rx.text(F.drop_hint, size="2", color=rx.color("gray", 11)),
                        align="center",
                        gap="6px",
                    ),
                    padding="22px",
                    width="100%",
                ),
                id=UPLOAD_ID,
                multiple=True,
                max_files=files.FILES_PER_DROP,
                max_size=F.max_bytes,
                on_drop=F.upload(rx.upload_files(upload_id=UPLOAD_ID)),
                # only the names go to the server: the File objects would travel as their bytes
                on_drop_rejected=lambda rejected: F.rejected(
                    rejected.to(list).map(lambda r: r.to(dict)["file"].to(dict)["path"])
                ),
                border=f"2px dashed {rx.color('accent', 7)}",
                border_radius="var(--radius-3)",
                width="100%",
                background=rx.color("accent", 2),
                cursor="pointer",
                class_name="file-drop",
            )
        ),
        rx.cond(
            F.files.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(T["files.name"]),
                        rx.table.column_header_cell(T["files.size"]),
                        rx.table.column_header_cell(T["files.uploaded_at"]),
                        rx.table.column_header_cell(T["files.uploaded_by"]),
                        rx.table.column_header_cell(""),
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        F.files,
                        lambda f: rx.table.row(
                            rx.table.cell(
                                rx.el.a(
                                    rx.hstack(rx.icon("file", size=14), f["name"], align="center", gap="6px"),
                                    href=f["url"],
                                    download=f["name"],
                                    class_name="file-link",
                                    # a plain link: the browser downloads, the SPA router stays out
                                    custom_attrs={"reloadDocument": True},
                                )
                            ),
                            rx.table.cell(f["size"]),
                            rx.table.cell(f["at"]),
                            rx.table.cell(f["by"]),
                            rx.table.cell(
                                for_editors(
                                    icon_button(
                                        "trash-2",
                                        F.ask_delete(f["id"]),
                                        "common.delete",
                                        "red",
                                        class_name="file-delete",
                                    )
                                )
                            ),
                            class_name="file-row",
                        ),
                    )
                ),
                size="1",
                variant="surface",
                width="100%",
                id="files-table",
            ),
            rx.card(empty_state("files.empty"), width="100%"),
        ),
        gap="12px",
        width="100%",
    )
