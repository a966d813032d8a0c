"""Messages of the lead import and of exporting a selection."""

MESSAGES: dict[str, tuple[str, str]] = {
    "import.entity.lead": ("Tiềm năng", "Leads"),
    "import.entity.opportunity": ("Cơ hội", "Opportunities"),  # the sheet name of an export
    "import.allowed.money": ("Số tiền VND, ví dụ 15.000.000 hoặc 15,000,000", "An amount in VND, e.g. 15,000,000"),
    "export.scope_matching": ("Mọi bản ghi khớp danh sách hiện tại ({n})", "Every matching record ({n})"),
    "export.scope_selected": ("Các bản ghi đã chọn ({n})", "Selected records ({n})"),
    "export.too_many_selected": (
        "Chỉ xuất được tối đa {n} bản ghi đã chọn; hãy xuất mọi bản ghi khớp danh sách",
        "At most {n} selected records can be exported; export every matching record instead",
    ),
}
