"""The database, behind one seam: :func:`open_store`.

SQLite by default: WAL journal, one transaction per batch, schema versioned with ``PRAGMA
user_version`` and migrated on open, so the file opens in any SQLite tool. Article ids are content
hashes, so storing an article twice is a no-op.

PostgreSQL (``postgresql://…``, :mod:`corroborate.postgres`) runs the same methods and the same SQL:
queries are written in the dialect both share (``?`` placeholders, ``INSERT … ON CONFLICT``,
``UPDATE … FROM``); what differs (schema DDL, the version record, locking, full-text search) sits
in a small dialect object, :class:`SQLite` here or :class:`corroborate.postgres.Postgres`.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .errors import NotFound, Rejected, StoreError
from .records import FIRST_LINE, FROM_SLUG, GIVEN, Article

# Schema text that is the same on SQLite and PostgreSQL.
_STORY_COUNTS = """
    UPDATE stories SET
        articles = (SELECT COUNT(*) FROM articles a WHERE a.story_id = stories.id),
        outlets = (SELECT COUNT(DISTINCT COALESCE(outlet, source)) FROM articles a
                   WHERE a.story_id = stories.id),
        first_published = (SELECT MIN(published) FROM articles a WHERE a.story_id = stories.id),
        last_published = (SELECT MAX(published) FROM articles a WHERE a.story_id = stories.id),
        first_seq = (SELECT MIN(seq) FROM articles a WHERE a.story_id = stories.id);
    CREATE INDEX stories_first_seq ON stories (first_seq);
    """
_BOUNDED_READS = """
    CREATE INDEX articles_members ON articles (published) WHERE duplicate_of IS NULL;
    CREATE INDEX story_links_b ON story_links (b);
    """
_STORYLINE_MEMBERS = """
    CREATE INDEX stories_storyline ON stories (storyline_id);
    """
_TERMS = """
    ALTER TABLE articles ADD COLUMN terms TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE articles ADD COLUMN event_date TEXT;
    CREATE TABLE term_counts (term TEXT PRIMARY KEY, articles INTEGER NOT NULL);
    """
_WEEKDAY = """
    ALTER TABLE articles ADD COLUMN event_weekday INTEGER;
    """

MIGRATIONS: list[str] = [
    # 1: the core schema
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        format TEXT NOT NULL,
        url TEXT,
        outlet TEXT,
        title TEXT,
        published TEXT,
        content TEXT NOT NULL,
        is_html INTEGER NOT NULL,
        text TEXT NOT NULL,
        boilerplate TEXT NOT NULL,
        norm_hash TEXT NOT NULL,
        duplicate_of TEXT,
        story_id TEXT,
        nlp TEXT NOT NULL,
        entity_keys TEXT NOT NULL,
        minhash BLOB NOT NULL,
        embedding BLOB NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_norm_hash ON articles (norm_hash);
    CREATE INDEX articles_story ON articles (story_id);
    CREATE TABLE lsh_bands (key TEXT NOT NULL, article_id TEXT NOT NULL);
    CREATE INDEX lsh_bands_key ON lsh_bands (key);
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        storyline_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE story_links (a TEXT NOT NULL, b TEXT NOT NULL, score REAL NOT NULL,
                              PRIMARY KEY (a, b));
    CREATE TABLE line_counts (hash TEXT PRIMARY KEY, articles INTEGER NOT NULL);
    CREATE TABLE rejections (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL,
        stage TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    );
    """,
    # 2: full-text search over the clean text, and the cache of briefs (with their claims) that
    # the API and the report read; a batch that touches a story drops the briefs of its storyline
    """
    CREATE VIRTUAL TABLE article_search USING fts5(
        title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
    );
    INSERT INTO article_search (article_search) VALUES ('rebuild');
    CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN
        INSERT INTO article_search (rowid, title, text) VALUES (new.seq, new.title, new.text);
    END;
    CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
        INSERT INTO article_search (article_search, rowid, title, text)
        VALUES ('delete', old.seq, old.title, old.text);
    END;
    CREATE TABLE briefs (
        story_id TEXT PRIMARY KEY,
        scope TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        built_at TEXT NOT NULL,
        corroborated INTEGER NOT NULL,
        single_source INTEGER NOT NULL,
        contested INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX briefs_scope ON briefs (scope);
    CREATE TABLE story_claims (
        story_id TEXT NOT NULL,
        claim_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        verdict TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (story_id, claim_id)
    );
    CREATE INDEX story_claims_filter ON story_claims (verdict, kind);
    CREATE INDEX articles_outlet ON articles (outlet);
    ALTER TABLE stories ADD COLUMN articles INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE stories ADD COLUMN outlets INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE stories ADD COLUMN first_published TEXT;
    ALTER TABLE stories ADD COLUMN last_published TEXT;
    ALTER TABLE stories ADD COLUMN first_seq INTEGER;
    """ + _STORY_COUNTS,
    # 3: what a batch reads stays bounded as the store grows: the originals near some dates and
    # the links of some stories
    _BOUNDED_READS,
    # 4: the stories of a storyline, read when a new link may merge it with another
    _STORYLINE_MEMBERS,
    # 5: what story clustering compares (stories.py): each article's terms and the date of the
    # event it reports, and the number of stored articles each term occurs in (its IDF)
    _TERMS,
    # 6: the weekday of the event an article reports, which places an undated article against
    # the others of a storyline
    _WEEKDAY,
]

