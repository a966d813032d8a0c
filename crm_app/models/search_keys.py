"""Search keys of customers and contacts, kept by database triggers.

Names. For every record there is one key per word start of its ``name_norm``:
"nguyen van an" gives "nguyen van an" (is_first), "van an" and "an". Text that
starts at a word is then an index range (term >= 'nguyen va' AND
term < 'nguyen vb') instead of a substring scan of the whole table.
``name_word`` holds every distinct word of those names (a few thousand), so that
text starting inside a word is a few ranges too: "uyen van a" occurs in a name
exactly when a key starts with "<a word ending in 'uyen'> van a", and "uyen"
when a key starts with a word containing "uyen" (services.query). Words are only
ever added: one no longer used matches no key. Each key also holds the words before its
own (``head``: " nguyen van" for "an"), so that the keys of one typed word tell which
names hold the other typed words anywhere: "tran nguyen" in any order is one key range
("tran"), each key tested, without reading a name.

Visibility. Keys and customer phones carry copies of their record's owner_id
and archived (a customer's keys also whether it is an organisation, ``org``:
the "assigned to" picker reads their own small range), so that a search is limited to the rows an actor sees (and
counted) from the index alone: ``customerphone`` has both columns for that.
is_first leads the name keys so that the names not starting with the text are
one range too; a search for any key names both values (is_first IN (false,
true)) to keep to the index.

Every key also carries its whole name's ``word_mask``: one bit per word start (see
``word_bit``). The keys of one typed word are tested for the others by an integer AND first,
and only the few keys left by their text: at 1,000,000 names the keys of "tran" are 109,285,
of which about one in fourteen has the bit of "nguyen".

The triggers (SQLite and PostgreSQL) are created by the migration that added
these tables and, for schemas made with ``SQLModel.metadata.create_all``, by the
``after_create`` hook below. Nothing in Python writes keys. On SQLite, a batch
migration that recreates customer, contact or customerphone drops their
triggers: such a migration must run ``trigger_ddl`` (and ``backfill_sql``) again.
"""

from __future__ import annotations

import functools

import sqlalchemy as sa
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

# PostgreSQL compares the keys byte-wise ("C"), so that a prefix is a plain range.
_TERM = sa.String(200).with_variant(sa.String(200, collation="C"), "postgresql")

# A word's bit is of its first MASK_CHARS characters: (38 a + 35 b + c) mod 63 of their
# codes, the same in Python, SQLite (unicode) and PostgreSQL (ascii: a code point in UTF-8).
# These multipliers give the commonest word starts of Vietnamese names (nguyen, thi, van, pham,
# cong, tran...) a bit each. Shorter words set no bit, and a shorter typed word tests none.
MASK_CHARS = 3
_MASK_FACTORS = (38, 35, 1)


def word_bit(word: str) -> int:
    """The bit of a word of MASK_CHARS characters or more (0 for a shorter one)."""
    if len(word) < MASK_CHARS:
        return 0
    return 1 << (sum(ord(ch) * f for ch, f in zip(word, _MASK_FACTORS, strict=False)) % 63)


def word_mask(name_norm: str) -> int:
    """The bits of every word of a name, as its keys carry them."""
    mask = 0
    for word in name_norm.split(" "):
        mask |= word_bit(word)
    return mask


def _mask_sql(word: str, code: str, one: str) -> str:
    """The bit of ``word`` (SQL), its characters' codes taken by ``code`` (unicode / ascii),
    shifting ``one`` (a 64-bit 1)."""
    parts = " + ".join(f"{code}(substr({word}, {i + 1}, 1)) * {f}" for i, f in enumerate(_MASK_FACTORS))
    return f"({one} << (({parts}) % 63))"


# The commonest word starts of Vietnamese names (family names Nguyễn, Trần, Phạm; middle names
# Thị, Văn, Thanh, Thu, Minh): at 1,000,000 customers, 5 to 32 % of the names each. PostgreSQL
# orders a key's word by which of their bits its name holds (_pg_common_index).
COMMON_WORDS = ("nguyen", "thi", "van", "tran", "pham", "thanh", "thu", "minh")


@functools.cache
def common_mask() -> int:
    """The bits of COMMON_WORDS (distinct: one each)."""
    return word_mask(" ".join(COMMON_WORDS))


