"""Messages of import, export, duplicates and merge."""

MESSAGES: dict[str, tuple[str, str]] = {
    # navigation
    "nav.import": ("Nhập dữ liệu", "Import"),
    "nav.duplicates": ("Trùng lặp", "Duplicates"),
    # import wizard
    "import.title": ("Nhập dữ liệu từ file", "Import from a file"),
    "import.entity": ("Loại dữ liệu", "Record type"),
    "import.entity.customer": ("Khách hàng", "Customers"),
    "import.entity.contact": ("Người liên hệ", "Contacts"),
    "import.entity.activity": ("Hoạt động", "Activities"),  # the sheet and file name of an export
    "import.step.upload": ("Tải file", "Upload"),
    "import.step.mapping": ("Ghép cột", "Mapping"),
    "import.step.options": ("Tùy chọn", "Options"),
    "import.step.review": ("Kiểm tra", "Review"),
    "import.step.summary": ("Kết quả", "Summary"),
    "import.drop_hint": (
        "Kéo thả file vào đây hoặc bấm để chọn (.xlsx, .xls, .csv, .ods, .vcf)",
        "Drop a file here or click to choose one (.xlsx, .xls, .csv, .ods, .vcf)",
    ),
    "import.template": ("Tải file mẫu", "Download the template"),
    "import.encoding_read": ("đọc theo bảng mã {name}", "read as {name}"),
    "import.rows_found": ("{rows} dòng, {columns} cột trong file {file}", "{rows} rows, {columns} columns in {file}"),
    "import.column": ("Cột trong file", "File column"),
    "import.sample": ("Giá trị mẫu", "Sample value"),
    "import.maps_to": ("Ghép vào trường", "Maps to field"),
    "import.ignore": ("— Bỏ qua cột này —", "— Ignore this column —"),
    "import.mapping_name": ("Tên cách ghép", "Mapping name"),
    "import.save_mapping": ("Lưu cách ghép", "Save mapping"),
    "import.use_mapping": ("Dùng cách ghép đã lưu", "Use a saved mapping"),
    "import.mapping_saved": ("Đã lưu cách ghép cột", "Mapping saved"),
    "import.duplicate_check": ("Kiểm tra trùng lặp", "Check for duplicates"),
    "import.keys": ("Trùng khi giống", "Duplicate when the same"),
    "import.key.name_phone": ("Tên + số điện thoại", "Name + phone"),
    "import.key.name_email": ("Tên + email", "Name + email"),
    "import.key.email": ("Email", "Email"),
    "import.key.phone": ("Số điện thoại", "Phone"),
    "import.key.tax_code": ("Mã số thuế", "Tax code"),
    "import.key.code": ("Mã khách hàng", "Customer code"),
    "import.mode": ("Khi trùng với bản ghi đã có", "When a row matches a stored record"),
    "import.mode.create": ("Chỉ thêm mới (báo trùng)", "Create only (report duplicates)"),
    "import.mode.update": ("Cập nhật bản ghi đã có", "Update the matching record"),
    "import.mode.skip": ("Bỏ qua dòng trùng", "Skip matching rows"),
    "import.tags": ("Gắn thẻ cho mọi bản ghi (cách nhau bởi dấu phẩy)", "Tags for every record (comma separated)"),
    "import.review_button": ("Kiểm tra dữ liệu", "Check the rows"),
    "import.run": ("Nhập {count} dòng", "Import rows: {count}"),
    "import.running": ("Đang nhập dữ liệu…", "Importing…"),
    "import.checking": ("Bước 1/2: kiểm tra lại từng dòng…", "Step 1 of 2: checking every row again…"),
    "import.written": ("Bước 2/2: đã ghi {done} / {total} dòng", "Step 2 of 2: {done} / {total} rows written"),
    "import.all": ("Tất cả", "All"),
    "import.row": ("Dòng", "Row"),
    "import.card": ("Danh thiếp", "Card"),
    "import.name": ("Tên", "Name"),
    "import.open_record": ("Mở bản ghi ↗", "Open the record ↗"),
    "import.verdict": ("Kết quả kiểm tra", "Verdict"),
    "import.detail": ("Chi tiết", "Detail"),
    "import.reason": ("Lý do", "Reason"),
    "import.done": (
        (
            "Đã nhập xong: {created} thêm mới ({warnings} có cảnh báo), {updated} cập nhật, {unchanged} không thay "
            "đổi, {skipped} bỏ qua, {duplicates} trùng không nhập, {errors} lỗi"
        ),
        (
            "Import finished: {created} created ({warnings} with a warning), {updated} updated, {unchanged} "
            "unchanged, {skipped} skipped, {duplicates} duplicates not imported, {errors} with errors"
        ),
    ),
    "import.error_report": (
        "Tải báo cáo lỗi và cảnh báo (.xlsx)",
        "Download the report of errors and warnings (.xlsx)",
    ),
    "import.undo": ("Hoàn tác lần nhập này", "Undo this import"),
    "import.undone": ("Đã hoàn tác lần nhập", "The import was undone"),
    "import.undo_question": (
        "Hoàn tác “{file}”: xóa {created} bản ghi đã thêm và trả {updated} bản ghi đã cập nhật về giá trị cũ?",
        "Undo “{file}”: remove the {created} records it created and put back the {updated} it updated?",
    ),
    "import.who": ("Người nhập", "By"),
    "import.undo_confirm": (
        "Xóa các bản ghi đã thêm và khôi phục các bản ghi đã cập nhật?",
        "Remove the records this import created and restore the ones it updated?",
    ),
    "import.new_import": ("Nhập file khác", "Import another file"),
    "import.recent": ("Các lần nhập gần đây", "Recent imports"),
    "import.recent_more": ("Xem các lần nhập cũ hơn", "Show older imports"),
    "import.report_short": ("Báo cáo lỗi", "Error report"),
    "err.import_report_gone": ("Báo cáo của lần nhập này không còn được giữ", "This import's report is no longer kept"),
    "import.file": ("File", "File"),
    "import.when": ("Thời gian", "When"),
    "import.status": ("Trạng thái", "Status"),
    "import.counts": ("Thêm / Cập nhật / Không nhập", "Created / Updated / Not imported"),
    "import.status.writing": ("Đang ghi", "Writing"),
    "import.status.undoing": ("Đang hoàn tác", "Undoing"),
    "import.status.done": ("Hoàn tất", "Done"),
    "import.status.failed": ("Thất bại, không thay đổi gì", "Failed, nothing changed"),
    "import.status.undone": ("Đã hoàn tác", "Undone"),
    "import.template_sheet": ("Dữ liệu", "Data"),
    "import.template_help_sheet": ("Hướng dẫn", "Help"),
    "import.help_column": ("Cột", "Column"),
    "import.help_required": ("Bắt buộc", "Required"),
    "import.help_allowed": ("Giá trị cho phép", "Allowed values"),
    "import.errors_sheet": ("Lỗi và cảnh báo", "Errors and warnings"),
    "import.report_file": ("bao-cao-nhap-{id}", "import-report-{id}"),
    "import.allowed.text": ("Văn bản", "Text"),
    "import.allowed.phones": (
        "Một hoặc nhiều số, cách nhau bởi dấu phẩy; +84 hoặc 0 đều được",
        "One or more numbers separated by commas; +84 or 0",
    ),
    "import.allowed.phone": ("Số điện thoại; +84 hoặc 0 đều được", "A phone number; +84 or 0"),
    "import.allowed.email": ("Địa chỉ email", "An email address"),
    "import.allowed.date": ("Ngày dạng dd/mm/yyyy (ví dụ 25/12/1990)", "A date as dd/mm/yyyy (e.g. 25/12/1990)"),
    "import.allowed.bool": ("Có / Không (hoặc x, để trống là Không)", "Yes / No (or x; empty means No)"),
    "import.allowed.gender": ("Nam / Nữ / Khác", "Male / Female / Other"),
    "import.allowed.number": ("Số (0 đến 5 cho Đánh giá)", "A number (0 to 5 for Rating)"),
    "import.allowed.user": ("Tên đăng nhập, email hoặc họ tên của nhân viên", "Username, email or full name of a user"),
    "import.allowed.tags": ("Các thẻ cách nhau bởi dấu phẩy", "Tags separated by commas"),
    "import.allowed.customer": ("Mã hoặc tên khách hàng đã có", "Code or name of a stored customer"),
    # verdicts
    "verdict.new": ("Thêm mới", "New"),
    "verdict.update": ("Cập nhật", "Update"),
    "verdict.unchanged": ("Không thay đổi", "Unchanged"),
    "verdict.skip": ("Bỏ qua (đã có)", "Skipped (exists)"),
    "verdict.duplicate": ("Trùng bản ghi đã có", "Duplicate of a record"),
    "verdict.in_file": ("Trùng trong file", "Duplicate in the file"),
    "verdict.error": ("Lỗi", "Error"),
    "verdict.warning": ("Cảnh báo", "Warning"),
    "verdict.shares_phone_with": (
        "Vẫn thêm mới, nhưng số điện thoại {value} đã có ở {record}",
        "Added, but the phone {value} already belongs to {record}",
    ),
    "verdict.shares_email_with": (
        "Vẫn thêm mới, nhưng email {value} đã có ở {record}",
        "Added, but the e-mail {value} already belongs to {record}",
    ),
    "verdict.shares_phone_with_row": (
        "Vẫn thêm mới, nhưng số điện thoại {value} trùng với dòng {row} ({name})",
        "Added, but the phone {value} is also on row {row} ({name})",
    ),
    "verdict.shares_email_with_row": (
        "Vẫn thêm mới, nhưng email {value} trùng với dòng {row} ({name})",
        "Added, but the e-mail {value} is also on row {row} ({name})",
    ),
    "import.done_organisations": (
        "; và {n} khách hàng tổ chức mới từ cột công ty",
        "; and {n} new organisations from the company column",
    ),
    "verdict.same_as": ("Giống hệt {record}", "The same as {record}"),
    "verdict.company_created": (
        "Tạo mới khách hàng tổ chức “{value}” và gán người này vào đó",
        "Creates the organisation “{value}” and assigns the person to it",
    ),
    "verdict.company_of_row": (
        "Gán vào khách hàng tổ chức “{value}” được tạo mới ở dòng {row}",
        "Assigned to the organisation “{value}” created for row {row}",
    ),
    "verdict.company_kept": (
        "Vẫn nhập, nhưng chưa có khách hàng “{value}”: tên công ty được ghi vào mô tả",
        "Imported, but there is no customer “{value}”: the company's name is kept in the description",
    ),
    "verdict.duplicate_of": ("Trùng với {code}", "Duplicate of {code}"),
    "verdict.matches": ("Đã có: {code}", "Already stored: {code}"),
    "verdict.in_file_of": ("Trùng với dòng {row} trong file", "Same as row {row} of the file"),
    "verdict.changes": ("Thay đổi: {fields}", "Changes: {fields}"),
    # import errors
    "err.import_format": ("Chỉ nhận file {formats}", "Only {formats} files are accepted"),
    "err.import_empty": ("File không có dữ liệu", "The file holds no data"),
    "err.import_too_big": ("File quá lớn (tối đa {mb} MB)", "The file is too big (at most {mb} MB)"),
    "err.import_file_gone": (
        "Tệp đã tải lên không còn được giữ (quá 7 ngày): hãy tải tệp lên lại",
        "The uploaded file is no longer kept (over 7 days): upload it again",
    ),
    "err.upload_too_big": ("Tải lên quá lớn (tối đa {mb} MB)", "The upload is too large (at most {mb} MB)"),
    "import.template_file": ("mau-nhap-{entity}", "import-template-{entity}"),
    "err.import_unreadable": ("Không đọc được file này", "This file cannot be read"),
    "err.import_not_text": (
        "File “{name}” không phải văn bản CSV hay danh bạ .vcf (có dữ liệu nhị phân, như PDF hay ảnh)",
        "“{name}” is not CSV text or a .vcf contact file (it holds binary data, as a PDF or a picture does)",
    ),
    "err.import_csv_line": (
        "Không đọc được file CSV từ dòng {line}: hãy kiểm tra dấu ngoặc kép ở dòng đó",
        "The CSV file cannot be read from line {line}: check the quotes on that line",
    ),
    "err.import_csv_quote": (
        "Dấu ngoặc kép mở ở dòng {line} không được đóng (mọi dòng sau sẽ gộp vào một ô): hãy sửa file",
        "A quote opened on line {line} is never closed (every line after it would be one cell): correct the file",
    ),
    "err.import_file_type": (
        "File “{name}” không phải bảng tính hay danh bạ: hãy chọn file .xlsx, .xls, .csv, .ods hoặc .vcf",
        "“{name}” is not a spreadsheet or a contact file: choose an .xlsx, .xls, .csv, .ods or .vcf file",
    ),
    "err.import_unknown_value": ("Không có giá trị “{value}” trong danh mục", "“{value}” is not in the catalog"),
    "err.import_invalid_number": ("“{value}” không phải là số", "“{value}” is not a number"),
    "err.import_ambiguous_number": (
        "Không rõ “{value}” là số thập phân hay hàng nghìn: hãy viết 1.500 (nghìn) hoặc 1,5 (thập phân)",
        "“{value}” may be a decimal or thousands: write 1500 for thousands, 1.5 for a decimal",
    ),
    "err.import_invalid_money": (
        "“{value}” không phải số tiền VND (không có phần lẻ đồng)",
        "“{value}” is not an amount of VND (no fractions of a đồng)",
    ),
    "err.import_unknown_user": ("Không có nhân viên “{value}”", "There is no user “{value}”"),
    "err.import_unknown_company": ("Không tìm thấy khách hàng “{value}”", "No customer “{value}” was found"),
    "err.import_ambiguous": ("Trùng nhiều bản ghi: {code}", "Matches several records: {code}"),
    "err.import_not_yours": (
        "Trùng với {code}, bản ghi bạn không được sửa",
        "Matches {code}, which you may not change",
    ),
    "err.import_failed": (
        "Nhập dữ liệu thất bại, không có thay đổi nào được lưu",
        "The import failed; nothing was changed",
    ),
    "err.invalid_yes_no": ("Chỉ nhận Có / Không", "Only Yes / No"),
    "err.mapping_twice": (
        "Hai cột “{first}” và “{second}” cùng ghép vào trường “{field}”: hãy bỏ ghép một cột",
        "The columns “{first}” and “{second}” both map to “{field}”: unmap one of them",
    ),
    "err.mapping_required": (
        "Chưa ghép cột cho trường bắt buộc “{field}”",
        "No column maps to the required field “{field}”",
    ),
    "err.undo_not_possible": ("Lần nhập này không thể hoàn tác", "This import cannot be undone"),
    "err.undo_changed": (
        "{count} bản ghi đã được sửa sau lần nhập, không thể hoàn tác",
        "{count} records changed after the import; it cannot be undone",
    ),
    "err.undo_blocked": (
        "Không thể hoàn tác: {count} bản ghi khác đã gắn với dữ liệu đã nhập ({kinds}: {names}); hãy xóa hoặc chuyển",
        "It cannot be undone: {count} other records belong to the imported ones ({kinds}: {names}); remove or move them",
    ),
    # export
    "export.button": ("Xuất file", "Export"),
    "export.title": ("Xuất danh sách", "Export the list"),
    "export.scope": ("Phạm vi", "Scope"),
    "export.scope_all": ("Mọi bản ghi khớp danh sách hiện tại", "Every record of the current list"),
    "export.format": ("Định dạng", "Format"),
    "export.fields": ("Các trường được xuất", "Fields to export"),
    "export.fields_hint": (
        "Chỉ hiện các trường vai trò của bạn được phép xuất",
        "Only the fields your role may export are offered",
    ),
    "export.download": ("Xuất và tải về", "Export and download"),
    "export.none_chosen": ("Chọn ít nhất một trường", "Choose at least one field"),
    "err.export_field_not_allowed": (
        "Vai trò của bạn không được xuất trường “{field}”",
        "Your role may not export the field “{field}”",
    ),
    # duplicates and merge
    "dup.title": ("Khách hàng trùng lặp", "Duplicate customers"),
    "dup.hint": (
        "Các nhóm khách hàng có cùng email, số điện thoại, tên + số điện thoại hoặc mã số thuế",
        "Groups of customers sharing an email, a phone, a name and phone, or a tax code",
    ),
    "dup.by": ("Tìm trùng theo", "Find duplicates by"),
    "dup.within": ("Trong", "Within"),
    "import.list": ("Thêm các bản ghi đã nhập vào danh sách", "Add the imported records to a list"),
    "import.list_none": ("— Không thêm —", "— None —"),
    "import.required": (
        "Cột bắt buộc có giá trị (dòng thiếu sẽ báo lỗi)",
        "Columns that must have a value (rows without one are errors)",
    ),
    "dup.all_customers": ("Mọi khách hàng", "Every customer"),
    "dup.by.email": ("Email", "Email"),
    "dup.by.phone": ("Số điện thoại", "Phone"),
    "dup.by.name_phone": ("Tên + số điện thoại", "Name + phone"),
    "dup.by.tax_code": ("Mã số thuế", "Tax code"),
    "dup.none": ("Không tìm thấy nhóm trùng lặp nào", "No duplicate groups were found"),
    "dup.merge": ("Gộp", "Merge"),
    "merge.title": ("Gộp khách hàng", "Merge customers"),
    "merge.survivor": ("Giữ lại bản ghi", "Record to keep"),
    "merge.field": ("Trường", "Field"),
    "merge.preview": ("Kết quả sau khi gộp", "Result after merging"),
    "merge.warning": (
        (
            "Gộp không thể hoàn tác. Các bản ghi khác sẽ bị xóa; người liên hệ, số điện thoại, thẻ, hoạt động, "
            "ghi chú, email, tệp, báo giá, đơn hàng, cơ hội, danh sách và lịch sử chuyển sang bản ghi được "
            "giữ lại."
        ),
        (
            "Merging cannot be undone. The other records are removed; their contacts, phones, tags, "
            "activities, notes, e-mails, files, quotes, orders, deals, list memberships and history move "
            "to the record kept."
        ),
    ),
    "merge.confirm": ("Tôi hiểu, gộp", "I understand, merge"),
    "merge.done": ("Đã gộp {count} bản ghi vào {code}", "Merged {count} records into {code}"),
    "err.merge_two": ("Chọn ít nhất hai bản ghi để gộp", "Choose at least two records to merge"),
    "err.merge_too_many": (
        "Gộp tối đa {max} bản ghi một lần (đang chọn {value})",
        "Merge at most {max} records at a time ({value} chosen)",
    ),
    "bulk.merge": ("Ghép bản ghi", "Merge records"),
    "err.merge_managers": ("Chỉ quản lý được gộp bản ghi", "Only managers may merge records"),
}