# The same schema versions on PostgreSQL (one entry per entry of MIGRATIONS, a test keeps the two
# in step). Text compares and sorts byte-wise (COLLATE "C"), as in SQLite, whatever the server's
# locale; integers are 64-bit and REAL is DOUBLE PRECISION, as in SQLite; story_claims has a
# ``rowid`` column because SQLite's implicit one orders the claims of a story.
PG_MIGRATIONS: list[str] = [
    # 1: the core schema
    """
    CREATE TABLE articles (
        seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        id TEXT COLLATE "C" NOT NULL UNIQUE,
        source TEXT COLLATE "C" NOT NULL,
        format TEXT NOT NULL,
        url TEXT COLLATE "C",
        outlet TEXT COLLATE "C",
        title TEXT COLLATE "C",
        published TEXT COLLATE "C",
        content TEXT NOT NULL,
        is_html INTEGER NOT NULL,
        text TEXT NOT NULL,
        boilerplate TEXT NOT NULL,
        norm_hash TEXT COLLATE "C" NOT NULL,
        duplicate_of TEXT COLLATE "C",
        story_id TEXT COLLATE "C",
        nlp TEXT NOT NULL,
        entity_keys TEXT NOT NULL,
        minhash BYTEA NOT NULL,
        embedding BYTEA NOT NULL,
        ingested_at TEXT COLLATE "C" NOT NULL
    );
    CREATE INDEX articles_norm_hash ON articles (norm_hash);
    CREATE INDEX articles_story ON articles (story_id);
    CREATE TABLE lsh_bands (key TEXT COLLATE "C" NOT NULL, article_id TEXT COLLATE "C" NOT NULL);
    CREATE INDEX lsh_bands_key ON lsh_bands (key);
    CREATE TABLE stories (
        id TEXT COLLATE "C" PRIMARY KEY,
        title TEXT COLLATE "C" NOT NULL,
        storyline_id TEXT COLLATE "C",
        created_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL
    );
    CREATE TABLE story_links (a TEXT COLLATE "C" NOT NULL, b TEXT COLLATE "C" NOT NULL,
                              score DOUBLE PRECISION NOT NULL, PRIMARY KEY (a, b));
    CREATE TABLE line_counts (hash TEXT COLLATE "C" PRIMARY KEY, articles BIGINT NOT NULL);
    CREATE TABLE rejections (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        source TEXT COLLATE "C" NOT NULL,
        stage TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT COLLATE "C" NOT NULL
    );
    """,
    # 2: full-text search (a generated tsvector: title weighted A, clean text B, GIN-indexed),
    # the cache of briefs and their claims, and the story list's counts on the story row
    """
    ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', COALESCE(title, '')), 'A') ||
        setweight(to_tsvector('simple', text), 'B')) STORED;
    CREATE INDEX article_search ON articles USING GIN (search);
    CREATE TABLE briefs (
        story_id TEXT COLLATE "C" PRIMARY KEY,
        scope TEXT COLLATE "C" NOT NULL,
        fingerprint TEXT COLLATE "C" NOT NULL,
        built_at TEXT COLLATE "C" NOT NULL,
        corroborated INTEGER NOT NULL,
        single_source INTEGER NOT NULL,
        contested INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX briefs_scope ON briefs (scope);
    CREATE TABLE story_claims (
        rowid BIGINT GENERATED ALWAYS AS IDENTITY,
        story_id TEXT COLLATE "C" NOT NULL,
        claim_id TEXT COLLATE "C" NOT NULL,
        kind TEXT COLLATE "C" NOT NULL,
        verdict TEXT COLLATE "C" NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (story_id, claim_id)
    );
    CREATE INDEX story_claims_filter ON story_claims (verdict, kind);
    CREATE INDEX articles_outlet ON articles (outlet);
    ALTER TABLE stories ADD COLUMN articles BIGINT NOT NULL DEFAULT 0;
    ALTER TABLE stories ADD COLUMN outlets BIGINT NOT NULL DEFAULT 0;
    ALTER TABLE stories ADD COLUMN first_published TEXT COLLATE "C";
    ALTER TABLE stories ADD COLUMN last_published TEXT COLLATE "C";
    ALTER TABLE stories ADD COLUMN first_seq BIGINT;
    """ + _STORY_COUNTS,
    # 3 to 6: as on SQLite
    _BOUNDED_READS,
    _STORYLINE_MEMBERS,
    _TERMS,
    _WEEKDAY,
]

VERDICTS = ("corroborated", "single_source", "contested", "updated")
STORY_SORTS = {"first_seq": "s.first_seq", "title": "lower(s.title)",
               "first_published": "s.first_published", "last_published": "s.last_published",
               "articles": "s.articles", "outlets": "s.outlets",
               "corroborated": "b.corroborated", "single_source": "b.single_source",
               "contested": "b.contested", "updated": "b.updated"}