def _pg_range_index(table: str, record_id: str) -> Index:
    """PostgreSQL only: the keys of every owner as ranges (archived, is_first, term) that hold
    the record's id and owner, so that a search over every record (an admin's) reads the keys
    from the index alone. SQLite has this from its primary key, whose rows hold every column;
    a PostgreSQL index holds only its own columns, and PostgreSQL cannot skip the owner that
    leads the other index. models.dialect_indexes compares it on PostgreSQL only."""
    return Index(
        f"ix_{table}_arch",
        "archived",
        "is_first",
        "term",
        postgresql_include=[record_id, "owner_id", "head", "word_mask"],
    ).ddl_if(dialect="postgresql")


def _pg_common_index(table: str, record_id: str) -> Index:
    """PostgreSQL only: the keys of every owner by their own word, then by the bits of
    COMMON_WORDS their name holds, so that the keys of one typed word whose name holds a
    common word ("tran" in "nguyen tran") are a few ranges (services.lists.query: 4,403 of the
    109,285 keys of "tran" in 1.4 ms, where testing each took 12.5). SQLite tests a key in
    two-thirds of PostgreSQL's time, and without the index the import writes less."""
    return Index(
        f"ix_{table}_common",
        "archived",
        sa.text("split_part(term, ' ', 1)"),
        sa.text(f"(word_mask & {common_mask()})"),
        postgresql_include=[record_id, "owner_id", "is_first", "term", "head", "word_mask"],
    ).ddl_if(dialect="postgresql")


class CustomerNameKey(SQLModel, table=True):
    __tablename__ = "customer_name_key"
    __table_args__ = (
        # (PostgreSQL: with the record's id, read from the index alone; SQLite's hold the primary key)
        Index(
            "ix_customer_name_key_owner",
            "owner_id",
            "archived",
            "is_first",
            "term",
            "head",
            "word_mask",
            postgresql_include=["customer_id"],
        ),
        Index("ix_customer_name_key_customer", "customer_id"),  # removing a customer removes its keys
        _pg_range_index("customer_name_key", "customer_id"),
        _pg_common_index("customer_name_key", "customer_id"),
        # the keys of organisations (every kind but individual) alone: the "assigned to" picker
        # (the text of the WHERE is that of a query's test on SQLite, which matches them as text;
        # is_first is not in it: a query on SQLite names it unindexed, so that the primary key
        # cannot serve instead)
        Index(
            "ix_customer_name_key_org",
            "archived",
            "term",
            "head",
            "word_mask",
            sqlite_where=sa.text("org = 1"),
            postgresql_where=sa.text("org"),
            postgresql_include=["is_first", "customer_id", "owner_id"],
        ),
        # and those of given owners: a salesperson's or a team's picker (their owner index would
        # visit every key of the range for the org flag)
        Index(
            "ix_customer_name_key_org_owner",
            "owner_id",
            "archived",
            "term",
            "head",
            "word_mask",
            sqlite_where=sa.text("org = 1"),
            postgresql_where=sa.text("org"),
            postgresql_include=["is_first", "customer_id"],
        ),
        {"sqlite_with_rowid": False},
    )

    is_first: bool = Field(default=False, primary_key=True)  # the key is the whole name
    term: str = Field(sa_column=sa.Column("term", _TERM, primary_key=True))
    customer_id: int = Field(foreign_key="customer.id", primary_key=True, ondelete="CASCADE")
    owner_id: int | None = None
    archived: bool = False
    head: str = Field(default="", max_length=200)  # the words before the key's, each after a space
    word_mask: int = Field(default=0, sa_type=sa.BigInteger)  # a bit per word start of the name
    org: bool = False  # a copy of the customer's kind: not an individual


class ContactNameKey(SQLModel, table=True):
    __tablename__ = "contact_name_key"
    __table_args__ = (
        # (PostgreSQL: with the record's id, read from the index alone; SQLite's hold the primary key)
        Index(
            "ix_contact_name_key_owner",
            "owner_id",
            "archived",
            "is_first",
            "term",
            "head",
            "word_mask",
            postgresql_include=["contact_id"],
        ),
        Index("ix_contact_name_key_contact", "contact_id"),
        _pg_range_index("contact_name_key", "contact_id"),
        _pg_common_index("contact_name_key", "contact_id"),
        {"sqlite_with_rowid": False},
    )

    is_first: bool = Field(default=False, primary_key=True)  # the key is the whole name
    term: str = Field(sa_column=sa.Column("term", _TERM, primary_key=True))
    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    owner_id: int | None = None
    archived: bool = False
    head: str = Field(default="", max_length=200)  # the words before the key's, each after a space
    word_mask: int = Field(default=0, sa_type=sa.BigInteger)  # a bit per word start of the name


