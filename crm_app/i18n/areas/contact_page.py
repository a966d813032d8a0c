"""Messages of the contact page: its header, and what its tabs say of a contact's e-mail and company."""

MESSAGES: dict[str, tuple[str, str]] = {
    "contact_page.no_company": ("Chưa thuộc công ty nào", "No company"),
    "contact_page.mail_empty": ("Chưa có email nào gửi cho người liên hệ này.", "No email to this contact yet."),
    "err.contact_no_company": (
        "Người liên hệ chưa thuộc công ty nào: hãy chọn công ty (nút Sửa) trước khi thêm hoạt động, ghi chú, email hay tệp",
        "The contact belongs to no company: choose one (Edit) before adding follow-ups, notes, emails or files",
    ),
    "err.contact_company_hidden": (
        "Công ty của người liên hệ do người khác phụ trách: không thể thêm hoạt động, ghi chú, email hay tệp từ đây",
        "The contact's company is someone else's: follow-ups, notes, emails and files cannot be added here",
    ),
    "err.contact_no_email": ("Người liên hệ chưa có địa chỉ email", "The contact has no email address"),
    "mail.contact_opted_out": ("Người liên hệ đã từ chối nhận email.", "This contact opted out of email."),
    "mail.contact_no_address": ("Người liên hệ chưa có địa chỉ email.", "This contact has no email address."),
}
