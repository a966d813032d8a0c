"""Records shared with the team (an admin setting) and static lists shared like views."""

MESSAGES: dict[str, tuple[str, str]] = {
    "sharing.title": ("Chia sẻ bản ghi trong nhóm", "Records shared with the team"),
    "sharing.hint": (
        (
            "Nhân viên kinh doanh thấy bản ghi của các thành viên cùng nhóm: chỉ xem, hoặc được sửa. "
            "Họ vẫn chỉ giao bản ghi cho chính mình."
        ),
        (
            "Sales users see the records of their team's members: read-only, or editable. "
            "They still assign records to themselves only."
        ),
    ),
    "sharing.mode": ("Bản ghi của nhóm", "Team records"),
    "sharing.mode.off": ("Không chia sẻ (mỗi người thấy bản ghi của mình)", "Not shared (each sees their own)"),
    "sharing.mode.read": ("Chỉ xem", "Read-only"),
    "sharing.mode.edit": ("Được sửa", "Editable"),
    "sharing.saved": ("Đã lưu: {mode}", "Saved: {mode}"),
    "entity.app_setting": ("Cài đặt", "Setting"),
    "field.team_sharing": ("Chia sẻ bản ghi trong nhóm", "Records shared with the team"),
    "record.read_only": ("Chỉ xem", "Read-only"),
    "record.read_only_hint": (
        "Bản ghi của đồng nghiệp được chia sẻ để xem; bạn không sửa được.",
        "A teammate's record shared for reading; you cannot change it.",
    ),
    "err.read_only_record": (
        "Bản ghi này chỉ được chia sẻ để xem: bạn không sửa được.",
        "This record is shared read-only: you cannot change it.",
    ),
    "err.invalid_sharing_mode": ("Giá trị chia sẻ không hợp lệ: “{value}”", "Not a sharing choice: “{value}”"),
    "err.assignee_status_date_only": (
        "Bạn được giao việc này: chỉ đổi được trạng thái và ngày giờ của nó.",
        "This task is assigned to you: you may change its status and its date only.",
    ),
    "lists.scope": ("Chia sẻ", "Shared with"),
    "lists.owner": ("Người tạo", "Owner"),
    "lists.scope_changed": ("Đã đổi phạm vi chia sẻ của danh sách", "The list's sharing is changed"),
    "err.list_name_taken": ("Bạn đã có danh sách tên “{name}”", "You already have a list named “{name}”"),
    "err.list_owner_only": (
        "Chỉ người tạo danh sách “{name}” hoặc quản trị viên được đổi nó",
        "Only the owner of the list “{name}” or an administrator may change it",
    ),
}