class NameWord(SQLModel, table=True):
    __tablename__ = "name_word"
    __table_args__ = ({"sqlite_with_rowid": False},)

    word: str = Field(sa_column=sa.Column("word", _TERM, primary_key=True))


# (record table, key table, key column referring to the record)
KEYED_TABLES: tuple[tuple[str, str, str], ...] = (
    ("customer", "customer_name_key", "customer_id"),
    ("contact", "contact_name_key", "contact_id"),
)
# The key tables with an "org" copy: the record's test of being an organisation.
ORG_TEST = {"customer_name_key": "kind <> 'individual'"}


def _org(keys: str, row: str) -> tuple[str, str]:
    """(", org", ", <row's test>") for a key table with an org copy, else two empty strings."""
    test = ORG_TEST.get(keys)
    return (", org", f", {row}.{test}") if test else ("", "")


# --- SQLite ----------------------------------------------------------------------------------


def _sqlite_words(row: str) -> str:
    """The words of ``row``.name_norm as rows of json_each (key: position, value: word):
    json_quote escapes the name and its spaces become '","', which makes a JSON array."""
    return f"json_each('[' || replace(json_quote({row}.name_norm), ' ', '\",\"') || ']')"


def _sqlite_keys_select(keys: str, row: str, from_row: str) -> str:
    """SELECT of the keys of ``row`` (NEW in a trigger, a table alias in a backfill): the key
    of word k is the name from the offset of that word, the sum of the lengths of the words
    before it plus one space each."""
    words = _sqlite_words(row)
    offset = f"coalesce((SELECT sum(length(q.value) + 1) FROM {words} q WHERE q.key < p.key), 0)"
    head = f"CASE WHEN p.key = 0 THEN '' ELSE ' ' || substr({row}.name_norm, 1, {offset} - 1) END"
    mask = (
        f"(SELECT coalesce(sum(DISTINCT {_mask_sql('m.value', 'unicode', '1')}), 0) FROM {words} m "
        f"WHERE length(m.value) >= {MASK_CHARS})"
    )
    return (
        f"SELECT substr({row}.name_norm, {offset} + 1), {row}.id, {row}.owner_id, {row}.archived, p.key = 0, "
        f"{head}, {mask}{_org(keys, row)[1]} FROM {from_row}{words} p WHERE {row}.name_norm <> ''"
    )


def _sqlite_words_insert(row: str, from_row: str) -> str:
    return (
        f"INSERT OR IGNORE INTO name_word (word) SELECT DISTINCT p.value FROM {from_row}{_sqlite_words(row)} p "
        f"WHERE p.value <> ''"
    )


_SQLITE_PHONE_OWNER = "(SELECT owner_id FROM customer WHERE id = NEW.customer_id)"
_SQLITE_PHONE_ARCHIVED = "(SELECT archived FROM customer WHERE id = NEW.customer_id)"


