"""The detail tabs of the customer page: follow-ups, tasks, notes, emails, files, quotes and
orders, history; and the dialogs they open (also opened from the header's quick actions)."""

from __future__ import annotations

import reflex as rx

from crm_app import routes
from crm_app.components.activity_dialog import activity_form_dialog
from crm_app.components.dialogs import confirm_delete, empty_state, icon_button
from crm_app.components.form import T, labelled, select_options
from crm_app.pages.customer_deals import deal_dialog, deals_table
from crm_app.state.customer_activities import ActivityState as A
from crm_app.state.customer_deals import DealsState as D
from crm_app.state.customer_detail import CustomerDetailState as S
from crm_app.state.customer_files import UPLOAD_ID
from crm_app.state.customer_files import FileState as F
from crm_app.state.customer_mail import MailState as M
from crm_app.state.customer_notes import NoteState as N
from crm_app.state.customer_sales import SalesState as Q
from crm_app.state.history import HistoryTabState as H

TYPE_ICONS = (
    ("call", "phone"),
    ("meeting", "users"),
    ("email", "mail"),
    ("task", "square-check"),
    ("note", "sticky-note"),
)
STATUS_COLORS = (
    ("done", "green"),
    ("planned", "blue"),
    ("in_progress", "amber"),
    ("cancelled", "gray"),
    ("sent", "green"),
    ("outbox", "amber"),
    ("failed", "red"),
    ("new", "blue"),
    ("confirmed", "indigo"),
    ("delivered", "green"),
    ("draft", "gray"),
    ("accepted", "green"),
    ("rejected", "red"),
)


def _type_icon(code: rx.Var) -> rx.Component:
    return rx.match(code, *[(c, rx.icon(name, size=16)) for c, name in TYPE_ICONS], rx.icon("circle", size=16))


def _status_badge(code: rx.Var, label: rx.Var) -> rx.Component:
    return rx.badge(label, color_scheme=rx.match(code, *STATUS_COLORS, "gray"), variant="soft")


def _toolbar(*children: rx.Component) -> rx.Component:
    return rx.hstack(*children, gap="8px", align="center", width="100%", wrap="wrap")


def _muted(*children, **props) -> rx.Component:
    return rx.text(*children, size="1", color=rx.color("gray", 10), **props)


# --- follow-ups ------------------------------------------------------------------------------


def _timeline_item(item: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.center(
            _type_icon(item["type_code"]),
            width="32px",
            height="32px",
            border_radius="50%",
            background=rx.color("accent", 3),
            color=rx.color("accent", 11),
            flex_shrink="0",
        ),
        rx.vstack(
            rx.hstack(
                rx.text(item["type"], weight="medium", size="2"),
                rx.cond(
                    item["subject"] != "",
                    rx.text("· ", item["subject"], size="2", class_name="activity-subject"),
                    rx.fragment(),
                ),
                _status_badge(item["status_code"], item["status"]),
                align="center",
                gap="6px",
                wrap="wrap",
            ),
            rx.cond(
                item["content"] != "",
                rx.text(item["content"], size="2", white_space="pre-wrap", class_name="activity-content"),
                rx.fragment(),
            ),
            _muted(
                item["at"],
                " · ",
                item["by"],
                rx.cond(item["contact"] != "", " · " + item["contact"].to(str), ""),
                rx.cond(item["assignee"] != "", " → " + item["assignee"].to(str), ""),
            ),
            gap="2px",
            flex="1",
            min_width="0",
        ),
        rx.hstack(
            icon_button("pencil", A.open_edit(item["id"]), "action.edit", class_name="activity-edit"),
            icon_button("trash-2", A.ask_delete(item["id"]), "common.delete", "red", class_name="activity-delete"),
            gap="4px",
        ),
        align="start",
        gap="12px",
        width="100%",
        padding="10px 4px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="timeline-item",
    )


def followups_tab() -> rx.Component:
    return rx.vstack(
        _toolbar(
            rx.button(rx.icon("plus", size=14), T["act.new"], on_click=A.open_new("call"), id="activity-new"),
            rx.cond(
                S.status_code == "lead",
                rx.button(
                    rx.icon("trending-up", size=14),
                    T["quick.promote"],
                    variant="soft",
                    color_scheme="green",
                    on_click=S.change_status("promote"),
                    id="promote-lead",
                ),
                rx.fragment(),
            ),
        ),
        rx.card(
            rx.cond(
                A.timeline.length() > 0,
                rx.vstack(rx.foreach(A.timeline, _timeline_item), gap="0", width="100%", id="timeline"),
                empty_state("act.empty", "timeline-empty"),
            ),
            width="100%",
        ),
        gap="12px",
        width="100%",
    )


