"""Back the database up, list the backups, or restore one.

    python -m crm_app.tools.backup              # a backup now, into CRM_BACKUP_DIR (data/backups)
    python -m crm_app.tools.backup --list       # the backups kept, newest first
    python -m crm_app.tools.backup --restore latest|FILE

The app makes one by itself every CRM_BACKUP_HOURS (24) and keeps the last CRM_BACKUP_KEEP (7).
Restoring SQLite replaces the database file: stop the app first (``scripts/run.sh``), restore,
start it again. The database it replaces is kept beside it (``crm.db.before-restore-<time>``).
On PostgreSQL (DATABASE_URL) backups are ``pg_dump`` files and a restore is ``pg_restore
--clean`` into the same database.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crm_app.services import backup
from crm_app.services.errors import ServiceError
from crm_app.services.formatting import fmt_size
from crm_app.settings import settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true", help="list the backups kept")
    parser.add_argument("--restore", metavar="FILE", help='a backup file, or "latest"')
    parser.add_argument("--database-url", default=settings.database_url, help="default: DATABASE_URL")
    parser.add_argument("--folder", type=Path, default=settings.backup_dir, help="default: CRM_BACKUP_DIR")
    args = parser.parse_args(argv)
    try:
        if args.list:
            for b in backup.backups(args.folder):
                print(f"{b.at:%Y-%m-%d %H:%M:%S} UTC  {fmt_size(b.size):>10}  {b.path}")
            return 0
        if args.restore:
            kept = backup.backups(args.folder)
            path = kept[0].path if args.restore == "latest" and kept else Path(args.restore)
            before = backup.restore(path, args.database_url)
            print(f"restored {path}" + (f"; the database it replaced is kept as {before}" if before else ""))
            return 0
        made = backup.backup_now(args.database_url, args.folder)
        if made is None:
            print("another process is making a backup now", file=sys.stderr)
            return 1
        print(f"{made.path} ({fmt_size(made.size)})")
        return 0
    except ServiceError as exc:
        print(f"{exc.key}: {exc.params}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
