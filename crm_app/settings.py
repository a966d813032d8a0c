"""Every setting of the app, read once from the environment, with defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=lambda: _env("DATABASE_URL") or f"sqlite:///{ROOT / 'data' / 'crm.db'}")
    redis_url: str = field(default_factory=lambda: _env("REFLEX_REDIS_URL"))
    port: int = field(default_factory=lambda: int(_env("PORT", "3000")))
    backend_port: int = field(default_factory=lambda: int(_env("BACKEND_PORT", _env("PORT", "3000"))))
    # Demo data is written on the first start of an empty database.
    seed_demo: bool = field(default_factory=lambda: _env("CRM_DEMO_DATA", "1") == "1")
    demo_customers: int = field(default_factory=lambda: int(_env("CRM_DEMO_CUSTOMERS", "2000")))
    admin_password: str = field(default_factory=lambda: _env("CRM_ADMIN_PASSWORD"))
    session_hours: int = field(default_factory=lambda: int(_env("CRM_SESSION_HOURS", "12")))
    max_failed_logins: int = field(default_factory=lambda: int(_env("CRM_MAX_FAILED_LOGINS", "5")))
    lockout_minutes: int = field(default_factory=lambda: int(_env("CRM_LOCKOUT_MINUTES", "15")))
    default_language: str = field(default_factory=lambda: _env("CRM_LANGUAGE", "vi"))
    # Files attached to records: stored here (outside assets/ and /_upload), served only through
    # the checked download route.
    files_dir: Path = field(default_factory=lambda: Path(_env("CRM_FILES_DIR") or ROOT / "data" / "files"))
    # Online backups of the database (services.backup): where, how many kept, how often (0: never).
    backup_dir: Path = field(default_factory=lambda: Path(_env("CRM_BACKUP_DIR") or ROOT / "data" / "backups"))
    backup_keep: int = field(default_factory=lambda: int(_env("CRM_BACKUP_KEEP", "7")))
    backup_hours: float = field(default_factory=lambda: float(_env("CRM_BACKUP_HOURS", "24")))
    max_upload_mb: int = field(default_factory=lambda: int(_env("CRM_MAX_UPLOAD_MB", "10")))
    # Outgoing mail. Without a host, messages wait in the outbox.
    smtp_host: str = field(default_factory=lambda: _env("CRM_SMTP_HOST"))
    smtp_port: int = field(default_factory=lambda: int(_env("CRM_SMTP_PORT", "587")))
    smtp_user: str = field(default_factory=lambda: _env("CRM_SMTP_USER"))
    smtp_password: str = field(default_factory=lambda: os.environ.get("CRM_SMTP_PASSWORD", ""))
    smtp_tls: str = field(default_factory=lambda: _env("CRM_SMTP_TLS", "starttls").lower())  # starttls / ssl / none
    smtp_from: str = field(default_factory=lambda: _env("CRM_SMTP_FROM", "crm@localhost"))

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def smtp_configured(self) -> bool:
        return bool(self.smtp_host)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


settings = Settings()
