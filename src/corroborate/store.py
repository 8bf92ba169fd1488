"""The database, behind one seam: :func:`open_store`.

SQLite by default: WAL journal, one transaction per batch, schema versioned with ``PRAGMA
user_version`` and migrated on open, so the file opens in any SQLite tool. Article ids are content
hashes, so storing an article twice is a no-op.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from .errors import NotFound, Rejected, StoreError
from .records import Article

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
]

ARTICLE_COLUMNS = ("id", "source", "format", "url", "outlet", "title", "published", "content",
                   "is_html", "text", "boilerplate", "norm_hash", "duplicate_of", "story_id", "nlp")


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Member:
    """What story clustering needs to know of one stored original article."""

    id: str
    story_id: str
    published: str | None
    keys: frozenset[str]


class Store:
    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None,
                                      check_same_thread=False)
            self.db.row_factory = sqlite3.Row
            if path != ":memory:":
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as err:
            raise StoreError(f"cannot open database {path} ({err})",
                             hint="is it an SQLite file written by corroborate?") from None

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(f"database {self.path} has schema version {version}, newer than this "
                             f"corroborate ({len(MIGRATIONS)})", hint="upgrade corroborate")
        for number, sql in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                for statement in sql.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit: everything inside is written, or nothing (also on Ctrl-C)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

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

    def lsh_candidates(self, keys: Sequence[str]) -> list[tuple[str, np.ndarray, str | None]]:
        """(id, minhash signature, duplicate_of) of articles sharing an LSH band key."""
        marks = ",".join("?" * len(keys))
        rows = self.db.execute(
            f"SELECT DISTINCT a.id, a.minhash, a.duplicate_of FROM lsh_bands b "
            f"JOIN articles a ON a.id = b.article_id WHERE b.key IN ({marks}) ORDER BY a.seq",
            list(keys)).fetchall()
        return [(r["id"], np.frombuffer(r["minhash"], dtype=np.uint64), r["duplicate_of"])
                for r in rows]

    def add_article(self, article: Article, minhash: np.ndarray, embedding: np.ndarray,
                    bands: Iterable[str], keys: Iterable[str]) -> None:
        values = {c: getattr(article, c) for c in ARTICLE_COLUMNS if c not in
                  {"boilerplate", "nlp", "is_html"}}
        values.update(boilerplate=json.dumps(list(article.boilerplate), ensure_ascii=False),
                      nlp=json.dumps(article.nlp_dict(), ensure_ascii=False),
                      is_html=int(article.is_html),
                      entity_keys=json.dumps(sorted(keys), ensure_ascii=False),
                      minhash=minhash.astype(np.uint64).tobytes(),
                      embedding=embedding.astype(np.float32).tobytes(), ingested_at=now())
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

    def count_articles(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    # --- stories --------------------------------------------------------------------------

    def members(self) -> tuple[list[Member], np.ndarray]:
        """Every original (non-duplicate) article in a story, with its embedding."""
        rows = self.db.execute(
            "SELECT id, story_id, published, entity_keys, embedding FROM articles "
            "WHERE duplicate_of IS NULL AND story_id IS NOT NULL ORDER BY seq").fetchall()
        members = [Member(r["id"], r["story_id"], r["published"],
                          frozenset(json.loads(r["entity_keys"]))) for r in rows]
        if not rows:
            return members, np.zeros((0, 0), dtype=np.float32)
        return members, np.stack([np.frombuffer(r["embedding"], dtype=np.float32) for r in rows])

    def story_of(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT story_id FROM articles WHERE id = ?",
                              (article_id,)).fetchone()
        return row["story_id"] if row else None

    def upsert_story(self, story_id: str, title: str) -> None:
        stamp = now()
        self.db.execute(
            "INSERT INTO stories (id, title, created_at, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET title = excluded.title, updated_at = excluded.updated_at",
            (story_id, title, stamp, stamp))

    def add_link(self, a: str, b: str, score: float) -> None:
        a, b = sorted((a, b))
        self.db.execute("INSERT OR REPLACE INTO story_links (a, b, score) VALUES (?, ?, ?)",
                        (a, b, score))

    def links(self) -> list[tuple[str, str]]:
        return [(r["a"], r["b"]) for r in self.db.execute("SELECT a, b FROM story_links")]

    def set_storylines(self, storylines: dict[str, str | None]) -> None:
        self.db.executemany("UPDATE stories SET storyline_id = ? WHERE id = ?",
                            [(line, story) for story, line in storylines.items()])

    def stories(self) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT s.id, s.title, s.storyline_id, s.created_at, s.updated_at, "
            "COUNT(a.id) AS articles, COUNT(DISTINCT COALESCE(a.outlet, a.source)) AS outlets, "
            "MIN(a.published) AS first_published, MAX(a.published) AS last_published "
            "FROM stories s LEFT JOIN articles a ON a.story_id = s.id "
            "GROUP BY s.id ORDER BY MIN(a.seq)").fetchall()
        return [dict(r) for r in rows]

    def story(self, story_id: str) -> dict[str, Any]:
        rows = [s for s in self.stories() if s["id"] == story_id or s["id"].startswith(story_id)]
        if len(rows) != 1:
            raise NotFound(f"no story '{story_id}'" if not rows else
                           f"'{story_id}' matches several stories",
                           hint="`corroborate stories` lists the ids")
        return rows[0]

    # --- boilerplate statistics and errors ------------------------------------------------

    def line_counts(self, hashes: Iterable[str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for chunk in _chunks(list(hashes), 500):
            marks = ",".join("?" * len(chunk))
            counts.update((r[0], r[1]) for r in self.db.execute(
                f"SELECT hash, articles FROM line_counts WHERE hash IN ({marks})", chunk))
        return counts

    def add_line_counts(self, counts: dict[str, int]) -> None:
        self.db.executemany(
            "INSERT INTO line_counts (hash, articles) VALUES (?, ?) "
            "ON CONFLICT (hash) DO UPDATE SET articles = articles + excluded.articles",
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


def _article(row: sqlite3.Row) -> Article:
    data: dict[str, Any] = dict(row)
    nlp = Article.nlp_from_dict(json.loads(data.pop("nlp")))
    data["boilerplate"] = tuple(json.loads(data["boilerplate"]))
    data["is_html"] = bool(data["is_html"])
    data.update(nlp)
    return Article(**data)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def open_store(url: str | Path) -> Store:
    """Open (and create or migrate) the store at ``url``: a file path, ``sqlite:///path`` or
    ``:memory:``."""
    text = str(url)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///"):]
    elif "://" in text:
        raise StoreError(f"unsupported database URL {text}",
                         hint="use a file path (SQLite); PostgreSQL is not supported yet")
    if text != ":memory:":
        parent = Path(text).expanduser().parent
        if not parent.exists():
            raise StoreError(f"folder {parent} for the database does not exist",
                             hint="create it or choose another --db")
    return Store(text)
