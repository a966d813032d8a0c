"""The fields of each list entity: what a column, a sort, a filter or a bulk update may name.

A list spec may only name fields registered here; anything else is refused, so
no user value ever reaches SQL as an identifier. ``entity_def`` merges the admin's
custom fields (named ``cf_<key>``) into the built-in ones at runtime, so every
list, filter, column picker and bulk update sees them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import Session, select

from crm_app.i18n import tr
from crm_app.models import Activity, Campaign, Contact, Customer, CustomerProduct, CustomField, Lead, Opportunity
from crm_app.models.activity import ACTIVITY_STATUSES
from crm_app.models.campaign import CAMPAIGN_KINDS, CAMPAIGN_STATUSES
from crm_app.models.customer import GENDERS, KINDS, STATUSES
from crm_app.models.customer_product import CUSTOMER_PRODUCT_SOURCES, SERVICE_STATUSES
from crm_app.models.lead import LEAD_KINDS, LEAD_STATUSES
from crm_app.services import places

CUSTOM_PREFIX = "cf_"
# The catalog (services.catalogs kind) behind each catalog field.
CATALOG_OF = {"category_id": "category", "source_id": "source", "lost_reason_id": "lost_reason"}
# Operators per field type (services.filters turns them into SQL).
TEXT_OPS = ("contains", "starts_with", "is", "is_not", "empty", "not_empty")
NUMBER_OPS = ("eq", "lt", "gt", "between", "empty", "not_empty")
DATE_OPS = ("eq", "lt", "gt", "between", "last_days", "next_days", "this_week", "this_month", "empty", "not_empty")
SET_OPS = ("any_of", "none_of", "empty", "not_empty")
BOOL_OPS = ("is_true", "is_false")
# What a customer has bought (its customer products): any of some products; none of them ever;
# none of them since a day (services.filters)
PURCHASE_OPS = ("bought", "not_bought", "not_bought_since")
OPERATORS: dict[str, tuple[str, ...]] = {
    "text": TEXT_OPS,
    "number": NUMBER_OPS,
    "money": NUMBER_OPS,
    "date": DATE_OPS,
    "datetime": DATE_OPS,
    "bool": BOOL_OPS,
    "choice": SET_OPS,
    "multichoice": SET_OPS,
    "catalog": SET_OPS,
    "user": SET_OPS,
    "tags": SET_OPS,
    "stage": SET_OPS,
    "pipeline": SET_OPS,
    "product": SET_OPS,
    "purchases": PURCHASE_OPS,
    "customer": ("contains", "starts_with", "is", "empty", "not_empty"),  # tests the customer's name
    "contact": ("empty", "not_empty"),
    "list": ("any_of", "none_of"),
    "activity_type": SET_OPS,
    "phones": TEXT_OPS,
    "ward": ("empty", "not_empty"),
}
# Contact details a salesperson may not export in bulk: a list of phones and e-mails is what walks
# out of a company with a leaving salesperson (they see their own records anyway).
CONTACT_DETAILS = ("sales",)


# Column names a file gives the same field of several entities
HEADERS: dict[str, tuple[str, ...]] = {
    "description": ("Mô tả", "Ghi chú", "Description", "Note", "Notes"),
    "do_not_call": ("Không liên lạc qua ĐT", "Không gọi", "Do not call"),
    "email": ("Email", "E-mail", "Thư điện tử", "Mail"),
    "email_opt_out": ("Từ chối nhận email", "Email opt out", "Opt out"),
    "mobile": ("Di động", "Điện thoại di động", "Mobile", "Cell"),
    "notify_on_change": ("Thông báo khi dữ liệu thay đổi", "Notify on change"),
    "owner_id": ("Nhân viên phụ trách", "Người phụ trách", "Phụ trách", "Owner", "Sales"),
    "province": ("Tỉnh/Thành phố", "Tỉnh thành", "Tỉnh", "Thành phố", "Province", "City"),
    "ward": ("Phường/Xã", "Phường xã", "Phường", "Xã", "Ward", "Commune"),
    "rating": ("Đánh giá", "Xếp hạng", "Rating"),
}


@dataclass(frozen=True)
class FieldDef:
    name: str
    # text, choice, multichoice, date, datetime, number, money, bool, user, catalog, customer, contact,
    # stage, pipeline, tags, list, activity_type (a code of that catalog), phones (every phone, in order),
    # product (a product's id), purchases (what a customer bought: only a filter condition)
    type: str
    sort_column: str | None = None  # the model column that orders it (None: not sortable)
    choices: str | None = None  # message-key prefix for choice labels, e.g. "kind."
    values: tuple[str, ...] = ()  # the allowed values of a choice field
    norm: str | None = None  # filters compare a shadow column: "name", "email" or "phone"
    bulk: bool = False  # may be set by a bulk update
    column: bool = True  # may be shown as a list column
    custom_id: int | None = None  # the CustomField behind a custom field
    label: str = ""  # a custom field's own label (built-in ones are "field.<name>" in the catalog)
    filter: bool = True  # may be a filter condition
    no_export: tuple[str, ...] = ()  # roles that may not export it
    exported_as: str | None = None  # exported through another field (a customer's first phone: every phone)
    label_key: str = ""  # the catalog key of its label when not "field.<name>" (a deal's customer)
    required: bool = False  # a form (and an import) must give it
    widget: str = ""  # how a form edits it when not by its type: "textarea", "stars" (a rating)
    hint_key: str = ""  # the catalog key of the hint under its form control
    headers: tuple[str, ...] = ()  # the column names a file gives it (an import maps them); none: not imported
    places: str = ""  # "province" or "ward": a code of the 2025 catalog (services.places), named by it
    # a condition on other records (what a customer bought), not a value of the record: only filtered
    # on, never shown, exported or imported
    virtual: bool = False

    @property
    def sortable(self) -> bool:
        return self.sort_column is not None

    @property
    def operators(self) -> tuple[str, ...]:
        return OPERATORS[self.type]

    def label_in(self, lang: str) -> str:
        return self.label or tr(self.label_key or f"field.{self.name}", lang)

    def choice_label(self, value: str, lang: str) -> str:
        """How one value of a choice (or ward) field is shown: a province or ward by its name, a
        built-in choice by its catalog label, an admin's option as written."""
        if self.places:
            return places.province_label(value) if self.places == "province" else places.ward_label(value)
        return tr(f"{self.choices}{value}", lang) if value and self.choices else value or ""

    def choice_pairs(self, lang: str) -> list[tuple[str, str]]:
        """(value, label) of every value a choice field allows, in order."""
        if self.places == "province":
            return list(places.PROVINCES)
        return [(v, self.choice_label(v, lang)) for v in self.values]


