"""The highest id each kind of record has ever had, so that an id is never given twice.

SQLite gives a new row the highest id in the table plus one: once an import is undone or a
merged customer removed, the next record would take the removed one's id — its code (KH…) and,
by its id, its history. PostgreSQL sequences never go back; on SQLite new records of the kinds
the record service writes take their ids from here (services.records.record_service.new_ids).
"""

from sqlmodel import Field, SQLModel


class IdCounter(SQLModel, table=True):
    __tablename__ = "id_counter"

    entity: str = Field(primary_key=True, max_length=32)
    last_id: int = 0
