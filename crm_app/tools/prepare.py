"""Prepare the database before the server starts: migrate, catalogs, admin, demo data.

`scripts/run.sh` runs this once before `reflex run`, so that several backend workers
never race to migrate; the app's own start-up task repeats it harmlessly.
"""

from crm_app.setup.bootstrap import start

if __name__ == "__main__":
    start()