@dataclass(frozen=True)
class EntityDef:
    name: str
    model: type
    fields: tuple[FieldDef, ...]
    default_columns: tuple[str, ...]
    default_sort: tuple[str, bool]  # (field, descending)

    def field(self, name: str) -> FieldDef | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def custom_fields(self) -> tuple[FieldDef, ...]:
        return tuple(f for f in self.fields if f.custom_id is not None)


# Fields several entities have alike
# A person's given name ("An" of "Nguyễn Văn An"): a list column sorted by given name then the
# rest (record_service.given_columns); exported and imported as the full name.
GIVEN_NAME_FIELD = FieldDef("given_name", "text", "given_norm", filter=False, exported_as="full_name")
EMAIL_FIELD = FieldDef(
    "email",
    "text",
    "email_norm",
    norm="email",
    no_export=CONTACT_DETAILS,
    headers=HEADERS["email"],
)
# Where a person or company is: a province of the 2025 catalog, and one of its wards. A province
# typed before the catalog that none matched stays in old_province, for a user to fix.
PROVINCE_FIELD = FieldDef(
    "province",
    "choice",
    "province",
    values=places.PROVINCE_CODES,
    bulk=True,
    headers=HEADERS["province"],
    places="province",
)
WARD_FIELD = FieldDef("ward", "ward", headers=HEADERS["ward"], places="ward")
OLD_PROVINCE_FIELD = FieldDef("old_province", "text", "old_province")
RATING_FIELD = FieldDef(
    "rating",
    "number",
    "rating",
    bulk=True,
    widget="stars",
    headers=HEADERS["rating"],
)
EMAIL_OPT_OUT_FIELD = FieldDef(
    "email_opt_out",
    "bool",
    bulk=True,
    headers=HEADERS["email_opt_out"],
)
DO_NOT_CALL_FIELD = FieldDef(
    "do_not_call",
    "bool",
    bulk=True,
    headers=HEADERS["do_not_call"],
)
NOTIFY_ON_CHANGE_FIELD = FieldDef(
    "notify_on_change",
    "bool",
    headers=HEADERS["notify_on_change"],
)
DESCRIPTION_FIELD = FieldDef(
    "description",
    "text",
    column=False,
    filter=False,
    widget="textarea",
    headers=HEADERS["description"],
)
MOBILE_FIELD = FieldDef(
    "mobile",
    "text",
    "mobile_norm",
    norm="phone",
    no_export=CONTACT_DETAILS,
    headers=HEADERS["mobile"],
)
OWNER_ID_FIELD = FieldDef(
    "owner_id",
    "user",
    "owner_id",
    required=True,  # a record always has an owner (the form's choice, else whoever creates it)
    headers=HEADERS["owner_id"],
)