def activity_dialog() -> rx.Component:
    return activity_form_dialog(A)


# --- tasks -----------------------------------------------------------------------------------


def tasks_tab() -> rx.Component:
    return rx.vstack(
        _toolbar(rx.button(rx.icon("plus", size=14), T["tasks.new"], on_click=A.open_new("task"), id="task-new")),
        rx.cond(
            A.tasks.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(T["field.subject"]),
                        rx.table.column_header_cell(T["field.due_at"]),
                        rx.table.column_header_cell(T["field.status"]),
                        rx.table.column_header_cell(T["field.assignee_id"]),
                        rx.table.column_header_cell(""),
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        A.tasks,
                        lambda t: rx.table.row(
                            rx.table.cell(rx.text(t["subject"], weight="medium"), _muted(t["content"])),
                            rx.table.cell(t["due"]),
                            rx.table.cell(_status_badge(t["status_code"], t["status"])),
                            rx.table.cell(t["assignee"]),
                            rx.table.cell(
                                rx.hstack(
                                    rx.cond(
                                        t["status_code"] != "done",
                                        icon_button(
                                            "check",
                                            A.mark_done(t["id"]),
                                            "tasks.mark_done",
                                            "green",
                                            class_name="task-done",
                                        ),
                                        rx.fragment(),
                                    ),
                                    icon_button("pencil", A.open_edit(t["id"]), "action.edit"),
                                    icon_button("trash-2", A.ask_delete(t["id"]), "common.delete", "red"),
                                    gap="4px",
                                    justify="end",
                                )
                            ),
                            class_name="task-row",
                        ),
                    )
                ),
                size="1",
                variant="surface",
                width="100%",
                id="tasks-table",
            ),
            rx.card(empty_state("tasks.empty"), width="100%"),
        ),
        gap="12px",
        width="100%",
    )


# --- notes -----------------------------------------------------------------------------------


def notes_tab() -> rx.Component:
    return rx.vstack(
        _toolbar(rx.button(rx.icon("plus", size=14), T["notes.add"], on_click=N.open_new, id="note-new")),
        rx.cond(
            N.notes.length() > 0,
            rx.vstack(
                rx.foreach(
                    N.notes,
                    lambda n: rx.card(
                        rx.hstack(
                            rx.vstack(
                                rx.text(n["body"], size="2", white_space="pre-wrap", class_name="note-body"),
                                _muted(
                                    n["at"],
                                    " · ",
                                    n["by"],
                                    rx.cond(n["edited"] != "", " · ✎ " + n["edited"].to(str), ""),
                                ),
                                gap="4px",
                                flex="1",
                            ),
                            icon_button("pencil", N.open_edit(n["id"]), "action.edit", class_name="note-edit"),
                            icon_button(
                                "trash-2", N.ask_delete(n["id"]), "common.delete", "red", class_name="note-delete"
                            ),
                            align="start",
                            gap="6px",
                            width="100%",
                        ),
                        width="100%",
                        class_name="note-card",
                    ),
                ),
                gap="8px",
                width="100%",
                id="notes-list",
            ),
            rx.card(empty_state("notes.empty"), width="100%"),
        ),
        gap="12px",
        width="100%",
    )


def note_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(N.editing_id > 0, T["notes.edit"], T["notes.add"])),
            labelled(
                "field.body",
                rx.text_area(
                    value=N.draft,
                    on_change=N.set_draft,
                    rows="6",
                    width="100%",
                    placeholder=T["notes.placeholder"],
                    id="note-body",
                ),
                N.draft_error,
                required=True,
                field_id="note-body",
            ),
            rx.hstack(
                rx.dialog.close(rx.button(T["action.cancel"], variant="soft", color_scheme="gray")),
                rx.button(T["action.save"], on_click=N.save, id="note-save"),
                justify="end",
                gap="8px",
                margin_top="12px",
            ),
            max_width="560px",
        ),
        open=N.dialog_open,
        on_open_change=N.set_dialog_open,
    )


# --- emails ----------------------------------------------------------------------------------


