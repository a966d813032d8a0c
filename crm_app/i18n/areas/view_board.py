"""Messages of the kanban display of saved views (any list grouped by a choice field)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "board.no_value": ("(Chưa có)", "(None)"),
    "err.board_column": (
        "Cột này không còn trên bảng; hãy tải lại",
        "That column is no longer on the board; reload it",
    ),
    "err.board_field_fixed": (
        "Không đổi được trường này bằng cách kéo thẻ",
        "This field cannot be changed by dragging a card",
    ),
}
