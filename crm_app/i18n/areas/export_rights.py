"""Admin: what each role may export."""

MESSAGES: dict[str, tuple[str, str]] = {
    "export_rights.title": ("Quyền xuất dữ liệu", "Export rights"),
    "export_rights.hint": (
        (
            "Chọn vai trò và loại bản ghi, rồi những trường vai trò đó được xuất ra Excel/CSV. Quản trị viên "
            "luôn được xuất mọi trường."
        ),
        (
            "Choose a role and a kind of record, then the fields that role may export to Excel/CSV. "
            "Administrators always export every field."
        ),
    ),
    "export_rights.role": ("Vai trò", "Role"),
    "export_rights.entity": ("Loại bản ghi", "Kind of record"),
    "export_rights.allowed": ("Được xuất dữ liệu", "May export"),
    "export_rights.fields": ("Các trường được xuất", "Fields it may export"),
    "export_rights.saved": ("Đã lưu quyền xuất: {title}", "Export rights saved: {title}"),
    "export_rights.unsaved": (
        "Thay đổi của “{title}” chưa được lưu: hãy Lưu hoặc Bỏ thay đổi trước khi chọn khác",
        "The changes to “{title}” are not saved: Save or Discard them before choosing another",
    ),
    "export_rights.discard": ("Bỏ thay đổi", "Discard changes"),
    "export_rights.unchanged": ("Không có thay đổi: {title}", "Nothing changed: {title}"),
    "entity.export_right": ("Quyền xuất dữ liệu", "Export rights"),
    "field.export_allowed": ("Được xuất dữ liệu", "May export"),
    "field.export_hidden": ("Trường không được xuất", "Fields it may not export"),
    "err.export_not_allowed": (
        "Vai trò của bạn không được xuất loại dữ liệu này",
        "Your role may not export this kind of record",
    ),
    "err.export_role_unknown": ("Không có vai trò “{value}” để đặt quyền xuất", "No role “{value}” to set"),
    "err.export_entity_unknown": ("Không xuất được loại bản ghi “{value}”", "“{value}” cannot be exported"),
    "err.export_no_field": (
        "Chọn ít nhất một trường được xuất, hoặc tắt “Được xuất dữ liệu”",
        "Choose at least one field to export, or turn off “May export”",
    ),
    "err.export_field_unknown": ("Không có trường “{value}” để xuất", "No field “{value}” to export"),
}
