"""Customer lookup (Tra cứu khách hàng)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.lookup": ("Tra cứu khách hàng", "Customer lookup"),
    "entity.lookup": ("Tra cứu khách hàng", "Customer lookup"),
    "history.action.lookup": ("Tra cứu", "Looked up"),
    "field.lookup_number": ("Số điện thoại / mã số thuế", "Phone / tax code"),
    "field.lookup_email": ("Email", "E-mail"),
    "field.lookup_name": ("Họ tên", "Full name"),
    "lookup.title": ("Tra cứu khách hàng", "Customer lookup"),
    "lookup.hint": (
        (
            "Nhập số điện thoại, email, mã số thuế hoặc họ tên đầy đủ để biết đã có trên CRM chưa và ai phụ "
            "trách. Chỉ thấy chi tiết bản ghi nếu bạn có quyền xem."
        ),
        (
            "Type a phone, an e-mail, a tax code or a full name to learn whether it is in the CRM and who owns "
            "it. You see the record itself only if you may."
        ),
    ),
    "lookup.placeholder": ("Số điện thoại, email, MST hoặc họ tên", "Phone, e-mail, tax code or full name"),
    "lookup.run": ("Tra cứu", "Look up"),
    "lookup.found": ("Đã có trên hệ thống CRM", "Already in the CRM"),
    "lookup.none": ("Chưa có trên hệ thống CRM", "Not in the CRM"),
    "lookup.kind": ("Loại bản ghi", "Kind of record"),
    "lookup.matched": ("Trùng theo", "Matched on"),
    "lookup.teams": ("Nhóm", "Team"),
    "lookup.record": ("Bản ghi", "Record"),
    "lookup.not_yours": ("Không thuộc quyền xem của bạn", "Not yours to see"),
    "lookup.no_owner": ("Chưa giao", "Unassigned"),
    "lookup.by.phone": ("Số điện thoại", "Phone"),
    "lookup.by.email": ("Email", "E-mail"),
    "lookup.by.tax_code": ("Mã số thuế", "Tax code"),
    "lookup.by.name": ("Họ tên", "Full name"),
    "err.lookup_limit": (
        "Bạn đã tra cứu {max} lần trong một giờ qua. Vui lòng thử lại sau.",
        "You made {max} lookups in the last hour. Try again later.",
    ),
    "err.lookup_whole_name": (
        "Nhập họ tên đầy đủ (ít nhất hai chữ), không phải “{value}”",
        "Type a whole name (two words at least), not “{value}”",
    ),
}
