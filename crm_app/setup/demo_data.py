"""Realistic Vietnamese demo data, and the bulk row builder behind it.

``seed`` fills an empty database on its first start: two sales teams, their
managers and salespeople (``DEMO_USERS``), then about 2,000 customers with
phones, tags, contacts and history. ``CustomerFactory`` and ``insert_customers``
build and write the rows in bulk; the benchmark generator (crm_app.tools.generate)
uses the very same code for a million rows.

Rows are written with SQLAlchemy Core, bypassing services.customers, so this
module writes every shadow column exactly as the service does (name_norm,
email_norm, phone_norm, CustomerPhone.number_norm, code = KH + id) plus one
AuditLog "create" row per record. The duplicate rule holds by construction:
every customer phone is unique (a permutation of the customer id), and every
e-mail carries the customer id, so no two customers share a phone or an e-mail.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, select

from crm_app.models import AuditLog, CatalogItem, Contact, Customer, CustomerPhone, CustomerTag, Team, TeamMember, User
from crm_app.services import places
from crm_app.services.normalize import (
    given_name_columns,
    normalize_email,
    normalize_name,
    normalize_phone,
    suffix_key,
)
from crm_app.services.people import users
from crm_app.services.records import audit, catalogs

# --------------------------------------------------------------------------------------------
# Demo accounts (the README cites this table)
# --------------------------------------------------------------------------------------------


class DemoUser(NamedTuple):
    username: str
    full_name: str
    role: str
    team: str
    password: str


TEAM_HN = "Kinh doanh Hà Nội"
TEAM_HCM = "Kinh doanh TP.HCM"
DEMO_TEAMS = (TEAM_HN, TEAM_HCM)

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("quanly.hn", "Đỗ Văn Hùng", "manager", TEAM_HN, "Quanly@2026"),
    DemoUser("quanly.hcm", "Vũ Thị Mai", "manager", TEAM_HCM, "Quanly@2026"),
    DemoUser("sale.lan", "Trần Thị Lan", "sales", TEAM_HN, "Sale@2026"),
    DemoUser("sale.minh", "Phạm Quang Minh", "sales", TEAM_HN, "Sale@2026"),
    DemoUser("sale.hoa", "Nguyễn Thị Hoa", "sales", TEAM_HCM, "Sale@2026"),
    DemoUser("sale.tuan", "Lê Anh Tuấn", "sales", TEAM_HCM, "Sale@2026"),
)


def demo_accounts_markdown() -> str:
    """``DEMO_USERS`` as a Markdown table (for the README)."""
    lines = ["| login | password | role | name | team |", "|---|---|---|---|---|"]
    lines += [f"| `{u.username}` | `{u.password}` | {u.role} | {u.full_name} | {u.team} |" for u in DEMO_USERS]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

# The 34 provinces and centrally-run cities since 1 July 2025 (as services.places names them),
# with their region.
PROVINCES: tuple[tuple[str, str], ...] = (
    *((p, "north") for p in ("Hà Nội", "Hải Phòng", "Quảng Ninh", "Bắc Ninh", "Hưng Yên", "Ninh Bình")),
    *((p, "north") for p in ("Phú Thọ", "Thái Nguyên", "Tuyên Quang", "Cao Bằng", "Lạng Sơn", "Lào Cai")),
    *((p, "north") for p in ("Điện Biên", "Lai Châu", "Sơn La")),
    *((p, "central") for p in ("Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Trị", "Huế", "Đà Nẵng")),
    *((p, "central") for p in ("Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Đắk Lắk", "Lâm Đồng")),
    *((p, "south") for p in ("TP. Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Đồng Tháp", "Vĩnh Long", "An Giang")),
    *((p, "south") for p in ("Cần Thơ", "Cà Mau")),
)
CITIES = frozenset({"Hà Nội", "TP. Hồ Chí Minh", "Hải Phòng", "Huế", "Đà Nẵng", "Cần Thơ"})
_PROVINCE_NAMES = tuple(p for p, _ in PROVINCES)
_BY_REGION = {r: tuple(p for p, reg in PROVINCES if reg == r) for r in ("north", "central", "south")}

# Family names with their approximate share of the population.
FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9.5),
    ("Phạm", 7),
    ("Hoàng", 3),
    ("Huỳnh", 2.5),
    ("Phan", 4.5),
    ("Vũ", 2.5),
    ("Võ", 2),
    ("Đặng", 2.1),
    ("Bùi", 2),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1),
    ("Lý", 0.5),
    ("Trương", 0.8),
    ("Đinh", 0.7),
    ("Mai", 0.5),
    ("Trịnh", 0.5),
    ("Lương", 0.4),
)
MIDDLE_MALE: tuple[tuple[str, float], ...] = (
    ("Văn", 40),
    ("Hữu", 6),
    ("Đức", 8),
    ("Minh", 8),
    ("Quang", 6),
    ("Thanh", 5),
    ("Công", 4),
    ("Xuân", 3),
    ("Tiến", 3),
    ("Anh", 4),
    ("Hoàng", 3),
    ("Ngọc", 2),
    ("Duy", 3),
    ("Trọng", 3),
    ("Mạnh", 2),
)
MIDDLE_FEMALE: tuple[tuple[str, float], ...] = (
    ("Thị", 45),
    ("Ngọc", 8),
    ("Thu", 6),
    ("Thanh", 6),
    ("Minh", 4),
    ("Kim", 4),
    ("Thùy", 4),
    ("Bảo", 3),
    ("Phương", 4),
    ("Hồng", 4),
    ("Mỹ", 3),
    ("Khánh", 2),
    ("Thị Ngọc", 3),
    ("Thị Thu", 3),
    ("Thị Minh", 2),
)
GIVEN_MALE = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Hải",
    "Hiếu",
    "Hoàng",
    "Hùng",
    "Huy",
    "Khánh",
    "Khoa",
    "Long",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tâm",
    "Thành",
    "Thắng",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Hưng",
    "Đạt",
    "Toàn",
    "Phong",
    "Kiên",
    "Lâm",
    "Hiển",
    "Lộc",
    "Thịnh",
    "Bảo",
)
GIVEN_FEMALE = (
    "An",
    "Anh",
    "Châu",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hoa",
    "Hồng",
    "Hương",
    "Huyền",
    "Khánh",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Thảo",
    "Thu",
    "Thủy",
    "Trang",
    "Tuyết",
    "Uyên",
    "Vân",
    "Yến",
    "Ly",
    "Diệp",
    "Trâm",
)

BUSINESS_TYPES = ("Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Công ty TNHH", "Tập đoàn")
INDUSTRIES = (
    "Du lịch",
    "Thương mại",
    "Dịch vụ",
    "Xây dựng",
    "Công nghệ",
    "Vận tải",
    "Thực phẩm",
    "Dược phẩm",
    "Bất động sản",
    "Sự kiện",
    "Giáo dục",
    "May mặc",
    "Nội thất",
    "Xuất nhập khẩu",
    "Điện máy",
    "Lữ hành",
    "Đầu tư",
    "Truyền thông",
    "Thủy sản",
    "Nông sản",
)
BRANDS = (
    "Ánh Dương",
    "Hoàng Long",
    "Phương Nam",
    "Sao Mai",
    "Minh Phát",
    "Thành Công",
    "Việt Tiến",
    "Hưng Thịnh",
    "An Phát",
    "Đại Việt",
    "Hòa Bình",
    "Bình Minh",
    "Kim Long",
    "Thiên Phú",
    "Hải Âu",
    "Trường Sơn",
    "Sông Hồng",
    "Mê Kông",
    "Nam Việt",
    "Phú Thái",
    "Đông Á",
    "Toàn Cầu",
    "Vạn Xuân",
    "Hồng Hà",
    "Lạc Hồng",
    "Gia Phát",
    "Phúc Lộc",
    "Thăng Long",
    "Sài Gòn Xanh",
    "Tân Cảng",
    "Hoa Sen",
    "Bách Việt",
    "Sen Vàng",
    "Ngọc Minh",
    "Đất Việt",
    "Kim Cương",
    "Tràng An",
    "Việt Nhật",
    "Tây Bắc",
    "Cửu Long",
)
WARDS = (
    "Bến Nghé",
    "Bến Thành",
    "Hàng Bạc",
    "Tràng Tiền",
    "Phúc Xá",
    "Thảo Điền",
    "Láng Hạ",
    "Dịch Vọng",
    "Tân Định",
    "Đa Kao",
    "Hải Châu I",
    "Thạch Thang",
    "Cầu Kho",
    "Nguyễn Du",
    "Điện Biên",
    "Kim Liên",
    "Trung Hòa",
    "Yên Hòa",
    "Võ Thị Sáu",
    "Bình Thạnh",
    "Lê Lợi",
    "Trần Phú",
    "Quang Trung",
    "Hưng Bình",
)
SCHOOL_NAMES = (
    "Kim Đồng",
    "Lê Quý Đôn",
    "Nguyễn Du",
    "Chu Văn An",
    "Trần Quốc Toản",
    "Võ Thị Sáu",
    "Nguyễn Bỉnh Khiêm",
    "Lê Hồng Phong",
    "Phan Bội Châu",
    "Trưng Vương",
)
PUBLIC_TEMPLATES = (
    "Sở Giáo dục và Đào tạo {p}",
    "Sở Y tế {p}",
    "Sở Văn hóa, Thể thao và Du lịch {p}",
    "Sở Tài chính {p}",
    "Bệnh viện Đa khoa {tinh}{p}",
    "Cục Thuế {tinh}{p}",
    "Kho bạc Nhà nước {p}",
    "Trung tâm Y tế {p}",
    "Trường Đại học {p}",
    "Trường THPT {s}",
    "UBND phường {w}",
    "Công an phường {w}",
    "Trường Tiểu học {s}",
    "Trạm Y tế phường {w}",
    "Liên đoàn Lao động {tinh}{p}",
    "Hội Nông dân {tinh}{p}",
)
STREETS = (
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Nguyễn Huệ",
    "Hai Bà Trưng",
    "Lý Thường Kiệt",
    "Quang Trung",
    "Nguyễn Trãi",
    "Lê Duẩn",
    "Hùng Vương",
    "Điện Biên Phủ",
    "Phan Chu Trinh",
    "Nguyễn Du",
    "Bà Triệu",
    "Lê Thánh Tông",
    "Võ Thị Sáu",
    "Nguyễn Thị Minh Khai",
    "Pasteur",
    "Cách Mạng Tháng Tám",
    "Trần Phú",
    "Hoàng Diệu",
    "Ngô Quyền",
    "Lạc Long Quân",
    "Tôn Đức Thắng",
    "Phạm Văn Đồng",
    "Nguyễn Văn Linh",
    "Lê Văn Sỹ",
    "Kim Mã",
    "Giải Phóng",
    "Láng",
    "Xuân Thủy",
    "Cầu Giấy",
    "Bạch Đằng",
    "Nguyễn Văn Cừ",
    "Lê Hồng Phong",
)
MAIL_DOMAINS = (
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "hotmail.com",
    "icloud.com",
    "fpt.vn",
    "vnn.vn",
)
# (name, share of individuals / of organisations)
TAGS = (
    "VIP",
    "Du lịch",
    "Hội nghị",
    "Quan tâm tour Nhật",
    "Teambuilding",
    "Khách đoàn",
    "Tour Hàn Quốc",
    "Du lịch nội địa",
    "Khách quen",
)
_TAGS_INDIVIDUAL = (
    ("VIP", 0.05),
    ("Du lịch", 0.15),
    ("Quan tâm tour Nhật", 0.08),
    ("Tour Hàn Quốc", 0.05),
    ("Du lịch nội địa", 0.10),
    ("Khách quen", 0.06),
)
_TAGS_ORG = (
    ("VIP", 0.08),
    ("Hội nghị", 0.25),
    ("Teambuilding", 0.15),
    ("Khách đoàn", 0.20),
    ("Du lịch", 0.10),
    ("Quan tâm tour Nhật", 0.04),
)
DESCRIPTIONS_INDIVIDUAL = (
    "Quan tâm tour Nhật Bản mùa hoa anh đào, đi 2 người.",
    "Đã đi tour Phú Quốc năm ngoái, muốn đi Đà Lạt dịp lễ.",
    "Hỏi giá tour Hàn Quốc 5 ngày 4 đêm cho gia đình 4 người.",
    "Khách giới thiệu từ anh Hùng, ưu tiên gọi buổi tối.",
    "Cần visa Schengen, hẹn gặp tư vấn tại văn phòng.",
)
DESCRIPTIONS_ORG = (
    "Cần báo giá hội nghị khách hàng 200 người tại Đà Nẵng.",
    "Tổ chức teambuilding hằng năm vào tháng 6, khoảng 80 nhân viên.",
    "Đang xin báo giá tour nghỉ dưỡng cho cán bộ công đoàn.",
    "Thanh toán chuyển khoản, cần xuất hóa đơn VAT.",
    "Liên hệ qua phòng Hành chính - Nhân sự.",
)
TAX_PREFIXES = ("01", "03", "04", "02", "05", "06", "08", "18", "27", "28", "31", "36")  # tax office codes
CONTACT_TITLES = (
    "Giám đốc",
    "Phó Giám đốc",
    "Trưởng phòng Hành chính",
    "Kế toán trưởng",
    "Chuyên viên",
    "Trưởng phòng Kinh doanh",
    "Thư ký",
    "Chánh Văn phòng",
    "Trưởng phòng Nhân sự",
)
INDIVIDUAL_CONTACT_TITLES = ("Người nhà", "Trợ lý", "Thư ký riêng")
# Vietnamese mobile prefixes (national form, without the leading 0 once formatted as +84) whose
# every number is in the numbering plan (089 and 099 are only partly).
MOBILE_PREFIXES = (
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
    "056",
    "058",
    "070",
    "076",
    "077",
    "078",
    "079",
    "081",
    "082",
    "083",
    "084",
    "085",
    "086",
    "088",
    "090",
    "091",
    "093",
    "094",
    "096",
    "097",
    "098",
)
_PHONE_SPACE = len(MOBILE_PREFIXES) * 10**7
_PHONE_MULT = 2_654_435_761  # prime: n -> n * mult mod space is a permutation
assert math.gcd(_PHONE_MULT, _PHONE_SPACE) == 1
_PHONE_SLOTS = 8  # per customer id: 0-1 customer phones, 2-7 contact mobiles


def mobile_number(serial: int) -> str:
    """A distinct mobile number (national form) for every serial below ~3e8."""
    n = (serial * _PHONE_MULT + 7_654_321) % _PHONE_SPACE
    return f"{MOBILE_PREFIXES[n // 10**7]}{n % 10**7:07d}"


def format_phone(national: str, style: int) -> str:
    """The ways people type a number: +84 9xx xxx xxx, 09xx.xxx.xxx, 0xxxxxxxxx, 09xx xxx xxx."""
    if style == 0:
        return f"+84 {national[1:4]} {national[4:7]} {national[7:]}"
    if style == 1:
        return f"{national[:4]}.{national[4:7]}.{national[7:]}"
    if style == 2:
        return national
    return f"{national[:4]} {national[4:7]} {national[7:]}"


# --------------------------------------------------------------------------------------------
# Row building
# --------------------------------------------------------------------------------------------


def _place(province: str, cid: int) -> dict[str, str]:
    """A province's code and one of its wards (chosen from the id: the random draws of the rest
    of the demo stay as they were)."""
    code = places.province_code(province) or ""
    wards = places.wards_of(code)
    return {"province": code, "ward": wards[cid * 7919 % len(wards)][0] if wards else ""}


@dataclass(frozen=True)
class Owner:
    user_id: int
    weight: float
    home: str  # the team's home province
    region: str  # north / central / south / "" (anywhere)


@dataclass
class SeedContext:
    """What rows refer to: owners, catalog items and tags (all already in the database)."""

    owners: list[Owner]
    categories: dict[str, int]  # catalog code -> id
    sources: dict[str, int]
    tags: dict[str, int]  # tag name -> id
    now: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))

    @classmethod
    def load(cls, session: Session, owners: list[Owner]) -> SeedContext:
        def codes(kind: str) -> dict[str, int]:
            rows = session.exec(select(CatalogItem.code, CatalogItem.id).where(CatalogItem.kind == kind)).all()
            return dict(rows)

        tag_ids = catalogs.tag_ids(session, list(TAGS))  # every name of TAGS is its own tag
        session.commit()
        return cls(
            owners=owners,
            categories=codes("category"),
            sources=codes("source"),
            tags=tag_ids,
        )


@dataclass
class Batch:
    customers: list[dict] = field(default_factory=list)
    phones: list[dict] = field(default_factory=list)
    tags: list[dict] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)
    audits: list[dict] = field(default_factory=list)


class _Weighted:
    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Sequence[tuple[object, float]]) -> None:
        self.items = [p for p, _ in pairs]
        self.cum = list(_accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random):
        return self.items[bisect(self.cum, rng.random() * self.total)]


def _accumulate(values) -> list[float]:
    out, acc = [], 0.0
    for v in values:
        acc += v
        out.append(acc)
    return out


class CustomerFactory:
    """Builds the rows of customers ``first_id``, ``first_id + 1``, ... in order.

    ``total`` customers are spread over the last ``span_days`` days, so codes and
    creation dates grow together. Organisations get ``org_contacts`` contacts
    (a range), individuals one contact with probability ``individual_contact_rate``.
    """

    KIND_WEIGHTS = (("individual", 78), ("business", 16), ("public", 6))
    STATUS_WEIGHTS = (("lead", 30), ("potential", 30), ("customer", 32), ("inactive", 8))
    RATING_WEIGHTS = ((0, 35), (1, 5), (2, 10), (3, 25), (4, 15), (5, 10))

    def __init__(
        self,
        ctx: SeedContext,
        rng: random.Random,
        total: int,
        *,
        org_contacts: tuple[int, int] = (1, 3),
        individual_contact_rate: float = 0.2,
        span_days: int = 730,
    ) -> None:
        self.ctx = ctx
        self.rng = rng
        self.total = max(total, 1)
        self.org_contacts = org_contacts
        self.individual_contact_rate = individual_contact_rate
        self.start = ctx.now - timedelta(days=span_days)
        self.step = timedelta(days=span_days) / self.total
        self._owner = _Weighted([(o, o.weight) for o in ctx.owners])
        self._kind = _Weighted(self.KIND_WEIGHTS)
        self._status = _Weighted(self.STATUS_WEIGHTS)
        self._rating = _Weighted(self.RATING_WEIGHTS)
        self._family = _Weighted(FAMILY_NAMES)
        self._middle = {"male": _Weighted(MIDDLE_MALE), "female": _Weighted(MIDDLE_FEMALE)}
        self._norm_cache: dict[str, str] = {}
        self._orgs_by_owner: dict[int, list[int]] = {}
        self._categories = list(ctx.categories.values())
        self._sources = list(ctx.sources.values())
        self._vip = ctx.categories.get("vip")
        self._index = 0

    # -- helpers ---------------------------------------------------------------------------
    def _norm(self, name: str) -> str:
        norm = self._norm_cache.get(name)
        if norm is None:
            if len(self._norm_cache) > 200_000:
                self._norm_cache.clear()
            norm = self._norm_cache[name] = normalize_name(name)
        return norm

    def person_name(self) -> tuple[str, str, str, str]:
        """(full name, gender, family, given)."""
        rng = self.rng
        gender = "male" if rng.random() < 0.5 else "female"
        family = self._family.pick(rng)
        middle = self._middle[gender].pick(rng)
        given = rng.choice(GIVEN_MALE if gender == "male" else GIVEN_FEMALE)
        return f"{family} {middle} {given}", gender, family, given

    def _province(self, owner: Owner) -> str:
        r = self.rng.random()
        if r < 0.4 and owner.home:
            return owner.home
        if r < 0.75 and owner.region:
            return self.rng.choice(_BY_REGION[owner.region])
        return self.rng.choice(_PROVINCE_NAMES)

    def _address(self) -> str:
        """The street address (the ward is a field of its own)."""
        rng = self.rng
        street = rng.choice(STREETS)
        if rng.random() < 0.3:
            return f"Số {rng.randint(1, 80)} ngõ {rng.randint(2, 299)} {street}"
        return f"Số {rng.randint(1, 399)} {street}"

    def _org_name(self, kind: str, province: str) -> tuple[str, str]:
        """(name, short brand used for the web/mail domain)."""
        rng = self.rng
        if kind == "business":
            brand = rng.choice(BRANDS)
            btype = rng.choice(BUSINESS_TYPES)
            if btype == "Tập đoàn":
                return f"Tập đoàn {brand}", brand
            return f"{btype} {rng.choice(INDUSTRIES)} {brand}", brand
        template = rng.choice(PUBLIC_TEMPLATES)
        tinh = "" if province in CITIES else "tỉnh "
        name = template.format(p=province, tinh=tinh, w=rng.choice(WARDS), s=rng.choice(SCHOOL_NAMES))
        return name, province

    def _email(self, local: str, domain: str) -> str:
        # stored in lower case, as the form's cleaner stores an e-mail; the draw that once chose
        # capitals stays, so the rest of the demo data is the same
        self.rng.random()
        return f"{local}@{domain}".lower()

    # -- rows ------------------------------------------------------------------------------
    def add(self, batch: Batch, cid: int) -> None:
        """Append the rows of customer ``cid`` (its phones, tags, contacts and history) to ``batch``."""
        rng = self.rng
        ctx = self.ctx
        i = self._index
        self._index += 1
        owner = self._owner.pick(rng)
        kind = self._kind.pick(rng)
        created = self.start + self.step * i + timedelta(seconds=rng.random() * 60)
        if created > ctx.now:
            created = ctx.now
        updated = created
        if rng.random() < 0.4:
            updated = min(ctx.now, created + timedelta(minutes=rng.randint(5, 90 * 24 * 60)))
        province = self._province(owner)
        code = f"KH{cid:06d}"
        status = self._status.pick(rng)
        gender = ""
        birthday = None
        tax_code = ""
        website = ""
        assigned_to = None
        if kind == "individual":
            full_name, gender, family, given = self.person_name()
            slug_f, slug_g = self._norm(family).replace(" ", ""), self._norm(given).replace(" ", "")
            style = rng.random()
            if style < 0.4:
                local = f"{slug_g}.{slug_f}{cid}"
            elif style < 0.8:
                local = f"{slug_f}{slug_g}{cid}"
            else:
                local = f"{slug_g}{cid}"
            email = self._email(local, rng.choice(MAIL_DOMAINS)) if rng.random() < 0.75 else ""
            if rng.random() < 0.7:
                birthday = date(1955, 1, 1) + timedelta(days=rng.randint(0, 47 * 365))
            if rng.random() < 0.03:
                gender = ""
            orgs = self._orgs_by_owner.get(owner.user_id)
            if orgs and rng.random() < 0.15:
                assigned_to = orgs[-1 - int(rng.random() * min(len(orgs), 200))]
            tag_table = _TAGS_INDIVIDUAL
            descriptions = DESCRIPTIONS_INDIVIDUAL
        else:
            full_name, brand = self._org_name(kind, province)
            slug = self._norm(brand).replace(" ", "").replace("-", "")
            domain = f"{slug}{cid}.vn" if kind == "business" else f"{slug}.gov.vn"
            local = rng.choice(("info", "lienhe", "kinhdoanh", "vanphong", "hanhchinh"))
            email = self._email(f"{local}.{cid}" if kind == "public" else local, domain) if rng.random() < 0.85 else ""
            if kind == "business" or rng.random() < 0.6:
                tax = (cid * 7_919 + 1_234_567) % 10**8
                tax_code = f"{rng.choice(TAX_PREFIXES)}{tax:08d}"
                if rng.random() < 0.1:
                    tax_code += f"-{rng.randint(1, 9):03d}"
            if rng.random() < 0.5:
                website = f"https://www.{domain}" if rng.random() < 0.5 else f"{domain}"
            if kind == "business" and rng.random() < 0.05:
                publics = self._orgs_by_owner.get(-owner.user_id)
                if publics:
                    assigned_to = publics[-1 - int(rng.random() * min(len(publics), 200))]
            self._orgs_by_owner.setdefault(owner.user_id, []).append(cid)
            if kind == "public":
                self._orgs_by_owner.setdefault(-owner.user_id, []).append(cid)
            tag_table = _TAGS_ORG
            descriptions = DESCRIPTIONS_ORG

        phones: list[str] = []
        r = rng.random()
        n_phones = 0 if r < 0.05 else (2 if r > 0.85 else 1)
        for k in range(n_phones):
            phones.append(format_phone(mobile_number(cid * _PHONE_SLOTS + k), int(rng.random() * 4)))
        for pos, number in enumerate(phones):
            # owner_id / archived: the copies the search reads (a trigger writes them when missing)
            batch.phones.append(
                {
                    "customer_id": cid,
                    "number": number,
                    "number_norm": normalize_phone(number),
                    "number_rev": suffix_key(normalize_phone(number)),
                    "position": pos,
                    "owner_id": owner.user_id,
                    "archived": False,
                }
            )
        phone = phones[0] if phones else ""

        tags = [ctx.tags[name] for name, share in tag_table if rng.random() < share]
        category = (
            self._vip
            if ctx.tags["VIP"] in tags and self._vip
            else (rng.choice(self._categories) if self._categories and rng.random() < 0.8 else None)
        )
        for tag_id in tags:
            batch.tags.append({"customer_id": cid, "tag_id": tag_id})

        batch.customers.append(
            {
                "id": cid,
                "code": code,
                "full_name": full_name,
                "name_norm": self._norm(full_name),
                **given_name_columns(full_name, person=kind == "individual"),
                "kind": kind,
                "status": status,
                "email": email,
                "email_norm": normalize_email(email),
                "phone": phone,
                "phone_norm": normalize_phone(phone),
                "country": "Việt Nam",
                **_place(province, cid),
                "address": self._address() if rng.random() < 0.8 else "",
                "tax_code": tax_code,
                "website": website,
                "birthday": birthday,
                "gender": gender,
                "category_id": category,
                "source_id": rng.choice(self._sources) if self._sources and rng.random() < 0.85 else None,
                "owner_id": owner.user_id,
                "assigned_to_id": assigned_to,
                "rating": self._rating.pick(rng),
                "email_opt_out": rng.random() < 0.05,
                "do_not_call": rng.random() < 0.03,
                "notify_on_change": rng.random() < 0.1,
                "description": rng.choice(descriptions) if rng.random() < 0.2 else "",
                "last_purchase_at": (created + timedelta(days=rng.randint(0, 60))).date()
                if status == "customer" and created + timedelta(days=60) < ctx.now
                else None,
                "archived": False,
                "archived_at": None,
                "created_by_id": owner.user_id,
                "created_at": created,
                "updated_by_id": owner.user_id,
                "updated_at": updated,
            }
        )
        batch.audits.append(audit.row("customer", cid, "create", owner.user_id, created))

        if kind == "individual":
            n_contacts = 1 if rng.random() < self.individual_contact_rate else 0
        else:
            n_contacts = rng.randint(*self.org_contacts)
        for j in range(n_contacts):
            self._contact(batch, cid, j, kind, owner.user_id, created, email.split("@")[-1] if email else "")

    def _contact(
        self, batch: Batch, cid: int, j: int, kind: str, owner_id: int, created: datetime, domain: str
    ) -> None:
        rng = self.rng
        full_name, _gender, family, given = self.person_name()
        mobile = format_phone(mobile_number(cid * _PHONE_SLOTS + 2 + j), int(rng.random() * 4))
        if kind == "individual":
            title = rng.choice(INDIVIDUAL_CONTACT_TITLES)
            email, desk = "", ""
        else:
            title = rng.choice(CONTACT_TITLES)
            local = f"{self._norm(given)}.{self._norm(family)}".replace(" ", "")
            email = f"{local}@{domain.lower()}" if domain and rng.random() < 0.8 else ""
            desk = (
                f"02{rng.choice('48')} {rng.randint(3000, 3999)} {rng.randint(0, 9999):04d}"
                if rng.random() < 0.5
                else ""
            )
        at = min(created + timedelta(minutes=rng.randint(1, 600)), self.ctx.now)  # never after the start
        batch.contacts.append(
            {
                "full_name": full_name,
                "name_norm": self._norm(full_name),
                **given_name_columns(full_name),
                "customer_id": cid,
                "title": title,
                "email": email,
                "email_norm": normalize_email(email),
                "phone": desk,
                "phone_norm": normalize_phone(desk),
                "phone_rev": suffix_key(normalize_phone(desk)),
                "mobile": mobile,
                "mobile_norm": normalize_phone(mobile),
                "mobile_rev": suffix_key(normalize_phone(mobile)),
                "email_opt_out": False,
                "do_not_call": False,
                "reference_only": False,
                "notify_on_change": False,
                "rating": 0,
                "reports_to_id": None,
                "owner_id": owner_id,
                "portal_access": False,
                "support_start": None,
                "support_end": None,
                "description": "",
                "archived": False,
                "archived_at": None,
                "created_by_id": owner_id,
                "created_at": at,
                "updated_by_id": owner_id,
                "updated_at": at,
            }
        )


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def write_batch(conn: sa.Connection, batch: Batch, *, contact_audit: bool = True) -> None:
    """Insert one batch with executemany (customers first: the others refer to them)."""
    conn.execute(sa.insert(Customer.__table__), batch.customers)
    if batch.phones:
        conn.execute(sa.insert(CustomerPhone.__table__), batch.phones)
    if batch.tags:
        conn.execute(sa.insert(CustomerTag.__table__), batch.tags)
    audits = batch.audits
    if batch.contacts:
        if contact_audit:
            first = next_id(conn, Contact.__table__)
            conn.execute(sa.insert(Contact.__table__), [{"id": first + k, **c} for k, c in enumerate(batch.contacts)])
            audits = audits + [
                audit.row("contact", first + k, "create", c["owner_id"], c["created_at"])
                for k, c in enumerate(batch.contacts)
            ]
        else:
            conn.execute(sa.insert(Contact.__table__), batch.contacts)
    if audits:
        conn.execute(sa.insert(AuditLog.__table__), audits)


def next_id(conn: sa.Connection, table: sa.Table) -> int:
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))).scalar_one()) + 1


def fix_sequences(conn: sa.Connection) -> None:
    """PostgreSQL: move the id sequences past the ids written explicitly."""
    if conn.dialect.name != "postgresql":
        return
    for table in (Customer.__table__, Contact.__table__):
        conn.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"
            )
        )


def insert_customers(
    conn: sa.Connection,
    factory: CustomerFactory,
    count: int,
    *,
    chunk: int = 20_000,
    commit_each: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Build and write ``count`` customers after the highest id; returns the first new id.

    ``commit_each`` commits after every chunk (the connection must not be inside a
    session's transaction then); otherwise the caller commits.
    """
    first = next_id(conn, Customer.__table__)
    done = 0
    while done < count:
        n = min(chunk, count - done)
        batch = Batch()
        for cid in range(first + done, first + done + n):
            factory.add(batch, cid)
        write_batch(conn, batch)
        done += n
        if commit_each:
            conn.commit()
        if progress:
            progress(done, count)
    fix_sequences(conn)
    if commit_each:
        conn.commit()
    return first