def _compose() -> rx.Component:
    v, err = M.values, M.errors
    return rx.card(
        rx.vstack(
            rx.text(T["mail.compose"], weight="bold", size="2"),
            rx.grid(
                labelled(
                    "mail.template",
                    select_options(
                        M.template_options,
                        "template_id",
                        v["template_id"] | "",
                        M.pick_template,
                        err["template_id"] | "",
                        placeholder_key="mail.free_text",
                    ),
                    err["template_id"] | "",
                    field_id="template_id",
                ),
                labelled("mail.to", rx.input(value=M.to_addr, read_only=True, id="mail-to", variant="soft")),
                columns="2",
                gap="12px",
                width="100%",
            ),
            labelled(
                "mail.subject",
                rx.input(
                    value=v["subject"] | "",
                    on_change=lambda x: M.set_value("subject", x),
                    id="field-mail-subject",
                    width="100%",
                ),
                err["subject"] | "",
                required=True,
                field_id="mail-subject",
            ),
            labelled(
                "mail.body",
                rx.text_area(
                    value=v["body"] | "",
                    on_change=lambda x: M.set_value("body", x),
                    rows="7",
                    width="100%",
                    id="field-mail-body",
                ),
                err["body"] | "",
                required=True,
                field_id="mail-body",
            ),
            _muted(M.placeholder_hint),
            rx.hstack(
                rx.button(rx.icon("send", size=14), T["mail.send"], on_click=M.send, id="mail-send", loading=M.sending),
                justify="end",
                width="100%",
            ),
            gap="10px",
            width="100%",
        ),
        width="100%",
    )


def emails_tab() -> rx.Component:
    return rx.vstack(
        rx.cond(
            M.blocked != "",
            rx.callout(M.blocked, icon="mail-x", color_scheme="orange", width="100%", id="mail-blocked"),
            _compose(),
        ),
        rx.cond(
            M.outbox > 0,
            rx.hstack(
                rx.badge(M.outbox_label, color_scheme="amber", id="outbox-count"),
                rx.button(T["mail.deliver_now"], size="1", variant="soft", on_click=M.deliver, id="outbox-deliver"),
                align="center",
                gap="8px",
            ),
            rx.fragment(),
        ),
        rx.cond(
            M.messages.length() > 0,
            rx.vstack(
                rx.foreach(
                    M.messages,
                    lambda m: rx.card(
                        rx.vstack(
                            rx.hstack(
                                rx.icon("mail", size=14),
                                rx.text(m["subject"], weight="medium", size="2"),
                                _status_badge(m["status_code"], m["status"]),
                                rx.spacer(),
                                _muted(m["at"]),
                                align="center",
                                gap="8px",
                                width="100%",
                            ),
                            _muted(T["mail.to"], ": ", m["to"], " · ", m["by"]),
                            rx.text(m["body"], size="2", white_space="pre-wrap", color=rx.color("gray", 11)),
                            rx.cond(
                                m["error"] != "",
                                rx.text(m["error"], size="1", color=rx.color("red", 11)),
                                rx.fragment(),
                            ),
                            gap="4px",
                            width="100%",
                        ),
                        width="100%",
                        class_name="mail-item",
                    ),
                ),
                gap="8px",
                width="100%",
                id="mail-list",
            ),
            rx.card(empty_state("mail.empty"), width="100%"),
        ),
        gap="12px",
        width="100%",
    )


# --- files -----------------------------------------------------------------------------------


