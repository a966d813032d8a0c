"""Settings shared by the unit and the end-to-end tests.

Imported before any test module, so before ``crm_app.settings`` reads the environment:
the tests must never touch the developer's database (data/crm.db or DATABASE_URL).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# A scratch default database for code that falls back to settings.database_url; the fixtures
# hand every test its own database anyway.
_SCRATCH = tempfile.mkdtemp(prefix="crm-tests-")
atexit.register(shutil.rmtree, _SCRATCH, True)
os.environ["DATABASE_URL"] = f"sqlite:///{_SCRATCH}/default.db"
os.environ.setdefault("CRM_DEMO_DATA", "0")
os.environ["CRM_FILES_DIR"] = f"{_SCRATCH}/files"


def pytest_report_header(config: pytest.Config) -> list[str]:
    url = os.environ.get("TEST_DATABASE_URL", "")
    backend = url.split("://", 1)[0] if url else "sqlite (temp files)"
    return [f"crm: unit test database: {backend}", f"crm: repo root: {ROOT}"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
        return
    skip_pg = pytest.mark.skip(reason="needs TEST_DATABASE_URL=postgresql+psycopg://...")
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(skip_pg)