def _sqlite_triggers() -> list[str]:
    stmts = []
    for table, keys, fk in KEYED_TABLES:
        org_col, org_new = _org(keys, "NEW")
        insert = (
            f"INSERT INTO {keys} (term, {fk}, owner_id, archived, is_first, head, word_mask{org_col}) "
            f"{_sqlite_keys_select(keys, 'NEW', '')}; {_sqlite_words_insert('NEW', '')};"
        )
        # the columns the keys copy, and their update
        copied = "owner_id, archived" + (", kind" if org_col else "")
        changed = "NEW.owner_id IS NOT OLD.owner_id OR NEW.archived IS NOT OLD.archived" + (
            " OR NEW.kind IS NOT OLD.kind" if org_col else ""
        )
        copy = f"owner_id = NEW.owner_id, archived = NEW.archived{f', org = {org_new[2:]}' if org_col else ''}"
        phones = (
            "UPDATE customerphone SET owner_id = NEW.owner_id, archived = NEW.archived WHERE customer_id = NEW.id; "
            if table == "customer"
            else ""
        )
        stmts += [
            f"CREATE TRIGGER {keys}_ins AFTER INSERT ON {table} BEGIN {insert} END",
            (
                f"CREATE TRIGGER {keys}_name AFTER UPDATE OF name_norm ON {table} "
                f"WHEN NEW.name_norm IS NOT OLD.name_norm BEGIN "
                f"DELETE FROM {keys} WHERE {fk} = OLD.id; {insert} END"
            ),
            (
                f"CREATE TRIGGER {keys}_vis AFTER UPDATE OF {copied} ON {table} "
                f"WHEN {changed} BEGIN "
                f"UPDATE {keys} SET {copy} WHERE {fk} = NEW.id; {phones}END"
            ),
            f"CREATE TRIGGER {keys}_del AFTER DELETE ON {table} BEGIN DELETE FROM {keys} WHERE {fk} = OLD.id; END",
        ]
    # a phone takes its customer's owner and archive flag (written as such by bulk loads: no update then)
    for event in ("INSERT", "UPDATE OF customer_id"):
        name = "customerphone_vis_ins" if event == "INSERT" else "customerphone_vis_move"
        stmts.append(
            f"CREATE TRIGGER {name} AFTER {event} ON customerphone "
            f"WHEN NEW.owner_id IS NOT {_SQLITE_PHONE_OWNER} OR NEW.archived IS NOT {_SQLITE_PHONE_ARCHIVED} BEGIN "
            f"UPDATE customerphone SET owner_id = {_SQLITE_PHONE_OWNER}, archived = {_SQLITE_PHONE_ARCHIVED} "
            f"WHERE id = NEW.id; END"
        )
    return stmts


# --- PostgreSQL ------------------------------------------------------------------------------


def _pg_words_insert(row: str, from_row: str) -> str:
    return (
        f"INSERT INTO name_word (word) SELECT DISTINCT w FROM {from_row}"
        f"regexp_split_to_table({row}.name_norm, ' ') AS w WHERE w <> '' ON CONFLICT DO NOTHING"
    )


def _pg_head(row: str) -> str:
    """The head of the key at offset p of ``row``.name_norm: the words before it, after a space."""
    return f"CASE WHEN p = 1 THEN '' ELSE ' ' || substr({row}.name_norm, 1, p - 2) END"


def _pg_mask(row: str) -> str:
    """The word mask of ``row``.name_norm."""
    return (
        f"(SELECT coalesce(bit_or({_mask_sql('m', 'ascii', '1::bigint')}), 0) "
        f"FROM regexp_split_to_table({row}.name_norm, ' ') AS m WHERE length(m) >= {MASK_CHARS})"
    )


def _pg_triggers() -> list[str]:
    stmts = []
    for table, keys, fk in KEYED_TABLES:
        phones = (
            "UPDATE customerphone SET owner_id = NEW.owner_id, archived = NEW.archived WHERE customer_id = NEW.id;"
            if table == "customer"
            else ""
        )
        org_col, org_new = _org(keys, "NEW")
        org_old = _org(keys, "OLD")[1]
        changed = "NEW.owner_id IS DISTINCT FROM OLD.owner_id OR NEW.archived IS DISTINCT FROM OLD.archived" + (
            f" OR ({org_new[2:]}) IS DISTINCT FROM ({org_old[2:]})" if org_col else ""
        )
        copy = f"owner_id = NEW.owner_id, archived = NEW.archived{f', org = {org_new[2:]}' if org_col else ''}"
        copied = "owner_id, archived" + (", kind" if org_col else "")
        stmts += [
            f"""CREATE OR REPLACE FUNCTION {keys}_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF {changed} THEN
            UPDATE {keys} SET {copy} WHERE {fk} = NEW.id;
            {phones}
        END IF;
        IF NEW.name_norm IS NOT DISTINCT FROM OLD.name_norm THEN
            RETURN NULL;
        END IF;
        DELETE FROM {keys} WHERE {fk} = OLD.id;
    END IF;
    INSERT INTO {keys} (term, {fk}, owner_id, archived, is_first, head, word_mask{org_col})
    SELECT substr(NEW.name_norm, p), NEW.id, NEW.owner_id, NEW.archived, p = 1, {_pg_head("NEW")},
        {_pg_mask("NEW")}{org_new}
    FROM generate_series(1, length(NEW.name_norm)) AS p
    WHERE p = 1 OR substr(NEW.name_norm, p - 1, 1) = ' ';
    {_pg_words_insert("NEW", "")};
    RETURN NULL;
END $$""",
            (
                f"CREATE TRIGGER {keys}_sync AFTER INSERT OR UPDATE OF name_norm, {copied} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {keys}_sync()"
            ),
        ]
    stmts += [
        """CREATE OR REPLACE FUNCTION customerphone_vis_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT owner_id, archived INTO NEW.owner_id, NEW.archived FROM customer WHERE id = NEW.customer_id;
    RETURN NEW;
END $$""",
        (
            "CREATE TRIGGER customerphone_vis_sync BEFORE INSERT OR UPDATE OF customer_id ON customerphone "
            "FOR EACH ROW EXECUTE FUNCTION customerphone_vis_sync()"
        ),
    ]
    return stmts


