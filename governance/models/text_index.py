"""The text indexes search reads (R-CO-1 still applies: an index only says which rows contain a word;
the selectors filter by visibility before anything is shown or counted).

PostgreSQL: pg_trgm and one GIN trigram index per searched column, on `UPPER(column)`, the expression
Django's `icontains` compiles to, so `UPPER(col::text) LIKE UPPER('%词%')` is served by the index.
SQLite (3.34+): one FTS5 table per searched table with the trigram tokenizer, external content, kept
in step by triggers; `matches()` asks it with `MATCH` for terms of three characters or more.

Neither engine's trigram index helps a term shorter than three characters (no trigram can be taken
from it): such a term is matched with `icontains` on the table itself (correct, not indexed).

The indexes are made by raw SQL in migrations (`install`, vendor-guarded) and not declared in
`Meta.indexes`, since the other engine could not create them. SQLite drops a table's triggers when a
later migration rebuilds the table, so `ensure` runs after every migrate and puts back what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.db.models.expressions import RawSQL

MIN_INDEXED = 3  # a trigram index serves terms of at least three characters


@dataclass(frozen=True)
class TextIndex:
    table: str
    columns: tuple[str, ...]

    @property
    def fts(self) -> str:
        return f"{self.table}_fts"


MEETING = TextIndex("governance_meeting", ("title", "place"))
TOPIC = TextIndex("governance_topic", ("title", "summary", "decision", "dissent"))
ACTION = TextIndex("governance_action", ("title",))
REVISION = TextIndex("minutes_revision", ("title", "summary"))

GOVERNANCE = (MEETING, TOPIC, ACTION)
MINUTES = (REVISION,)
ALL = GOVERNANCE + MINUTES


def _pg_create(index: TextIndex) -> list[str]:
    return [f'CREATE INDEX IF NOT EXISTS "{index.table}_{col}_trgm" ON "{index.table}" '
            f'USING gin (UPPER("{col}") gin_trgm_ops)' for col in index.columns]


def _pg_drop(index: TextIndex) -> list[str]:
    return [f'DROP INDEX IF EXISTS "{index.table}_{col}_trgm"' for col in index.columns]


def _sqlite_triggers(index: TextIndex) -> list[str]:
    cols = ", ".join(index.columns)
    new = ", ".join(f"new.{c}" for c in index.columns)
    old = ", ".join(f"old.{c}" for c in index.columns)
    t, f = index.table, index.fts
    delete = f"INSERT INTO {f}({f}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {f}(rowid, {cols}) VALUES (new.id, {new});"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {f}_ai AFTER INSERT ON {t} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {f}_ad AFTER DELETE ON {t} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {f}_au AFTER UPDATE OF {cols} ON {t} BEGIN {delete} {insert} END",
    ]


def _sqlite_create(index: TextIndex) -> list[str]:
    cols = ", ".join(index.columns)
    return [f"CREATE VIRTUAL TABLE IF NOT EXISTS {index.fts} USING fts5({cols}, content='{index.table}', "
            f"content_rowid='id', tokenize='trigram')",
            *_sqlite_triggers(index),
            f"INSERT INTO {index.fts}({index.fts}) VALUES ('rebuild')"]


def _sqlite_drop(index: TextIndex) -> list[str]:
    return [*(f"DROP TRIGGER IF EXISTS {index.fts}_{s}" for s in ("ai", "ad", "au")),
            f"DROP TABLE IF EXISTS {index.fts}"]


def install(indexes, connection) -> None:
    """Create the indexes for this engine (other engines: nothing; `icontains` alone)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            statements = [s for index in indexes for s in _pg_create(index)]
        elif connection.vendor == "sqlite":
            statements = [s for index in indexes for s in _sqlite_create(index)]
        else:
            statements = []
        for sql in statements:
            cursor.execute(sql)


def uninstall(indexes, connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statements = [s for index in indexes for s in _pg_drop(index)]
        elif connection.vendor == "sqlite":
            statements = [s for index in indexes for s in _sqlite_drop(index)]
        else:
            statements = []
        for sql in statements:
            cursor.execute(sql)


def ensure(connection, indexes=ALL) -> None:
    """After a migrate: on SQLite, put back any trigger a table rebuild dropped and re-read the table
    into its index (a rebuild copies rows without firing triggers); on PostgreSQL nothing is lost."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cursor.fetchall()}
        for index in indexes:
            if index.table not in present or index.fts not in present:
                continue  # not migrated that far
            if all(f"{index.fts}_{s}" in present for s in ("ai", "ad", "au")):
                continue
            for sql in _sqlite_triggers(index):
                cursor.execute(sql)
            cursor.execute(f"INSERT INTO {index.fts}({index.fts}) VALUES ('rebuild')")


def fts_phrase(term: str) -> str:
    """`term` as one FTS5 phrase: a substring match with the trigram tokenizer, quotes doubled."""
    return '"' + term.replace('"', '""') + '"'


def matches(index: TextIndex, term: str, connection, *, pk: str = "pk") -> Q:
    """Rows of `index.table` with `term` in one of its columns, case-insensitively (as `icontains`),
    through the engine's text index where there is one and the term is long enough for it."""
    if connection.vendor == "sqlite" and len(term) >= MIN_INDEXED:
        return Q(**{f"{pk}__in": RawSQL(f"SELECT rowid FROM {index.fts} WHERE {index.fts} MATCH %s",
                                        (fts_phrase(term),))})
    found = Q()
    for col in index.columns:
        found |= Q(**{f"{col}__icontains": term})
    return found