CUSTOMER = EntityDef(
    name="customer",
    model=Customer,
    fields=(
        FieldDef(
            "code",
            "text",
            "id",
            headers=(
                "Mã khách hàng",
                "Mã KH",
                "Mã",
                "Code",
                "Customer code",
            ),
        ),
        FieldDef(
            "full_name",
            "text",
            "name_norm",
            norm="name",
            required=True,
            headers=(
                "Họ và tên",
                "Họ tên",
                "Tên",
                "Tên khách hàng",
                "Khách hàng",
                "Tên KH",
                "Tên công ty",
                "Full name",
                "Name",
                "Customer name",
                "Customer",
                "FN",
            ),
        ),
        GIVEN_NAME_FIELD,
        FieldDef(
            "kind",
            "choice",
            "kind",
            choices="kind.",
            values=KINDS,
            bulk=True,
            required=True,
            headers=(
                "Loại khách hàng",
                "Kiểu khách hàng",
                "Loại hình",
                "Kind",
                "Customer type",
                "Type",
            ),
        ),
        FieldDef(
            "status",
            "choice",
            "status",
            choices="status.",
            values=STATUSES,
            bulk=True,
            required=True,
            headers=(
                "Trạng thái",
                "Status",
            ),
        ),
        FieldDef("phone", "text", "phone_norm", norm="phone", exported_as="phones"),
        FieldDef(
            "phones",
            "phones",
            column=False,
            filter=False,
            no_export=CONTACT_DETAILS,
            hint_key="customers.phones_hint",
            headers=(
                "Số điện thoại",
                "Điện thoại",
                "SĐT",
                "ĐT",
                "Số ĐT",
                "Di động",
                "Phone",
                "Phone number",
                "Mobile",
                "Tel",
                "Telephone",
                "Other phones",
                "Điện thoại khác",
            ),
        ),
        EMAIL_FIELD,
        PROVINCE_FIELD,
        WARD_FIELD,
        OLD_PROVINCE_FIELD,
        FieldDef(
            "country",
            "text",
            "country",
            bulk=True,
            headers=(
                "Quốc gia",
                "Country",
            ),
        ),
        FieldDef(
            "address",
            "text",
            headers=(
                "Địa chỉ",
                "Address",
            ),
        ),
        FieldDef(
            "tax_code",
            "text",
            "tax_code",
            no_export=CONTACT_DETAILS,
            headers=(
                "Mã số thuế",
                "MST",
                "Tax code",
                "Tax ID",
                "VAT",
            ),
        ),
        FieldDef(
            "website",
            "text",
            headers=(
                "Website",
                "Trang web",
                "Web",
                "URL",
            ),
        ),
        FieldDef(
            "birthday",
            "date",
            "birthday",
            headers=(
                "Ngày sinh",
                "Sinh nhật",
                "Birthday",
                "Date of birth",
                "DOB",
            ),
        ),
        FieldDef(
            "gender",
            "choice",
            "gender",
            choices="gender.",
            values=GENDERS[1:],
            bulk=True,
            headers=(
                "Giới tính",
                "Gender",
                "Sex",
            ),
        ),
        FieldDef(
            "category_id",
            "catalog",
            "category_id",
            bulk=True,
            headers=(
                "Loại (tệp khách hàng)",
                "Loại",
                "Tệp khách hàng",
                "Phân loại",
                "Nhóm khách hàng",
                "Category (segment)",
                "Category",
                "Segment",
            ),
        ),
        FieldDef(
            "source_id",
            "catalog",
            "source_id",
            bulk=True,
            headers=(
                "Nguồn",
                "Nguồn gốc",
                "Nguồn khách hàng",
                "Source",
            ),
        ),
        FieldDef(
            "owner_id",
            "user",
            "owner_id",
            required=True,  # a record always has an owner (the form's choice, else whoever creates it)
            headers=(
                "Nhân viên phụ trách",
                "Người phụ trách",
                "Phụ trách",
                "Supportby",
                "Owner",
                "Sales",
            ),
        ),
        FieldDef(
            "assigned_to_id",
            "customer",
            headers=(
                "Công ty",
                "Tổ chức",
                "Gán cho",
                "Company",
                "Assigned to",
                "Organisation",
                "Organization",
                "Account",
            ),
        ),
        FieldDef(
            "tags",
            "tags",
            bulk=True,
            hint_key="customers.tags_hint",
            headers=(
                "Thẻ",
                "Nhãn",
                "Tags",
                "Tag",
            ),
        ),
        FieldDef("lists", "list", column=False),
        RATING_FIELD,
        EMAIL_OPT_OUT_FIELD,
        DO_NOT_CALL_FIELD,
        NOTIFY_ON_CHANGE_FIELD,
        FieldDef("last_purchase_at", "date", "last_purchase_at"),
        FieldDef("bought_products", "purchases", column=False, virtual=True),
        DESCRIPTION_FIELD,
        FieldDef("created_at", "datetime", "created_at"),
        FieldDef("updated_at", "datetime", "updated_at"),
    ),
    default_columns=("code", "full_name", "kind", "status", "phone", "email", "province", "owner_id", "updated_at"),
    default_sort=("code", True),
)