def files_tab() -> rx.Component:
    return rx.vstack(
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
                                icon_button(
                                    "trash-2", F.ask_delete(f["id"]), "common.delete", "red", class_name="file-delete"
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


# --- quotes and orders -----------------------------------------------------------------------


def sales_tab() -> rx.Component:
    return rx.vstack(
        _toolbar(
            rx.button(
                rx.icon("handshake", size=14),
                T["quick.new_opportunity"],
                variant="soft",
                on_click=D.open_new,
                id="deal-new",
            ),
            rx.button(
                rx.icon("file-text", size=14),
                T["quick.new_quote"],
                variant="soft",
                on_click=Q.open_new("quote"),
                id="quote-new",
            ),
            rx.button(
                rx.icon("shopping-cart", size=14), T["quick.new_order"], on_click=Q.open_new("order"), id="order-new"
            ),
            rx.spacer(),
            rx.text(
                T["field.last_purchase_at"],
                ": ",
                rx.text.strong(S.header["last_purchase"]),
                size="2",
                id="last-purchase",
            ),
        ),
        deals_table(),
        rx.text(T["sales.quotes_orders"], weight="bold", size="2", margin_top="8px"),
        rx.cond(
            Q.documents.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(T["sales.code"]),
                        rx.table.column_header_cell(T["sales.date"]),
                        rx.table.column_header_cell(T["sales.lines"]),
                        rx.table.column_header_cell(T["sales.total"]),
                        rx.table.column_header_cell(T["field.status"]),
                        rx.table.column_header_cell(""),
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        Q.documents,
                        lambda d: rx.table.row(
                            rx.table.cell(
                                rx.hstack(
                                    rx.badge(
                                        d["kind"],
                                        variant="outline",
                                        color_scheme=rx.cond(d["kind_code"] == "order", "green", "blue"),
                                    ),
                                    rx.text(d["code"], weight="medium"),
                                    gap="6px",
                                    align="center",
                                )
                            ),
                            rx.table.cell(d["date"]),
                            rx.table.cell(rx.text(d["lines"], size="2"), max_width="360px"),
                            rx.table.cell(
                                rx.text(d["total"], weight="medium", class_name="doc-total"),
                                text_align="right",
                                white_space="nowrap",
                            ),
                            rx.table.cell(
                                rx.el.select(
                                    rx.foreach(
                                        Q.status_choices[d["kind_code"]], lambda o: rx.el.option(o[1], value=o[0])
                                    ),
                                    value=d["status_code"],
                                    on_change=lambda x: Q.set_status(d["id"], x),
                                    class_name="native-select",
                                    style={"width": "130px"},
                                )
                            ),
                            rx.table.cell(
                                rx.cond(
                                    d["kind_code"] == "quote",
                                    icon_button(
                                        "shopping-cart",
                                        Q.order_from_quote(d["id"]),
                                        "sales.to_order",
                                        "green",
                                        class_name="quote-to-order",
                                    ),
                                    rx.fragment(),
                                )
                            ),
                            class_name="doc-row",
                        ),
                    )
                ),
                size="1",
                variant="surface",
                width="100%",
                id="documents-table",
            ),
            rx.card(empty_state("sales.empty"), width="100%"),
        ),
        gap="12px",
        width="100%",
    )


def _line_row(line: rx.Var, index: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.el.select(
                rx.el.option(T["common.none"], value=""),
                rx.foreach(Q.product_options, lambda o: rx.el.option(o[1], value=o[0])),
                value=line["product_id"],
                on_change=lambda x: Q.set_line(index, "product_id", x),
                class_name="native-select line-product",
            )
        ),
        rx.table.cell(
            rx.input(
                value=line["quantity"],
                on_change=lambda x: Q.set_line(index, "quantity", x),
                type="number",
                min="1",
                width="80px",
                class_name="line-quantity",
            )
        ),
        rx.table.cell(
            rx.input(
                value=line["unit_price"],
                on_change=lambda x: Q.set_line(index, "unit_price", x),
                width="130px",
                class_name="line-price",
            )
        ),
        rx.table.cell(rx.text(Q.line_amounts[index], size="2"), text_align="right", white_space="nowrap"),
        rx.table.cell(icon_button("x", Q.remove_line(index), "common.delete", "red")),
    )


def sales_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(Q.kind == "order", T["quick.new_order"], T["quick.new_quote"])),
            rx.cond(
                Q.product_options.length() == 0,
                rx.callout(T["sales.no_products"], icon="info", color_scheme="amber"),
                rx.fragment(),
            ),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell(T["sales.product"]),
                        rx.table.column_header_cell(T["sales.quantity"]),
                        rx.table.column_header_cell(T["sales.unit_price"]),
                        rx.table.column_header_cell(T["sales.amount"]),
                        rx.table.column_header_cell(""),
                    )
                ),
                rx.table.body(rx.foreach(Q.lines, _line_row)),
                size="1",
                width="100%",
                id="lines-table",
            ),
            rx.hstack(
                rx.button(
                    rx.icon("plus", size=14),
                    T["sales.add_line"],
                    variant="soft",
                    size="1",
                    on_click=Q.add_line,
                    id="line-add",
                ),
                rx.spacer(),
                rx.text(T["sales.total"], ": ", rx.text.strong(Q.form_total, id="form-total"), size="3"),
                width="100%",
                align="center",
                margin_top="8px",
            ),
            rx.grid(
                labelled(
                    "sales.date", rx.input(type="date", value=Q.doc_date, on_change=Q.set_doc_date, id="doc-date")
                ),
                labelled("sales.note", rx.input(value=Q.note, on_change=Q.set_note, id="doc-note")),
                columns="2",
                gap="12px",
                width="100%",
                margin_top="10px",
            ),
            rx.cond(
                Q.form_error != "",
                rx.text(Q.form_error, color=rx.color("red", 11), size="2", id="doc-error"),
                rx.fragment(),
            ),
            rx.hstack(
                rx.dialog.close(rx.button(T["action.cancel"], variant="soft", color_scheme="gray")),
                rx.button(T["action.save"], on_click=Q.save, id="doc-save"),
                justify="end",
                gap="8px",
                margin_top="14px",
            ),
            max_width="760px",
        ),
        open=Q.dialog_open,
        on_open_change=Q.set_dialog_open,
    )


