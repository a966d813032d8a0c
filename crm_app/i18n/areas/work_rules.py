"""What a user may do on a task assigned to them, and the refusals of wrong dates, products and
filter values met on the customer pages and in bulk actions."""

MESSAGES: dict[str, tuple[str, str]] = {
    "contact_page.tasks_empty": ("Chưa có công việc nào cho người liên hệ này.", "No task for this contact yet."),
    "act.assignee_hint": (
        "Việc này được giao cho bạn: bạn chỉ đổi được trạng thái và ngày giờ của nó.",
        "This task is assigned to you: you may change its status and its date only.",
    ),
    "act.read_only_hint": (
        "Hoạt động của bản ghi chỉ được chia sẻ để xem: bạn không sửa được.",
        "An activity of a record shared read-only: you cannot change it.",
    ),
    "err.filter_date_missing": (
        "Điều kiện lọc “{name}” chưa có ngày: hãy chọn ngày",
        "The filter condition “{name}” has no date: choose one",
    ),
    "err.filter_choice_missing": (
        "Điều kiện lọc “{name}” chưa chọn giá trị nào",
        "The filter condition “{name}” has nothing chosen",
    ),
    "err.close_date_past": (
        "Ngày dự kiến chốt {value} đã qua: hãy chọn hôm nay hoặc một ngày sau",
        "The expected close date {value} is past: choose today or a later day",
    ),
    "err.line_product_repeated": (
        "Sản phẩm “{name}” có ở cả dòng {first} và dòng {line}: hãy gộp số lượng vào một dòng",
        "The product “{name}” is on line {first} and line {line}: put the quantities on one line",
    ),
    "err.cp_active_ended": (
        (
            "Ngày kết thúc {end} đã qua: dịch vụ không còn “Đang sử dụng”; hãy sửa ngày kết thúc "
            "hoặc chọn trạng thái “Đã kết thúc”"
        ),
        "The end date {end} is past: the service is no longer “In use”; correct the end date or choose “Ended”",
    ),
}