CONTACT = EntityDef(
    name="contact",
    model=Contact,
    fields=(
        FieldDef(
            "full_name",
            "text",
            "name_norm",
            norm="name",
            required=True,
            headers=(
                "Họ và tên",
                "Họ tên",
                "Tên",
                "Tên người liên hệ",
                "Người liên hệ",
                "Full name",
                "Name",
                "Contact name",
                "Contact",
                "FN",
            ),
        ),
        GIVEN_NAME_FIELD,
        FieldDef(
            "customer_id",
            "customer",
            headers=(
                "Công ty",
                "Khách hàng",
                "Tổ chức",
                "Company",
                "Organisation",
                "Organization",
                "Account",
            ),
        ),
        FieldDef(
            "title",
            "text",
            "title",
            bulk=True,
            headers=(
                "Chức danh",
                "Chức vụ",
                "Vai trò",
                "Title",
                "Job title",
                "Role",
            ),
        ),
        EMAIL_FIELD,
        FieldDef(
            "phone",
            "text",
            "phone_norm",
            norm="phone",
            no_export=CONTACT_DETAILS,
            headers=(
                "Điện thoại",
                "Số điện thoại",
                "SĐT",
                "ĐT",
                "Phone",
                "Tel",
                "Telephone",
                "Work phone",
            ),
        ),
        MOBILE_FIELD,
        PROVINCE_FIELD,
        WARD_FIELD,
        OWNER_ID_FIELD,
        FieldDef("reports_to_id", "contact"),
        RATING_FIELD,
        EMAIL_OPT_OUT_FIELD,
        DO_NOT_CALL_FIELD,
        FieldDef(
            "reference_only",
            "bool",
            headers=(
                "Chỉ tham khảo",
                "Reference only",
            ),
        ),
        NOTIFY_ON_CHANGE_FIELD,
        FieldDef("portal_access", "bool", bulk=True),
        FieldDef("support_start", "date", "support_start"),
        FieldDef("support_end", "date", "support_end"),
        DESCRIPTION_FIELD,
        FieldDef("created_at", "datetime", "created_at"),
        FieldDef("updated_at", "datetime", "updated_at"),
        FieldDef("lists", "list", column=False),
    ),
    default_columns=("full_name", "customer_id", "title", "phone", "mobile", "email", "owner_id", "updated_at"),
    default_sort=("full_name", False),
)

