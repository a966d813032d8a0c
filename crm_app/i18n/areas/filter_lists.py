"""A filter condition "in the list N" naming a list its user does not see."""

MESSAGES: dict[str, tuple[str, str]] = {
    "err.filter_list_unseen": (
        "Không có danh sách số {value} trong các danh sách bạn xem được: hãy chọn lại danh sách trong bộ lọc",
        "There is no list number {value} among the lists you can see: choose the list in the filter again",
    ),
}
