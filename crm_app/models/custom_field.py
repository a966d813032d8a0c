"""Admin-defined custom fields and their values.

Values live in one typed table, a row per (field, record, value) — a multi-choice
field has a row per chosen option. Each value kind has an index led by the field,
so a filter on a custom field is an index range (or, while a list walks its sort
index, one index lookup per row): it stays fast at a million records.
"""

from datetime import date

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

CUSTOM_FIELD_TYPES = ("text", "number", "date", "choice", "multichoice", "bool")
CUSTOM_FIELD_ENTITIES = ("customer", "contact")


class CustomField(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("entity", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(max_length=32, index=True)
    key: str = Field(max_length=40)  # the field's name in specs is "cf_<key>"
    label: str = Field(max_length=80)
    type: str = Field(max_length=16)
    options: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    position: int = 0
    active: bool = True


class CustomFieldValue(SQLModel, table=True):
    __table_args__ = (
        Index("ix_cfvalue_record", "field_id", "record_id"),
        Index("ix_cfvalue_text", "field_id", "text_value", "record_id"),
        Index("ix_cfvalue_number", "field_id", "number_value", "record_id"),
        Index("ix_cfvalue_date", "field_id", "date_value", "record_id"),
        Index("ix_cfvalue_of_record", "record_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    field_id: int = Field(foreign_key="customfield.id", ondelete="CASCADE")
    record_id: int
    text_value: str | None = Field(default=None, max_length=500)
    number_value: float | None = None
    date_value: date | None = None