LEAD = EntityDef(
    name="lead",
    model=Lead,
    fields=(
        FieldDef(
            "full_name",
            "text",
            "name_norm",
            norm="name",
            required=True,
            headers=(
                "Họ và tên",
                "Họ tên",
                "Tên",
                "Tên tiềm năng",
                "Tên đầu mối",
                "Tiềm năng",
                "Đầu mối",
                "Người liên hệ",
                "Full name",
                "Name",
                "Lead name",
                "Lead",
                "Contact name",
                "FN",
            ),
        ),
        GIVEN_NAME_FIELD,
        FieldDef(
            "kind",
            "choice",
            "kind",
            choices="lead_kind.",
            values=LEAD_KINDS,
            required=True,
            headers=(
                "Loại tiềm năng",
                "Loại hình",
                "Loại",
                "Kind",
                "Lead type",
                "Type",
            ),
        ),
        FieldDef(
            "company",
            "text",
            "company",
            headers=(
                "Công ty",
                "Tên công ty",
                "Tổ chức",
                "Doanh nghiệp",
                "Đơn vị",
                "Company",
                "Company name",
                "Organisation",
                "Organization",
                "Account",
            ),
        ),
        FieldDef(
            "title",
            "text",
            "title",
            headers=(
                "Chức danh",
                "Chức vụ",
                "Title",
                "Job title",
                "Position",
            ),
        ),
        FieldDef(
            "phone",
            "text",
            "phone_norm",
            norm="phone",
            no_export=CONTACT_DETAILS,
            headers=(
                "Điện thoại",
                "Số điện thoại",
                "SĐT",
                "ĐT",
                "Số ĐT",
                "Phone",
                "Phone number",
                "Tel",
                "Telephone",
                "Work phone",
            ),
        ),
        MOBILE_FIELD,
        EMAIL_FIELD,
        PROVINCE_FIELD,
        WARD_FIELD,
        OLD_PROVINCE_FIELD,
        FieldDef(
            "source_id",
            "catalog",
            "source_id",
            headers=(
                "Nguồn",
                "Nguồn gốc",
                "Nguồn tiềm năng",
                "Source",
                "Lead source",
            ),
        ),
        FieldDef(
            "status",
            "choice",
            "status",
            choices="lead_status.",
            values=LEAD_STATUSES,
            required=True,
            headers=(
                "Trạng thái",
                "Tình trạng",
                "Status",
                "Lead status",
            ),
        ),
        FieldDef(
            "rating",
            "number",
            "rating",
            widget="stars",
            headers=HEADERS["rating"],
        ),
        FieldDef(
            "value",
            "money",
            "value",
            headers=(
                "Giá trị",
                "Giá trị dự kiến",
                "Doanh số dự kiến",
                "Value",
                "Expected value",
                "Amount",
                "Deal size",
            ),
        ),
        OWNER_ID_FIELD,
        FieldDef("converted_customer_id", "customer"),
        FieldDef("converted_at", "datetime", "converted_at"),
        DESCRIPTION_FIELD,
        FieldDef("created_at", "datetime", "created_at"),
        FieldDef("updated_at", "datetime", "updated_at"),
    ),
    default_columns=("full_name", "company", "phone", "source_id", "status", "value", "owner_id"),
    default_sort=("created_at", True),
)

OPPORTUNITY = EntityDef(
    name="opportunity",
    model=Opportunity,
    fields=(
        FieldDef("name", "text", "name_norm", norm="name", required=True),
        FieldDef("customer_id", "customer", label_key="field.customer"),
        FieldDef("contact_id", "contact"),
        FieldDef("value", "money", "value"),
        FieldDef("probability", "number", "probability"),
        FieldDef("expected_close", "date", "expected_close"),
        FieldDef("pipeline_id", "pipeline", "pipeline_id"),
        FieldDef("stage_id", "stage", "stage_id"),
        FieldDef("lost_reason_id", "catalog", "lost_reason_id"),
        FieldDef("owner_id", "user", "owner_id", required=True),
        FieldDef("closed_at", "datetime", "closed_at"),
        FieldDef("description", "text", column=False, filter=False, widget="textarea"),
        FieldDef("created_at", "datetime", "created_at"),
        FieldDef("updated_at", "datetime", "updated_at"),
    ),
    default_columns=(
        "name",
        "customer_id",
        "value",
        "probability",
        "expected_close",
        "stage_id",
        "owner_id",
        "updated_at",
    ),
    default_sort=("updated_at", True),
)

