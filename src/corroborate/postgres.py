"""The PostgreSQL side of the store: a connection that speaks the store's SQL, and what differs.

The store writes its SQL once, in the dialect both databases share (``?`` placeholders,
``INSERT … ON CONFLICT``, ``UPDATE … FROM``); :class:`Postgres` turns the placeholders into
psycopg's, returns rows readable by position and by column name (as ``sqlite3.Row``), keeps the
schema version in the table ``corroborate_schema``, serialises writers with a transaction-level
advisory lock, and searches with a ``tsvector`` column (GIN index, ``ts_rank``, ``ts_headline``).
See docs/postgresql.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .errors import StoreError

# One key for every corroborate writer of a database: pg_advisory_xact_lock(WRITE_LOCK) is taken
# by each write transaction, so writers run one at a time (as SQLite's BEGIN IMMEDIATE does).
WRITE_LOCK = 0x636F72726F62  # "corrob"
SEARCH_CONFIG = "simple"  # lower-cased words, no stemming or stop words: as the SQLite index
HEADLINE = "StartSel={start}, StopSel={end}, MaxWords=24, MinWords=8, ShortWord=0, MaxFragments=1"
RANK_WEIGHTS = "{0.1, 0.2, 0.25, 1.0}"  # D, C, B (text), A (title): a title match counts 4 times


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


@lru_cache(maxsize=512)
def placeholders(sql: str) -> str:
    """The store's ``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


def ts_query(words: Sequence[tuple[str, bool]]) -> str:
    """Words (each with whether it is a prefix) as a tsquery that every word must match."""
    return " & ".join(f"'{word}'" + (":*" if prefix else "") for word, prefix in words)


