"""Messages of the customer products (Sản phẩm khách hàng): the list, the customer's tab, the
services entered by hand and the customer filter on what was bought."""

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.customer_products": ("Sản phẩm khách hàng", "Customer products"),
    "entity.customer_product": ("Sản phẩm khách hàng", "Customer product"),
    "import.entity.customer_product": ("Sản phẩm khách hàng", "Customer products"),
    "cp.title": ("Sản phẩm khách hàng", "Customer products"),
    "cp.search_hint": ("Tìm theo tên sản phẩm (không cần dấu)", "Search by product name (accents optional)"),
    "cp.empty": ("Chưa có sản phẩm nào của khách hàng", "No customer product yet"),
    # fields
    "field.product_id": ("Sản phẩm", "Product"),
    "field.source": ("Nguồn", "Source"),
    "field.quantity": ("Số lượng", "Quantity"),
    "field.first_purchase": ("Mua lần đầu", "First purchase"),
    "field.last_purchase": ("Mua gần nhất", "Last purchase"),
    "field.start_date": ("Ngày bắt đầu", "Start date"),
    "field.end_date": ("Ngày kết thúc", "End date"),
    "field.bought_products": ("Sản phẩm đã mua", "Products bought"),
    "cp.status": ("Trạng thái dịch vụ", "Service status"),
    "cp.source.order": ("Từ đơn hàng", "From orders"),
    "cp.source.service": ("Nhập tay", "Entered by hand"),
    "cp.status.active": ("Đang sử dụng", "In use"),
    "cp.status.paused": ("Tạm dừng", "Paused"),
    "cp.status.ended": ("Đã kết thúc", "Ended"),
    # the customer filter
    "op.bought": ("đã mua", "has bought"),
    "op.not_bought": ("chưa từng mua", "has never bought"),
    "op.not_bought_since": ("không mua kể từ", "not bought since"),
    "filter.since": ("ngày", "date"),
    # the customer's tab
    "tabs.products": ("Sản phẩm", "Products"),
    "cp.bought": ("Đã mua qua đơn hàng", "Bought in orders"),
    "cp.bought_hint": (
        "Cộng từ các đơn hàng không bị hủy; tự cập nhật khi đơn hàng thay đổi",
        "Summed from the orders not cancelled; kept up to date as orders change",
    ),
    "cp.services": ("Dịch vụ nhập tay", "Services entered by hand"),
    "cp.no_bought": ("Khách hàng chưa mua sản phẩm nào", "The customer has bought nothing yet"),
    "cp.no_services": ("Chưa có dịch vụ nào", "No service yet"),
    "cp.add": ("Thêm dịch vụ", "Add a service"),
    "cp.edit": ("Sửa dịch vụ", "Edit the service"),
    "cp.saved": ("Đã lưu dịch vụ", "Service saved"),
    "cp.period": ("Thời gian", "Period"),
    # errors
    "err.cp_product_required": ("Vui lòng chọn sản phẩm", "Choose a product"),
    "err.cp_product_unknown": (
        "Sản phẩm “{value}” không có trong danh mục đang bán",
        "The product “{value}” is not in the catalog on sale",
    ),
    "err.cp_date": ("“{value}” không phải là ngày (dd/mm/yyyy)", "“{value}” is not a date (dd/mm/yyyy)"),
    "err.cp_end_before_start": (
        "Ngày kết thúc {end} trước ngày bắt đầu {start}",
        "The end date {end} is before the start date {start}",
    ),
    "err.cp_status": ("Trạng thái “{value}” không hợp lệ", "“{value}” is not a service status"),
}