ACTIVITY = EntityDef(
    name="activity",
    model=Activity,
    fields=(
        FieldDef("at", "datetime", "at"),
        FieldDef("type_code", "activity_type"),
        FieldDef("subject", "text", "name_norm", norm="name"),
        FieldDef("customer_id", "customer", label_key="field.customer"),
        FieldDef("status", "choice", choices="act.status.", values=ACTIVITY_STATUSES),
        FieldDef("due_at", "datetime", "due_at"),
        FieldDef("assignee_id", "user"),
        FieldDef("created_by_id", "user"),
        FieldDef("owner_id", "user"),
        FieldDef("content", "text"),
        FieldDef("updated_at", "datetime"),
        FieldDef("lists", "list", column=False),
    ),
    default_columns=("at", "type_code", "subject", "customer_id", "status", "due_at", "assignee_id"),
    default_sort=("at", True),
)

# What customers bought (rows derived from orders) or use (services entered by hand)
CUSTOMER_PRODUCT = EntityDef(
    name="customer_product",
    model=CustomerProduct,
    fields=(
        FieldDef("customer_id", "customer", label_key="field.customer"),
        FieldDef("product_id", "product", "name_norm"),
        FieldDef("source", "choice", "source", choices="cp.source.", values=CUSTOMER_PRODUCT_SOURCES),
        FieldDef("quantity", "number", "quantity"),
        FieldDef("total", "money", "total"),
        FieldDef("first_purchase", "date", "first_purchase"),
        FieldDef("last_purchase", "date", "last_purchase"),
        FieldDef("start_date", "date", "start_date"),
        FieldDef("end_date", "date", "end_date"),
        FieldDef("status", "choice", "status", choices="cp.status.", values=SERVICE_STATUSES, label_key="cp.status"),
        FieldDef("note", "text"),
        FieldDef("owner_id", "user", "owner_id"),
        FieldDef("updated_at", "datetime", "updated_at"),
    ),
    default_columns=(
        "customer_id",
        "product_id",
        "source",
        "quantity",
        "total",
        "first_purchase",
        "last_purchase",
        "status",
        "end_date",
    ),
    default_sort=("updated_at", True),
)

# Campaigns (Chiến dịch): their members are kept by services.campaigns
CAMPAIGN = EntityDef(
    name="campaign",
    model=Campaign,
    fields=(
        FieldDef("name", "text", "name_norm", norm="name", required=True, label_key="campaign.name"),
        FieldDef("kind", "choice", "kind", choices="campaign.kind.", values=CAMPAIGN_KINDS, label_key="campaign.kind"),
        FieldDef(
            "status",
            "choice",
            "status",
            choices="campaign.status.",
            values=CAMPAIGN_STATUSES,
            label_key="campaign.status",
        ),
        FieldDef("start_date", "date", "start_date"),
        FieldDef("end_date", "date", "end_date"),
        FieldDef("budget", "money", "budget"),
        FieldDef("owner_id", "user", "owner_id", required=True),
        FieldDef("member_count", "number", "member_count"),
        DESCRIPTION_FIELD,
        FieldDef("created_at", "datetime", "created_at"),
        FieldDef("updated_at", "datetime", "updated_at"),
    ),
    default_columns=("name", "kind", "status", "start_date", "end_date", "budget", "member_count", "owner_id"),
    default_sort=("updated_at", True),
)

ENTITIES: dict[str, EntityDef] = {
    e.name: e for e in (CUSTOMER, CONTACT, LEAD, OPPORTUNITY, ACTIVITY, CUSTOMER_PRODUCT, CAMPAIGN)
}


def custom_field_def(field: CustomField) -> FieldDef:
    return FieldDef(
        name=f"{CUSTOM_PREFIX}{field.key}",
        type=field.type,
        values=tuple(field.options),
        bulk=True,
        custom_id=field.id,
        label=field.label,
    )


def entity_def(session: Session, name: str) -> EntityDef | None:
    """The entity with its active custom fields (None: no such entity)."""
    base = ENTITIES.get(name)
    if base is None:
        return None
    customs = session.exec(
        select(CustomField)
        .where(CustomField.entity == name, CustomField.active)
        .order_by(CustomField.position, CustomField.id)
    ).all()
    if not customs:
        return base
    return replace(base, fields=base.fields + tuple(custom_field_def(f) for f in customs))