class Row(tuple[Any, ...]):
    """A result row readable as ``row[0]``, ``row["name"]`` and ``dict(row)``."""

    _index: dict[str, int]

    def __new__(cls, values: Sequence[Any], index: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._index = index
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _rows(cursor: Any) -> Any:
    index = {column.name: i for i, column in enumerate(cursor.description or ())}
    return lambda values: Row(values, index)


class Connection:
    """A psycopg connection (autocommit: transactions are explicit) with sqlite3's ``execute``,
    ``executemany`` and ``close``. A connection that broke (the server restarted, the network
    dropped) is opened again on the next statement outside a transaction; inside one, the
    transaction is lost and the statement raises :class:`StoreError`."""

    def __init__(self, connect: Callable[[], Any], label: str) -> None:
        self._connect = connect
        self.label = label
        self.conn = connect()
        self.in_transaction = False

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        if params is None:
            return self._run(lambda conn: conn.execute(sql))
        return self._run(lambda conn: conn.execute(placeholders(sql), params))

    def executemany(self, sql: str, params: Sequence[Sequence[Any]] | Iterator[Any]) -> Any:
        rows = list(params)

        def many(conn: Any) -> Any:
            cursor = conn.cursor()
            cursor.executemany(placeholders(sql), rows)
            return cursor
        return self._run(many)

    def _run(self, call: Callable[[Any], Any]) -> Any:
        import psycopg

        if self.conn.closed and not self.in_transaction:
            self.conn = self._connect()
        try:
            return call(self.conn)
        except psycopg.OperationalError as err:
            if not self.conn.broken:
                raise
            if self.in_transaction:
                raise StoreError(f"lost the connection to PostgreSQL at {self.label} "
                                 f"({' '.join(str(err).split())})",
                                 hint="a batch is stored whole or not at all: run the same "
                                 "command again to resume") from None
            self.conn.close()
            self.conn = self._connect()  # outside a transaction: once more, on a new connection
            return call(self.conn)

    def close(self) -> None:
        self.conn.close()


def _nul_free_dumper() -> type:
    """Text as psycopg sends it, with NUL characters (which PostgreSQL text cannot hold, and
    SQLite can) replaced by U+FFFD."""
    from psycopg.types.string import StrDumperUnknown

    class NulFree(StrDumperUnknown):
        def dump(self, obj: str) -> Any:
            return super().dump(obj.replace("\x00", "\ufffd") if "\x00" in obj else obj)

    return NulFree


class Postgres:
    """What the store does differently on PostgreSQL."""

    name = "postgresql"

    def __init__(self, url: str) -> None:
        self.url = url
        self.label = redact(url)
        try:
            import psycopg
        except ImportError:
            raise StoreError("PostgreSQL needs the psycopg package, which is not installed",
                             hint="pip install 'corroborate[postgres]'") from None
        self.errors: tuple[type[BaseException], ...] = (psycopg.Error,)

    def connect(self) -> Connection:
        return Connection(self._connection, self.label)

    def _connection(self) -> Any:
        import psycopg

        try:
            conn = psycopg.connect(self.url, autocommit=True, row_factory=_rows,
                                   connect_timeout=10, application_name="corroborate")
        except psycopg.Error as err:
            reason = " ".join(str(err).split())
            raise StoreError(f"cannot connect to PostgreSQL at {self.label} ({reason})",
                             hint="is the server running, and do the user, password and database "
                             "in the URL exist? e.g. postgresql://user:password@host:5432/dbname"
                             ) from None
        conn.execute("SET client_min_messages = warning")  # no NOTICE for IF NOT EXISTS
        conn.adapters.register_dumper(str, _nul_free_dumper())
        return conn

    def version(self, db: Connection) -> int:
        # pg_class read with the statement's snapshot (not to_regclass, whose catalog cache can
        # miss a table another process just created while this one waited for the write lock)
        if db.execute("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                      "WHERE c.relname = 'corroborate_schema' AND n.nspname = current_schema()"
                      ).fetchone() is None:
            return 0
        return int(db.execute("SELECT COALESCE(MAX(version), 0) FROM corroborate_schema"
                              ).fetchone()[0])

    def set_version(self, db: Connection, number: int, stamp: str) -> None:
        db.execute("CREATE TABLE IF NOT EXISTS corroborate_schema (version INTEGER PRIMARY KEY, "
                   "applied_at TEXT NOT NULL)")
        db.execute("INSERT INTO corroborate_schema (version, applied_at) VALUES (?, ?)",
                   (number, stamp))

    def run_script(self, db: Connection, script: str) -> None:
        for statement in re.split(r";\s*\n", script):
            if statement.strip():
                db.execute(statement)

    def begin(self, db: Connection) -> None:
        db.execute("BEGIN")
        db.in_transaction = True
        db.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))

    def commit(self, db: Connection) -> None:
        try:
            db.execute("COMMIT")
        finally:
            db.in_transaction = False

    def rollback(self, db: Connection) -> None:
        db.in_transaction = False
        if db.conn.closed or db.conn.broken:
            return  # the server drops what a lost connection left uncommitted
        try:
            db.conn.execute("ROLLBACK")
        except self.errors:
            db.close()

    def search(self, db: Connection, words: list[tuple[str, bool]], marks: tuple[str, str],
               limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
        query = ts_query(words)
        total = int(db.execute(
            "SELECT COUNT(*) FROM articles WHERE search @@ to_tsquery(?::regconfig, ?)",
            (SEARCH_CONFIG, query)).fetchone()[0])
        start, end = marks
        rows = db.execute(
            "WITH q AS (SELECT to_tsquery(?::regconfig, ?) AS query), "
            "hit AS (SELECT a.seq, ts_rank(?::real[], a.search, q.query, 1) AS rank "
            "FROM articles a, q WHERE a.search @@ q.query ORDER BY rank DESC, a.seq "
            "LIMIT ? OFFSET ?) "
            "SELECT a.id, a.title, a.outlet, a.published, a.story_id, a.duplicate_of, h.snippet, "
            "p.at > 1 AND left(a.text, p.at - 1) ~ '\\w' AS cut_before, "
            "p.at > 0 AND substr(a.text, p.at + length(p.plain)) ~ '\\w' AS cut_after, "
            "CASE WHEN p.at > 0 THEN substr(a.text, p.at + length(p.plain), 20) ELSE '' END AS tail "
            "FROM hit JOIN articles a ON a.seq = hit.seq CROSS JOIN q "
            "CROSS JOIN LATERAL (SELECT ts_headline(?::regconfig, a.text, q.query, ?) AS snippet) h "
            "CROSS JOIN LATERAL (SELECT plain, strpos(a.text, plain) AS at FROM (SELECT "
            "replace(replace(h.snippet, ?, ''), ?, '') AS plain) x) p "
            "ORDER BY hit.rank DESC, hit.seq",
            (SEARCH_CONFIG, query, RANK_WEIGHTS, limit, offset, SEARCH_CONFIG,
             HEADLINE.format(start=f'"{start}"', end=f'"{end}"'), start, end)).fetchall()
        return total, [_with_ellipses(dict(r)) for r in rows]


def _with_ellipses(row: dict[str, Any]) -> dict[str, Any]:
    """'…' where the snippet starts or ends inside the text, as SQLite's snippets have; the
    punctuation that ends the text where it does not."""
    before, after, tail = row.pop("cut_before"), row.pop("cut_after"), row.pop("tail")
    row["snippet"] = ("…" if before else "") + row["snippet"] + ("…" if after else tail.rstrip())
    return row