# --- history ---------------------------------------------------------------------------------


def history_table(rows: rx.Var, table_id: str, with_record: bool = False) -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell(T["history.when"]),
                rx.table.column_header_cell(T["history.who"]),
                rx.table.column_header_cell(T["history.record"]) if with_record else rx.fragment(),
                rx.table.column_header_cell(T["history.field"]),
                rx.table.column_header_cell(T["history.change"]),
            )
        ),
        rx.table.body(
            rx.foreach(
                rows,
                lambda r: rx.table.row(
                    rx.table.cell(r["at"], white_space="nowrap"),
                    rx.table.cell(r["who"]),
                    rx.table.cell(
                        rx.cond(
                            r["root_entity"] == "customer",
                            rx.link(r["record"], href="/customers/" + r["root_id"].to(str)),
                            rx.text(r["record"]),
                        )
                    )
                    if with_record
                    else rx.fragment(),
                    rx.table.cell(
                        rx.hstack(
                            rx.badge(r["entity"], variant="soft", color_scheme="gray"),
                            rx.text(r["action"], size="1", color=rx.color("gray", 11)),
                            rx.text(r["field"], weight="medium", size="2", class_name="history-field"),
                            gap="6px",
                            align="center",
                            wrap="wrap",
                        )
                    ),
                    rx.table.cell(
                        rx.hstack(
                            rx.text(
                                rx.cond(r["old"] != "", r["old"], "∅"),
                                color=rx.color("red", 11),
                                size="2",
                                class_name="history-old",
                                max_width="260px",
                                overflow="hidden",
                                text_overflow="ellipsis",
                            ),
                            rx.icon("arrow-right", size=12),
                            rx.text(
                                rx.cond(r["new"] != "", r["new"], "∅"),
                                color=rx.color("green", 11),
                                size="2",
                                class_name="history-new",
                                max_width="260px",
                                overflow="hidden",
                                text_overflow="ellipsis",
                            ),
                            gap="6px",
                            align="center",
                        )
                    ),
                    class_name="history-row",
                ),
            )
        ),
        size="1",
        variant="surface",
        width="100%",
        id=table_id,
    )


def history_tab() -> rx.Component:
    return rx.vstack(
        rx.cond(
            H.changes.length() > 0,
            history_table(H.changes, "history-table"),
            rx.card(empty_state("history.empty"), width="100%"),
        ),
        rx.cond(
            S.is_manager,
            rx.link(
                T["history.all_of_record"],
                href=f"{routes.SYSTEM_HISTORY}?entity=customer&record=" + S.customer_id.to(str),
                size="2",
                id="history-all",
            ),
            rx.fragment(),
        ),
        gap="8px",
        width="100%",
    )


# --- the tabs --------------------------------------------------------------------------------

TABS = (
    ("followups", "tabs.followups", followups_tab),
    ("tasks", "tabs.tasks", tasks_tab),
    ("notes", "tabs.notes", notes_tab),
    ("emails", "tabs.emails", emails_tab),
    ("files", "tabs.files", files_tab),
    ("sales", "tabs.sales", sales_tab),
    ("history", "tabs.history", history_tab),
)


def tab_triggers() -> list[rx.Component]:
    return [rx.tabs.trigger(T[label], value=value, id=f"tab-{value}") for value, label, _ in TABS]


def tab_contents() -> list[rx.Component]:
    return [rx.tabs.content(render(), value=value, padding_top="14px") for value, _, render in TABS]


def dialogs() -> rx.Component:
    return rx.fragment(
        activity_dialog(),
        note_dialog(),
        sales_dialog(),
        deal_dialog(),
        confirm_delete(A.delete_id > 0, A.cancel_delete, A.delete, "confirm-delete-activity"),
        confirm_delete(N.delete_id > 0, N.cancel_delete, N.delete, "confirm-delete-note"),
        confirm_delete(F.delete_id > 0, F.cancel_delete, F.delete, "confirm-delete-file"),
    )
