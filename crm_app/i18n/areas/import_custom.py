"""Messages of custom-field columns in an import."""

MESSAGES: dict[str, tuple[str, str]] = {
    "err.import_option_not_allowed": (
        "Giá trị không được phép: “{value}” không có trong các lựa chọn",
        "Value not allowed: “{value}” is not one of the options",
    ),
    "import.allowed.option": ("Một trong: {options}", "One of: {options}"),
    "import.allowed.options": (
        "Một hoặc nhiều trong số (cách nhau bởi dấu phẩy): {options}",
        "One or more of (separated by commas): {options}",
    ),
    "import.new_field_title": (
        "Trường tùy chỉnh mới từ cột “{column}”",
        "A new custom field from the column “{column}”",
    ),
    "import.allowed.custom_number": ("Số, ví dụ 1.234,5", "A number, e.g. 1,234.5"),
}