MARK_START, MARK_END = "\ue000", "\ue001"  # private-use characters around search matches


def query_words(text: str) -> list[tuple[str, bool]]:
    """The words of a user's search (at most 32), each with whether it ends with * (a prefix)."""
    return [(m.group(1), bool(m.group(2))) for m in re.finditer(r"([^\W_]+)(\*)?", text)][:32]


def fts_query(text: str) -> str:
    """A user's words as an FTS5 query that cannot be a syntax error: every word must occur
    (as a prefix when it ends with *)."""
    return fts_match(query_words(text))


def fts_match(words: list[tuple[str, bool]]) -> str:
    return " ".join(f'"{word}"' + ("*" if prefix else "") for word, prefix in words)

ARTICLE_COLUMNS = ("id", "source", "format", "url", "outlet", "title", "published", "content",
                   "is_html", "text", "boilerplate", "norm_hash", "duplicate_of", "story_id", "nlp",
                   "event_date", "event_weekday")


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Member:
    """What story clustering needs to know of one stored original article."""

    id: str
    story_id: str
    published: str | None
    keys: frozenset[str]
    terms: Mapping[str, int] = dataclass_field(default_factory=dict)
    event_date: str | None = None
    event_weekday: int | None = None


class Database(Protocol):
    """A connection as the store uses it: sqlite3's, or :class:`corroborate.postgres.Connection`
    (``?`` placeholders; rows read by position or column name)."""

    def execute(self, sql: str, params: Any = ..., /) -> Any: ...

    def executemany(self, sql: str, params: Any, /) -> Any: ...

    def close(self) -> None: ...


class Dialect(Protocol):
    """What differs between the databases: connecting, the schema version, locking, search."""

    name: str
    label: str  # the database for messages (a URL without its password)
    errors: tuple[type[BaseException], ...]

    def connect(self) -> Any: ...

    def version(self, db: Any) -> int: ...

    def set_version(self, db: Any, number: int, stamp: str) -> None: ...

    def run_script(self, db: Any, script: str) -> None: ...

    def begin(self, db: Any) -> None: ...

    def commit(self, db: Any) -> None: ...

    def rollback(self, db: Any) -> None: ...

    def search(self, db: Any, words: list[tuple[str, bool]], marks: tuple[str, str], limit: int,
               offset: int) -> tuple[int, list[dict[str, Any]]]: ...


