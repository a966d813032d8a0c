"""A list page's column picker: which columns, in which order, how wide."""

from __future__ import annotations

import reflex as rx

from crm_app.services.lists import views

DEFAULT_WIDTH = 160
WIDTH_STEP = 40


class ColumnsMixin(rx.State, mixin=True):
    """Part of ListStateMixin: the column picker."""

    # column picker
    picker_open: bool = False
    picker_columns: list[str] = []
    picker_widths: dict[str, int] = {}
    drag_index: int = -1
    drop_index: int = -1

    # --- column picker -----------------------------------------------------------------------

    @rx.event
    def open_picker(self):
        self.picker_columns, self.picker_widths = list(self.columns), dict(self.widths)
        self.drag_index = self.drop_index = -1
        self.picker_open = True

    @rx.event
    def close_picker(self):
        self.picker_open = False

    @rx.event
    def toggle_column(self, column: str):
        if column in self.picker_columns:
            if len(self.picker_columns) > 1:
                self.picker_columns.remove(column)
        elif column in self.field_types:
            self.picker_columns.append(column)

    @rx.event
    def start_drag(self, index: int):
        self.drag_index, self.drop_index = index, index

    @rx.event
    def drag_over(self, index: int):
        if self.drag_index >= 0:
            self.drop_index = index

    @rx.event
    def drop_on(self, index: int):
        """The end of a drag: the column dragged moves to where it was dropped."""
        start, self.drag_index, self.drop_index = self.drag_index, -1, -1
        if 0 <= start < len(self.picker_columns) and 0 <= index < len(self.picker_columns) and start != index:
            column = self.picker_columns.pop(start)
            self.picker_columns.insert(index, column)

    @rx.event
    def cancel_drag(self):
        self.drag_index = self.drop_index = -1

    @rx.event
    def resize_column(self, column: str, step: int):
        width = self.picker_widths.get(column, DEFAULT_WIDTH) + step * WIDTH_STEP
        self.picker_widths[column] = max(views.MIN_WIDTH, min(views.MAX_WIDTH, width))

    @rx.event
    def apply_columns(self):
        self.columns = list(self.picker_columns)
        self.widths = {c: w for c, w in self.picker_widths.items() if c in self.columns}
        self.picker_open, self.dirty = False, True
        return self._reload(recount=False)

    @rx.var
    def picker_width_labels(self) -> dict[str, str]:
        return {c: f"{self.picker_widths.get(c, DEFAULT_WIDTH)}px" for c in self.picker_columns}
