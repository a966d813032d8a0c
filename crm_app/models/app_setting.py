"""Company-wide settings the admin changes on a page (one row per setting, its value as text)."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from crm_app.models._base import utcnow

# records shared with the team: off (each sales user their own), read-only, or editable
TEAM_SHARING = "team_sharing"
TEAM_SHARING_MODES = ("off", "read", "edit")


class AppSetting(SQLModel, table=True):
    __tablename__ = "app_setting"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    value: str = Field(default="", max_length=200)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)
