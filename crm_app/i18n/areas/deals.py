"""Deals on the customer page, orders from won deals, and the next activity on board cards."""

MESSAGES: dict[str, tuple[str, str]] = {
    # an order from a won deal
    "deals.make_order": ("Tạo đơn hàng", "Create order"),
    "deals.order_made": ("Đã tạo đơn hàng {code} cho khách hàng", "Order {code} created for the customer"),
    "deals.order_link": ("Đơn hàng {code}", "Order {code}"),
    "deals.order_hint": (
        "Cơ hội thành công: tạo đơn hàng cho khách hàng với giá trị của cơ hội.",
        "The deal is won: create the customer's order for the deal's value.",
    ),
    "err.order_needs_won": (
        "Chỉ cơ hội đã thành công mới tạo được đơn hàng.",
        "Only a won opportunity can generate an order.",
    ),
    "err.order_needs_customer": (
        "Cơ hội chưa gắn với khách hàng: chọn khách hàng trước khi tạo đơn hàng.",
        "The opportunity has no customer: choose one before creating an order.",
    ),
    "err.order_needs_value": (
        "Cơ hội chưa có giá trị: nhập giá trị trước khi tạo đơn hàng.",
        "The opportunity has no value: enter it before creating an order.",
    ),
    "err.order_exists": ("Cơ hội này đã có đơn hàng {code}.", "This opportunity already has order {code}."),
    "field.order_code": ("Đơn hàng", "Order"),
    "field.opportunity": ("Cơ hội", "Opportunity"),
    # deals on the customer page
    "quick.new_opportunity": ("Tạo cơ hội", "New opportunity"),
    "deals.title": ("Cơ hội", "Opportunities"),
    "deals.empty": ("Khách hàng chưa có cơ hội nào.", "The customer has no opportunity yet."),
    "deals.dialog_title": ("Tạo cơ hội cho khách hàng", "New opportunity for the customer"),
    "deals.no_pipeline": ("Chưa có quy trình bán hàng nào bạn được dùng.", "No pipeline is available to you."),
    # next activity on a board card
    "board.overdue": ("Quá hạn", "Overdue"),
}
