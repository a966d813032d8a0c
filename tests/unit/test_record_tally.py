"""PostgreSQL counts a whole list from the tally its triggers keep: the tally follows every kind
of write (forms, owner and archive changes one by one and in bulk, imports and their undo,
merges, deletion), and a list's count read from it is the count of its rows, for an admin and a
salesperson. SQLite counts its tables' pages and keeps no tally."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from crm_app.db import alembic_config, make_engine
from crm_app.models import Contact, Customer, Lead, RecordTally
from crm_app.services.customer import customers, deletion, merge
from crm_app.services.lists import bulk, query
from crm_app.services.lists.bulk import Action, Selection
from crm_app.services.lists.query import ListSpec
from crm_app.services.pipeline import leads
from crm_app.services.transfer import importer
from crm_app.services.transfer.importer import ImportOptions
from tests.unit.factories import insert_bare_customer, make_contact, make_customer, make_org
from tests.unit.test_importer import mapping, table


@pytest.fixture
def org(session):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite counts a table from its pages")
    return make_org(session)


def _tally(session) -> dict[tuple, int]:
    rows = session.execute(sa.select(RecordTally.table_name, RecordTally.owner_id, RecordTally.archived, RecordTally.n))
    return {(t, o, a): n for t, o, a, n in rows if n}


def _counted(session) -> dict[tuple, int]:
    """The tally as counting the records gives it."""
    found: dict[tuple, int] = {}
    for model in (Customer, Contact, Lead):
        rows = session.execute(
            sa.select(model.owner_id, model.archived, sa.func.count()).group_by(model.owner_id, model.archived)
        )
        for owner, archived, n in rows:
            key = (model.__tablename__, owner or 0, archived)
            found[key] = found.get(key, 0) + n
    return found


def _lists_agree(session, *actors) -> None:
    for actor in actors:
        for entity, model in (("customer", Customer), ("contact", Contact), ("lead", Lead)):
            for archived in (False, True):
                spec = ListSpec(entity=entity, archived=archived)
                rows = sa.select(sa.func.count()).select_from(model).where(*query.where_clauses(actor, spec))
                assert query.count_upto(session, actor, spec) == (session.execute(rows).scalar_one(), False)


def test_the_tally_follows_every_write_and_counts_the_lists(session, org):
    a = make_customer(session, org.sales_a, "Nguyễn Văn An")
    b = make_customer(session, org.sales_a, "Trần Thị Bình")
    make_customer(session, org.other_sales, "Lê Văn Cường")
    make_contact(session, org.sales_a, "Đỗ Thị Hà")
    leads.create(session, org.sales_a, {"full_name": "Phạm Văn Lợi"})
    session.commit()
    assert _tally(session) == _counted(session)
    _lists_agree(session, org.admin, org.sales_a, org.manager)

    customers.update(session, org.sales_a, a.id, {"full_name": "Nguyễn Văn An Mới"})  # no move: no write
    customers.set_archived(session, org.sales_a, b.id, True)
    session.commit()
    bulk.run(session, org.manager, "customer", Selection(ids=[a.id]), Action(kind="change_owner", value=org.sales_b.id))
    session.commit()
    assert _tally(session) == _counted(session)

    t = table(["Hoàng Văn Nhập", "0905000201"], ["Vũ Thị Nhập", "0905000202"])
    run = importer.run(session, org.sales_a, "customer", t, mapping(t), ImportOptions(duplicate_check=False), "t.csv")
    assert _tally(session) == _counted(session)
    _lists_agree(session, org.admin, org.sales_a)
    importer.undo(session, org.sales_a, run.id)
    session.commit()
    assert _tally(session) == _counted(session)

    c = make_customer(session, org.sales_a, "Công ty Tally", kind="business")
    d = make_customer(session, org.sales_a, "Công ty Tally (cũ)", kind="business")
    merge.merge(session, org.manager, [c.id, d.id], d.id, {})
    session.commit()
    customers.set_archived(session, org.sales_a, d.id, True)
    session.commit()
    deletion.delete_for_good(session, org.admin, d.id)
    assert _tally(session) == _counted(session)
    _lists_agree(session, org.admin, org.sales_a, org.manager)


def test_the_migration_counts_the_stored_records(blank_db_url):
    if not blank_db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite keeps no tally")
    cfg = alembic_config(blank_db_url)
    command.upgrade(cfg, "e4f6a8b0c2d4")
    engine = make_engine(blank_db_url)
    with engine.begin() as conn:
        insert_bare_customer(conn, 1, archived=True)
    command.upgrade(cfg, "f5a7c9e1b3d6")
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE customer SET archived = false"))
        rows = conn.execute(sa.text("SELECT table_name, owner_id, archived, n FROM record_tally WHERE n <> 0")).all()
    assert [tuple(r) for r in rows] == [("customer", 0, False, 1)]
    command.downgrade(cfg, "e4f6a8b0c2d4")
    engine.dispose()