def _wal(db: sqlite3.Connection, seconds: float = 30) -> None:
    """Switch to WAL. Several processes creating one database at once can find it locked: SQLite
    does not wait on its busy timeout for this switch, so wait here."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class SQLite:
    """SQLite: WAL, ``PRAGMA user_version``, ``BEGIN IMMEDIATE``, FTS5."""

    name = "sqlite"
    errors: tuple[type[BaseException], ...] = (sqlite3.DatabaseError,)

    def __init__(self, path: str) -> None:
        self.path = self.label = path

    def connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        db.row_factory = sqlite3.Row
        if self.path != ":memory:":
            _wal(db)
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def version(self, db: sqlite3.Connection) -> int:
        return int(db.execute("PRAGMA user_version").fetchone()[0])

    def set_version(self, db: sqlite3.Connection, number: int, stamp: str) -> None:
        db.execute(f"PRAGMA user_version = {int(number)}")

    def run_script(self, db: sqlite3.Connection, script: str) -> None:
        for statement in _statements(script):
            db.execute(statement)

    def begin(self, db: sqlite3.Connection) -> None:
        db.execute("BEGIN IMMEDIATE")

    def commit(self, db: sqlite3.Connection) -> None:
        db.execute("COMMIT")

    def rollback(self, db: sqlite3.Connection) -> None:
        db.execute("ROLLBACK")

    def search(self, db: sqlite3.Connection, words: list[tuple[str, bool]],
               marks: tuple[str, str], limit: int, offset: int
               ) -> tuple[int, list[dict[str, Any]]]:
        match = fts_match(words)
        total = int(db.execute(
            "SELECT COUNT(*) FROM article_search WHERE article_search MATCH ?", (match,)
        ).fetchone()[0])
        rows = db.execute(
            "SELECT a.id, a.title, a.outlet, a.published, a.story_id, a.duplicate_of, "
            "snippet(article_search, 1, ?, ?, '…', 24) AS snippet FROM article_search "
            "JOIN articles a ON a.seq = article_search.rowid WHERE article_search MATCH ? "
            "ORDER BY bm25(article_search, 4.0, 1.0), a.seq LIMIT ? OFFSET ?",
            (*marks, match, limit, offset)).fetchall()
        return total, [dict(r) for r in rows]


SCHEMAS = {"sqlite": MIGRATIONS, "postgresql": PG_MIGRATIONS}


class Store:
    def __init__(self, path: str, dialect: Dialect | None = None) -> None:
        self.dialect: Dialect = dialect or SQLite(path)
        self.path = self.dialect.label
        self.migrations = SCHEMAS[self.dialect.name]
        try:
            self.db: Database = self.dialect.connect()
        except self.dialect.errors as err:
            raise self._unusable(err) from None
        try:
            self._migrate()
        except BaseException as err:
            self.db.close()
            if isinstance(err, self.dialect.errors):
                raise self._unusable(err) from None
            raise

    def _unusable(self, err: BaseException) -> StoreError:
        kind = "an SQLite file" if self.dialect.name == "sqlite" else "a PostgreSQL database"
        return StoreError(f"cannot open database {self.path} ({' '.join(str(err).split())})",
                          hint=f"is it {kind} written by corroborate?")

    def _migrate(self) -> None:
        """Apply the migrations this database lacks, each in its own write transaction (so two
        processes opening it at once migrate it once)."""
        self._check_version(self.dialect.version(self.db))
        for number in range(self.dialect.version(self.db) + 1, len(self.migrations) + 1):
            with self.transaction():
                if self._check_version(self.dialect.version(self.db)) >= number:
                    continue  # another process got there first
                self.dialect.run_script(self.db, self.migrations[number - 1])
                self.dialect.set_version(self.db, number, now())

    def _check_version(self, version: int) -> int:
        if version > len(self.migrations):
            raise StoreError(f"database {self.path} has schema version {version}, newer than this "
                             f"corroborate ({len(self.migrations)})", hint="upgrade corroborate")
        return version

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit: everything inside is written, or nothing (also on Ctrl-C). Write
        transactions run one at a time (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock)."""
        self.dialect.begin(self.db)
        try:
            yield
        except BaseException:
            self.dialect.rollback(self.db)
            raise
        self.dialect.commit(self.db)

    # --- articles -------------------------------------------------------------------------

    def known_ids(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.db.execute(
                f"SELECT id FROM articles WHERE id IN ({marks})", chunk))
        return found

    def original_by_hash(self, norm_hash: str) -> str | None:
        row = self.db.execute(
            "SELECT id, duplicate_of FROM articles WHERE norm_hash = ? ORDER BY seq LIMIT 1",
            (norm_hash,)).fetchone()
        return (row["duplicate_of"] or row["id"]) if row else None

    def lsh_candidates(self, keys: Sequence[str]
                       ) -> list[tuple[str, np.ndarray, str | None, str | None]]:
        """(id, minhash signature, duplicate_of, published) of articles sharing an LSH band key."""
        marks = ",".join("?" * len(keys))
        rows = self.db.execute(
            f"SELECT DISTINCT a.id, a.minhash, a.duplicate_of, a.published, a.seq FROM lsh_bands b "
            f"JOIN articles a ON a.id = b.article_id WHERE b.key IN ({marks}) ORDER BY a.seq",
            list(keys)).fetchall()
        return [(r["id"], np.frombuffer(r["minhash"], dtype=np.uint64), r["duplicate_of"],
                 r["published"]) for r in rows]

    def add_article(self, article: Article, minhash: np.ndarray, embedding: np.ndarray,
                    bands: Iterable[str], keys: Iterable[str],
                    terms: Mapping[str, int] | None = None) -> None:
        values = {c: getattr(article, c) for c in ARTICLE_COLUMNS if c not in
                  {"boilerplate", "nlp", "is_html"}}
        values.update(boilerplate=json.dumps(list(article.boilerplate), ensure_ascii=False),
                      nlp=json.dumps(article.nlp_dict(), ensure_ascii=False),
                      is_html=int(article.is_html),
                      entity_keys=json.dumps(sorted(keys), ensure_ascii=False),
                      minhash=minhash.astype(np.uint64).tobytes(),
                      embedding=embedding.astype(np.float32).tobytes(), ingested_at=now(),
                      terms=json.dumps(dict(terms or {}), ensure_ascii=False, sort_keys=True))
        names = ",".join(values)
        self.db.execute(f"INSERT INTO articles ({names}) VALUES ({','.join('?' * len(values))})",
                        list(values.values()))
        self.db.executemany("INSERT INTO lsh_bands (key, article_id) VALUES (?, ?)",
                            [(k, article.id) for k in bands])
        self.db.execute("DELETE FROM rejections WHERE source = ?", (article.source,))

    def article(self, article_id: str) -> Article:
        row = self.db.execute(
            f"SELECT {','.join(ARTICLE_COLUMNS)} FROM articles WHERE id = ? OR id LIKE ? "
            f"ORDER BY seq LIMIT 2", (article_id, article_id + "%")).fetchall()
        if len(row) != 1:
            raise NotFound(f"no article '{article_id}'" if not row else
                           f"'{article_id}' matches several articles",
                           hint="see `corroborate stories --json` for ids")
        return _article(row[0])

    def articles(self, story_id: str | None = None) -> list[Article]:
        sql = f"SELECT {','.join(ARTICLE_COLUMNS)} FROM articles"
        rows = self.db.execute(sql + " WHERE story_id = ? ORDER BY seq", (story_id,)) \
            if story_id else self.db.execute(sql + " ORDER BY seq")
        return [_article(r) for r in rows]

    def title_rows(self, story_id: str) -> list[dict[str, Any]]:
        """What choosing a story's title needs of its articles (id, title, published, source,
        duplicate_of, and ``title_rank``: 0 when the input gave the title or it is the page's
        first line, 2 when it was rebuilt from the URL's slug, else 1: a line further down), in
        the order they were stored. The rank is read from the provenance in the stored NLP
        record, where a quote inside the text is escaped and cannot match."""
        return [dict(r) for r in self.db.execute(
            "SELECT id, title, published, source, duplicate_of, CASE WHEN nlp LIKE ? OR nlp LIKE ? "
            "THEN 0 WHEN nlp LIKE ? THEN 2 ELSE 1 END AS title_rank FROM articles "
            "WHERE story_id = ? ORDER BY seq",
            (_provenance_like("title", GIVEN), _provenance_like("title", FIRST_LINE),
             _provenance_like("title", FROM_SLUG), story_id))]

    def articles_outside_stories(self) -> list[Article]:
        """The articles in no stored story (none, once every batch has finished)."""
        return [_article(r) for r in self.db.execute(
            f"SELECT {','.join(ARTICLE_COLUMNS)} FROM articles WHERE story_id IS NULL OR "
            "story_id NOT IN (SELECT id FROM stories) ORDER BY seq")]

    def article_rows(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """What pages show of these articles (no text): id -> source, outlet, title, dates."""
        found: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            found.update((r["id"], dict(r)) for r in self.db.execute(
                "SELECT id, source, url, outlet, title, published, duplicate_of, story_id, "
                f"substr(text, 1, 200) AS lead FROM articles WHERE id IN ({marks})", chunk))
        return found

    def count_articles(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    # --- stories --------------------------------------------------------------------------

    def stories_in_scope(self, scope: str) -> list[dict[str, Any]]:
        """The stories (id, title, storyline_id) of a storyline, or the one story ``scope``
        when it is in none, oldest first."""
        return [dict(r) for r in self.db.execute(
            "SELECT s.id, s.title, s.storyline_id FROM stories s "
            "WHERE COALESCE(s.storyline_id, s.id) = ? "
            "ORDER BY s.first_seq, s.id", (scope,))]

    def scopes_of(self, story_ids: Iterable[str]) -> set[str]:
        """The storylines (or, outside any, the stories themselves) these stories belong to."""
        scopes: set[str] = set()
        for chunk in _chunks(sorted(set(story_ids)), 500):
            marks = ",".join("?" * len(chunk))
            scopes.update(r[0] for r in self.db.execute(
                f"SELECT COALESCE(storyline_id, id) FROM stories WHERE id IN ({marks})", chunk))
        return scopes

    def count_stories(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM stories").fetchone()[0])

    def members(self, since: str | None = None, until: str | None = None
                ) -> tuple[list[Member], np.ndarray]:
        """The original (non-duplicate) articles in stories, with their embeddings: those
        published from ``since`` to ``until`` (ISO dates) and the undated ones, or all."""
        where = ""
        args: list[str] = []
        if since and until:
            where = "AND (published BETWEEN ? AND ? OR published IS NULL) "
            args = [since, until + "\uffff"]  # "2025-03-01T10:00" sorts after "2025-03-01"
        rows = self.db.execute(
            "SELECT id, story_id, published, entity_keys, embedding, terms, event_date, "
            "event_weekday "
            f"FROM articles WHERE duplicate_of IS NULL AND story_id IS NOT NULL {where}ORDER BY seq",
            args).fetchall()
        members = [Member(r["id"], r["story_id"], r["published"],
                          frozenset(json.loads(r["entity_keys"])), json.loads(r["terms"]),
                          r["event_date"], r["event_weekday"]) for r in rows]
        if not rows:
            return members, np.zeros((0, 0), dtype=np.float32)
        return members, np.stack([np.frombuffer(r["embedding"], dtype=np.float32) for r in rows])

    def latest_published(self) -> str | None:
        row = self.db.execute("SELECT MAX(published) FROM articles WHERE duplicate_of IS NULL"
                              ).fetchone()
        return row[0] if row else None

    def story_of(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT story_id FROM articles WHERE id = ?",
                              (article_id,)).fetchone()
        return row["story_id"] if row else None

    def move_articles(self, moves: Mapping[str, str]) -> None:
        """Put each of these originals, and its copies, into its new story."""
        self.db.executemany("UPDATE articles SET story_id = ? WHERE id = ? OR duplicate_of = ?",
                            [(story, article, article) for article, story in moves.items()])

    def story_is_empty(self, story_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE story_id = ? LIMIT 1",
                               (story_id,)).fetchone() is None

    def delete_stories(self, story_ids: Iterable[str]) -> None:
        """Forget stories that no article is in any more, with their links and briefs."""
        for chunk in _chunks(sorted(set(story_ids)), 400):
            marks = ",".join("?" * len(chunk))
            self.db.execute(f"DELETE FROM story_links WHERE a IN ({marks}) OR b IN ({marks})",
                            chunk + chunk)
            for table, column in (("story_claims", "story_id"), ("briefs", "story_id"),
                                  ("stories", "id")):
                self.db.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)

    def upsert_story(self, story_id: str, title: str) -> None:
        stamp = now()
        self.db.execute(
            "INSERT INTO stories (id, title, created_at, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET title = excluded.title, updated_at = excluded.updated_at",
            (story_id, title, stamp, stamp))

    def update_story_counts(self, story_ids: Iterable[str]) -> None:
        """Keep the story list's counts and dates (kept on the story row) in step."""
        self.db.executemany(
            "UPDATE stories SET articles = agg.n, outlets = agg.outlets, first_published = agg.lo, "
            "last_published = agg.hi, first_seq = agg.seq FROM (SELECT COUNT(*) AS n, "
            "COUNT(DISTINCT COALESCE(outlet, source)) AS outlets, MIN(published) AS lo, "
            "MAX(published) AS hi, MIN(seq) AS seq FROM articles WHERE story_id = ?) AS agg "
            "WHERE stories.id = ?", [(s, s) for s in story_ids])

    def add_link(self, a: str, b: str, score: float) -> None:
        a, b = sorted((a, b))
        self.db.execute("INSERT INTO story_links (a, b, score) VALUES (?, ?, ?) "
                        "ON CONFLICT (a, b) DO UPDATE SET score = excluded.score", (a, b, score))

    def links(self, story_ids: Iterable[str] | None = None) -> list[tuple[str, str]]:
        """The story links (a, b), all or those touching ``story_ids``."""
        if story_ids is None:
            return [(r["a"], r["b"]) for r in self.db.execute("SELECT a, b FROM story_links")]
        found: list[tuple[str, str]] = []
        for chunk in _chunks(sorted(set(story_ids)), 400):
            marks = ",".join("?" * len(chunk))
            found += [(r["a"], r["b"]) for r in self.db.execute(
                f"SELECT a, b FROM story_links WHERE a IN ({marks}) UNION "
                f"SELECT a, b FROM story_links WHERE b IN ({marks})", chunk + chunk)]
        return found

    def storylines_of(self, story_ids: Iterable[str]) -> dict[str, str | None]:
        """The storyline (or None) of each of these stories."""
        found: dict[str, str | None] = {}
        for chunk in _chunks(sorted(set(story_ids)), 500):
            marks = ",".join("?" * len(chunk))
            found.update((r["id"], r["storyline_id"]) for r in self.db.execute(
                f"SELECT id, storyline_id FROM stories WHERE id IN ({marks})", chunk))
        return found

    def storyline_members(self, lines: Iterable[str]) -> dict[str, list[str]]:
        """The stories of each of these storylines."""
        found: dict[str, list[str]] = {}
        for chunk in _chunks(sorted(set(lines)), 500):
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(f"SELECT id, storyline_id FROM stories "
                                     f"WHERE storyline_id IN ({marks}) ORDER BY id", chunk):
                found.setdefault(r["storyline_id"], []).append(r["id"])
        return found

    def set_storylines(self, storylines: Mapping[str, str | None]) -> None:
        self.db.executemany("UPDATE stories SET storyline_id = ? WHERE id = ?",
                            [(line, story) for story, line in storylines.items()])

    def stories(self, story_id: str | None = None) -> list[dict[str, Any]]:
        """Every story (or those whose id starts with ``story_id``) with its counts, oldest first."""
        where, args = ("WHERE s.id LIKE ? ", [story_id.replace("%", "") + "%"]) if story_id \
            else ("", [])
        rows = self.db.execute(
            "SELECT s.id, s.title, s.storyline_id, s.created_at, s.updated_at, s.articles, "
            "s.outlets, s.first_published, s.last_published FROM stories s "
            f"{where}ORDER BY s.first_seq", args).fetchall()
        return [dict(r) for r in rows]

    def story(self, story_id: str) -> dict[str, Any]:
        """One story by its id or a unique prefix of it."""
        rows = self.stories(story_id) if story_id else []
        exact = [r for r in rows if r["id"] == story_id]
        if len(exact) == 1:
            return exact[0]
        if len(rows) != 1:
            raise NotFound(f"no story '{story_id}'" if not rows else
                           f"'{story_id}' matches several stories",
                           hint="`corroborate stories` lists the ids")
        return rows[0]

    def story_page(self, *, since: str | None = None, until: str | None = None,
                   outlet: str | None = None, contested: bool = False, sort: str = "first_seq",
                   descending: bool = False, limit: int = 50, offset: int = 0
                   ) -> tuple[int, list[dict[str, Any]]]:
        """One page of stories with their article and outlet counts and (where the brief is
        built) their claim counts per verdict; and how many stories match in all."""
        if sort not in STORY_SORTS:
            raise ValueError(f"cannot sort stories by {sort!r}")
        where: list[str] = []
        args: list[Any] = []
        if since:
            where.append("COALESCE(s.last_published, s.first_published) >= ?")
            args.append(since)
        if until:
            where.append("s.first_published <= ?")
            args.append(until + "\uffff")
        if outlet:
            where.append("EXISTS (SELECT 1 FROM articles o WHERE o.story_id = s.id "
                         "AND lower(o.outlet) = lower(?))")
            args.append(outlet)
        if contested:
            where.append("b.contested > 0")
        where.append("s.articles > 0")
        sql = ("FROM stories s LEFT JOIN briefs b ON b.story_id = s.id WHERE " + " AND ".join(where))
        total = int(self.db.execute("SELECT COUNT(*) " + sql, args).fetchone()[0])
        direction = "DESC" if descending else "ASC"
        rows = self.db.execute(
            "SELECT s.id, s.title, s.storyline_id, s.created_at, s.updated_at, s.articles, "
            "s.outlets, s.first_published, s.last_published, b.corroborated, "
            f"b.single_source, b.contested, b.updated {sql} ORDER BY {STORY_SORTS[sort]} {direction} "
            f"NULLS LAST, s.first_seq LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
        return total, [dict(r) for r in rows]

    def outlets(self) -> list[tuple[str, int]]:
        """Every outlet with how many stored articles it has, most first."""
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT outlet, COUNT(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet "
            "ORDER BY COUNT(*) DESC, outlet")]

    # --- briefs: the stories of the report, cached per storyline ---------------------------

    def brief(self, story_id: str, fingerprint: str) -> str | None:
        """The story object of the report JSON, as JSON text, if it is built and current."""
        row = self.db.execute("SELECT body FROM briefs WHERE story_id = ? AND fingerprint = ?",
                              (story_id, fingerprint)).fetchone()
        return row[0] if row else None

    def scope_state(self, scope: str) -> tuple[Any, ...]:
        """What changes when a storyline (or a story outside any) gains articles or stories."""
        rows = self.db.execute(
            "SELECT s.id, COUNT(a.seq), MAX(a.seq) FROM stories s LEFT JOIN articles a "
            "ON a.story_id = s.id WHERE COALESCE(s.storyline_id, s.id) = ? GROUP BY s.id "
            "ORDER BY s.id", (scope,)).fetchall()
        return tuple(tuple(r) for r in rows)

    def stale_briefs(self, fingerprint: str) -> list[str]:
        """Stories whose brief is missing or was built with other settings."""
        return [r[0] for r in self.db.execute(
            "SELECT s.id FROM stories s LEFT JOIN briefs b ON b.story_id = s.id "
            "AND b.fingerprint = ? WHERE b.story_id IS NULL ORDER BY s.id", (fingerprint,))]

    def save_briefs(self, scope: str, fingerprint: str, stories: list[dict[str, Any]]) -> None:
        for story in stories:
            counts = Counter(c["verdict"] for c in story["claims"])
            self.db.execute("DELETE FROM story_claims WHERE story_id = ?", (story["id"],))
            self.db.execute(
                "INSERT INTO briefs (story_id, scope, fingerprint, built_at, corroborated, "
                "single_source, contested, updated, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (story_id) DO UPDATE SET scope = excluded.scope, fingerprint = "
                "excluded.fingerprint, built_at = excluded.built_at, corroborated = "
                "excluded.corroborated, single_source = excluded.single_source, contested = "
                "excluded.contested, updated = excluded.updated, body = excluded.body",
                (story["id"], scope, fingerprint, now(), *(counts[v] for v in VERDICTS),
                 json.dumps(story, ensure_ascii=False)))
            self.db.executemany(
                "INSERT INTO story_claims (story_id, claim_id, kind, verdict, body) "
                "VALUES (?, ?, ?, ?, ?)",
                [(story["id"], c["id"], c["kind"], c["verdict"], json.dumps(c, ensure_ascii=False))
                 for c in story["claims"]])

    def drop_briefs(self, story_ids: Iterable[str]) -> None:
        """Forget the briefs of these stories, of every story of their storylines, and of every
        story that was cross-checked with them before."""
        ids = sorted(set(story_ids))
        if not ids:
            return
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS dropped (id TEXT PRIMARY KEY)")
        for chunk in _chunks(ids, 400):
            marks = ",".join("?" * len(chunk))
            self.db.execute(
                f"INSERT INTO dropped SELECT id FROM stories WHERE id IN ({marks}) "
                f"OR storyline_id IN (SELECT COALESCE(storyline_id, id) FROM stories "
                f"WHERE id IN ({marks})) ON CONFLICT DO NOTHING", [*chunk, *chunk])
        self.db.execute("INSERT INTO dropped SELECT story_id FROM briefs WHERE scope IN (SELECT "
                        "scope FROM briefs WHERE story_id IN (SELECT id FROM dropped)) "
                        "ON CONFLICT DO NOTHING")
        self.db.execute("DELETE FROM story_claims WHERE story_id IN (SELECT id FROM dropped)")
        self.db.execute("DELETE FROM briefs WHERE story_id IN (SELECT id FROM dropped)")
        self.db.execute("DELETE FROM dropped")

    def claims(self, *, verdict: str | None = None, kind: str | None = None,
               story_id: str | None = None, limit: int = 50, offset: int = 0
               ) -> tuple[int, list[dict[str, Any]]]:
        """Cross-checked claims of built briefs, most recently updated stories first; and how
        many match in all."""
        where: list[str] = []
        args: list[Any] = []
        for column, value in (("verdict", verdict), ("kind", kind), ("story_id", story_id)):
            if value:
                where.append(f"c.{column} = ?")
                args.append(value)
        sql = "FROM story_claims c JOIN stories s ON s.id = c.story_id" + \
            (" WHERE " + " AND ".join(where) if where else "")
        total = int(self.db.execute("SELECT COUNT(*) " + sql, args).fetchone()[0])
        rows = self.db.execute(
            f"SELECT c.story_id, s.title, c.body {sql} ORDER BY s.updated_at DESC, c.story_id, "
            f"c.rowid LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
        return total, [{"story_id": r["story_id"], "story_title": r["title"], **json.loads(r["body"])}
                       for r in rows]

    # --- search --------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20, offset: int = 0
               ) -> tuple[int, list[dict[str, Any]]]:
        """Articles whose title or clean text hold every word of ``query`` (FTS5, best first),
        each with a snippet whose matches sit between MARK_START and MARK_END."""
        words = query_words(query)
        if not words:
            return 0, []
        return self.dialect.search(self.db, words, (MARK_START, MARK_END), limit, offset)

    # --- boilerplate statistics and errors ------------------------------------------------

    def _pairs(self, query: str, keys: Iterable[str]) -> dict[str, Any]:
        """key -> value of ``query`` (``SELECT key, value … IN ({marks})``), 500 keys a query."""
        found: dict[str, Any] = {}
        for chunk in _chunks(list(keys), 500):
            found.update((r[0], r[1]) for r in self.db.execute(
                query.format(marks=",".join("?" * len(chunk))), chunk))
        return found

    def line_counts(self, hashes: Iterable[str]) -> dict[str, int]:
        return self._pairs("SELECT hash, articles FROM line_counts WHERE hash IN ({marks})", hashes)

    def texts(self, ids: Iterable[str]) -> dict[str, str]:
        """The clean text of these articles."""
        return self._pairs("SELECT id, text FROM articles WHERE id IN ({marks})", ids)

    def term_counts(self, terms: Iterable[str]) -> dict[str, int]:
        """In how many stored articles each term occurs ('' holds the number of articles)."""
        return self._pairs("SELECT term, articles FROM term_counts WHERE term IN ({marks})", terms)

    def add_term_counts(self, counts: Mapping[str, int]) -> None:
        self.db.executemany(
            "INSERT INTO term_counts (term, articles) VALUES (?, ?) "
            "ON CONFLICT (term) DO UPDATE SET articles = term_counts.articles + excluded.articles",
            sorted(counts.items()))

    def add_line_counts(self, counts: dict[str, int]) -> None:
        self.db.executemany(
            "INSERT INTO line_counts (hash, articles) VALUES (?, ?) "
            "ON CONFLICT (hash) DO UPDATE SET articles = line_counts.articles + excluded.articles",
            list(counts.items()))

    def add_rejections(self, rejected: Iterable[Rejected]) -> None:
        """Record failed inputs; a source keeps only its latest failure."""
        rejected = list(rejected)
        self.db.executemany("DELETE FROM rejections WHERE source = ?",
                            [(r.source,) for r in rejected])
        self.db.executemany(
            "INSERT INTO rejections (source, stage, reason, at) VALUES (?, ?, ?, ?)",
            [(r.source, r.stage, r.reason, now()) for r in rejected])

    def rejections(self) -> list[Rejected]:
        return [Rejected(r["source"], r["stage"], r["reason"]) for r in self.db.execute(
            "SELECT source, stage, reason FROM rejections ORDER BY id")]


def _provenance_like(key: str, origin: str) -> str:
    """A LIKE pattern for an NLP record whose provenance gives ``key`` that origin (as
    ``json.dumps`` writes it)."""
    return "%" + json.dumps({key: origin}, ensure_ascii=False)[1:-1] + "%"


def _article(row: Any) -> Article:
    data: dict[str, Any] = dict(row)
    nlp = Article.nlp_from_dict(json.loads(data.pop("nlp")))
    data["boilerplate"] = tuple(json.loads(data["boilerplate"]))
    data["is_html"] = bool(data["is_html"])
    data.update(nlp)
    return Article(**data)


def _statements(script: str) -> Iterator[str]:
    """The statements of an SQL script (a trigger body holds semicolons of its own)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if pending.strip():
        yield pending.strip()


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def open_store(url: str | Path) -> Store:
    """Open (and create or migrate) the store at ``url``: a file path, ``sqlite:///path``,
    ``:memory:``, or ``postgresql://user:password@host:port/dbname`` (any libpq URL)."""
    text = str(url)
    if text.startswith(("postgresql://", "postgres://")):
        from .postgres import Postgres

        return Store(text, Postgres(text))
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///"):]
    elif "://" in text:
        raise StoreError(f"unsupported database URL {text}",
                         hint="use a file path (SQLite) or a postgresql:// URL")
    if text != ":memory:":
        parent = Path(text).expanduser().parent
        if not parent.exists():
            raise StoreError(f"folder {parent} for the database does not exist",
                             hint="create it or choose another --db")
    return Store(text)