# --- the statements --------------------------------------------------------------------------


def trigger_ddl(dialect: str) -> list[str]:
    """CREATE statements of the triggers that keep keys, words and phone copies in step."""
    if dialect == "sqlite":
        return _sqlite_triggers()
    if dialect == "postgresql":
        return _pg_triggers()
    raise NotImplementedError(f"search keys: no triggers for {dialect}")


def drop_trigger_ddl(dialect: str) -> list[str]:
    stmts: list[str] = []
    if dialect == "sqlite":
        for _table, keys, _fk in KEYED_TABLES:
            stmts += [f"DROP TRIGGER IF EXISTS {keys}_{s}" for s in ("ins", "name", "vis", "del")]
        stmts += ["DROP TRIGGER IF EXISTS customerphone_vis_ins", "DROP TRIGGER IF EXISTS customerphone_vis_move"]
    elif dialect == "postgresql":
        for table, keys, _fk in KEYED_TABLES:
            stmts += [f"DROP TRIGGER IF EXISTS {keys}_sync ON {table}", f"DROP FUNCTION IF EXISTS {keys}_sync()"]
        stmts += [
            "DROP TRIGGER IF EXISTS customerphone_vis_sync ON customerphone",
            "DROP FUNCTION IF EXISTS customerphone_vis_sync()",
        ]
    return stmts


def backfill_sql(dialect: str) -> list[str]:
    """Statements that (re)write every key, word and phone copy from the records."""
    stmts: list[str] = []
    for table, keys, fk in KEYED_TABLES:
        org_col, org_r = _org(keys, "r")
        cols = f"{keys} (term, {fk}, owner_id, archived, is_first, head, word_mask{org_col})"
        stmts.append(f"DELETE FROM {keys}")
        if dialect == "sqlite":
            stmts.append(f"INSERT INTO {cols} {_sqlite_keys_select(keys, 'r', f'{table} r, ')}")
            stmts.append(_sqlite_words_insert("r", f"{table} r, "))
        else:
            stmts.append(
                f"INSERT INTO {cols} SELECT substr(r.name_norm, p), r.id, r.owner_id, r.archived, p = 1, "
                f"{_pg_head('r')}, {_pg_mask('r')}{org_r} "
                f"FROM {table} r CROSS JOIN LATERAL generate_series(1, length(r.name_norm)) AS p "
                f"WHERE p = 1 OR substr(r.name_norm, p - 1, 1) = ' '"
            )
            stmts.append(_pg_words_insert("r", f"{table} r CROSS JOIN LATERAL "))
    if dialect == "sqlite":
        stmts.append(
            "UPDATE customerphone SET owner_id = c.owner_id, archived = c.archived "
            "FROM customer c WHERE c.id = customerphone.customer_id"
        )
    else:
        stmts.append(
            "UPDATE customerphone p SET owner_id = c.owner_id, archived = c.archived "
            "FROM customer c WHERE c.id = p.customer_id"
        )
    return stmts


@sa.event.listens_for(SQLModel.metadata, "after_create")
def _create_triggers(_metadata, connection: sa.Connection, tables=None, **_kw) -> None:
    """create_all (tests): add the triggers once the record and key tables exist."""
    names = {t.name for t in tables} if tables is not None else None
    if names is not None and not {"customer_name_key", "contact_name_key", "name_word", "customerphone"} <= names:
        return
    if connection.dialect.name not in ("sqlite", "postgresql"):
        return
    for stmt in trigger_ddl(connection.dialect.name):
        connection.exec_driver_sql(stmt)
