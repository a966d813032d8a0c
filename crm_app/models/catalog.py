"""Admin-edited catalogs (customer kinds, categories, sources) and tags."""

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

CATALOG_KINDS = ("customer_kind", "category", "source", "activity_type", "lost_reason")


class CatalogItem(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("kind", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32, index=True)
    code: str = Field(max_length=40)
    label_vi: str = Field(max_length=120)
    label_en: str = Field(max_length=120)
    position: int = 0
    active: bool = True


class Tag(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=60)
    name_norm: str = Field(max_length=60, unique=True)
