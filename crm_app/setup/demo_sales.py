"""Demo products and e-mail templates, written with the demo customers on a first start."""

from __future__ import annotations

from sqlmodel import Session, select

from crm_app.models import EmailTemplate, Product

PRODUCTS = [
    ("TOUR-DN", "Tour Đà Nẵng – Hội An 3N2Đ", "khách", 4_590_000),
    ("TOUR-PQ", "Tour Phú Quốc 4N3Đ", "khách", 6_990_000),
    ("TOUR-SG", "Tour Singapore 4N3Đ", "khách", 12_900_000),
    ("VISA-JP", "Dịch vụ visa Nhật Bản", "hồ sơ", 1_500_000),
    ("VE-HAN-SGN", "Vé máy bay Hà Nội – TP.HCM", "vé", 1_850_000),
    ("KS-4SAO", "Phòng khách sạn 4 sao", "đêm", 1_200_000),
]

TEMPLATES = [
    (
        "Chào mừng khách hàng mới",
        "Chào mừng {{customer_name}} đến với chúng tôi",
        (
            "Kính gửi {{customer_name}},\n\nCảm ơn anh/chị đã quan tâm đến dịch vụ của công ty. "
            "{{owner_name}} sẽ là người phụ trách và liên hệ với anh/chị trong thời gian sớm nhất.\n\n"
            "Trân trọng,\n{{sender_name}}"
        ),
    ),
    (
        "Gửi báo giá",
        "Báo giá dành cho {{customer_name}} ({{customer_code}})",
        (
            "Kính gửi {{customer_name}},\n\nChúng tôi xin gửi anh/chị báo giá theo yêu cầu. "
            "Mọi thắc mắc xin liên hệ {{owner_name}} qua email {{owner_email}}.\n\nTrân trọng,\n{{sender_name}}"
        ),
    ),
]


def seed(session: Session) -> None:
    if session.exec(select(Product.id)).first() is None:
        for code, name, unit, price in PRODUCTS:
            session.add(Product(code=code, name=name, unit=unit, unit_price=price))
    if session.exec(select(EmailTemplate.id)).first() is None:
        for name, subject, body in TEMPLATES:
            session.add(EmailTemplate(name=name, subject=subject, body=body))
    session.commit()