# --------------------------------------------------------------------------------------------
# Users and teams
# --------------------------------------------------------------------------------------------


def ensure_team(session: Session, name: str) -> Team:
    team = session.exec(select(Team).where(Team.name == name)).first()
    return team or users.create_team(session, None, name)


def ensure_user(
    session: Session, username: str, full_name: str, role: str, team: Team, password: str, email: str | None = None
) -> User:
    """The user with this name (created, with its membership of ``team``, when missing)."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        user = users.create_user(
            session,
            None,
            {
                "username": username,
                "full_name": full_name,
                "role": role,
                "password": password,
                "email": email or f"{username}@crm.local",
                "team_id": team.id,
            },
        )
    elif session.get(TeamMember, (team.id, user.id)) is None:
        session.add(TeamMember(team_id=team.id, user_id=user.id))
        session.commit()
    return user


def seed_customers(session: Session, customers: int = 2000) -> list[int]:
    """Demo teams, users (``DEMO_USERS``) and ``customers`` customers, deterministic; returns the
    ids of the users who own them."""
    rng = random.Random(2026)
    teams = {name: ensure_team(session, name) for name in DEMO_TEAMS}
    homes = {TEAM_HN: ("Hà Nội", "north"), TEAM_HCM: ("TP. Hồ Chí Minh", "south")}
    owners = []
    for u in DEMO_USERS:
        user = ensure_user(session, u.username, u.full_name, u.role, teams[u.team], u.password)
        home, region = homes[u.team]
        owners.append(Owner(user.id, 1.0 if u.role == "manager" else 2.0, home, region))
    ctx = SeedContext.load(session, owners)
    factory = CustomerFactory(ctx, rng, customers)
    insert_customers(session.connection(), factory, customers)
    session.commit()
    return [o.user_id for o in owners]
