"""The store on both databases (an SQLite file and a PostgreSQL server): the same methods give the
same results; transactions are atomic and one writer runs at a time; schema versions are recorded.
Built from synthetic articles, so no model is loaded."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest

from corroborate.errors import NotFound, Rejected, StoreError
from corroborate.postgres import Row, placeholders, redact, ts_query
from corroborate.records import Article
from corroborate.settings import Settings
from corroborate.store import (
    MARK_END,
    MARK_START,
    MIGRATIONS,
    PG_MIGRATIONS,
    Member,
    Store,
    open_store,
    query_words,
)

TEXT = ("Dockworkers at the Port of Valmora walked off the job on Monday over pay. " * 3 +
        "The union wants a nine per cent rise and the authority offers three per cent. " * 4)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    store = open_store(db_url)
    yield store
    store.close()


def aid(n: int) -> str:
    return f"a-{n:02x}" + "e" * 14


def article(n: int, story: str | None = "s-1", **changes: object) -> Article:
    fields: dict[str, object] = dict(
        id=aid(n), source=f"in/{n}.txt", format="text", content=f"raw {n}",
        outlet=f"Outlet {n % 3}", title=f"Title {n}", published=f"2026-02-{n:02d}",
        text=f"Story number {n}. {TEXT}", boilerplate=("Share this",), norm_hash=f"h{n}",
        story_id=story)
    fields.update(changes)
    return Article(**fields)  # type: ignore[arg-type]


def add(store: Store, a: Article, bands: tuple[str, ...] = ("b1",),
        keys: tuple[str, ...] = ("org:union",)) -> tuple[np.ndarray, np.ndarray]:
    sig = np.arange(8, dtype=np.uint64) * np.uint64(2**61 + int(a.id[2:4], 16))
    vector = np.linspace(0, 1, 16, dtype=np.float32) * (1 + int(a.id[2:4], 16))
    store.add_article(a, sig, vector, bands, keys)
    return sig, vector


def stored_story(store: Store, story: str, title: str, *articles: Article) -> None:
    for a in articles:
        add(store, a)
    store.upsert_story(story, title)
    store.update_story_counts([story])


QUOTED = 'He wrote "title": "given by the input" in his notes.'


def test_a_story_is_titled_by_a_given_headline_before_a_line_further_down_or_a_url(
        store: Store) -> None:
    """The rank comes from the stored provenance (on both databases); a quote in the text that
    reads like a provenance entry does not count, as the stored record escapes it."""
    from corroborate.pipeline import story_title
    from corroborate.records import Sentence

    stored_story(store, "s-1", "x",
                 article(1, title="Fire at the corvin mill", provenance=(("title", "the URL's slug"),)),
                 article(2, title="Mill owner ANA ROE/AFP", provenance=(("title", "line 3"),),
                         sentences=(Sentence(QUOTED, 0, len(QUOTED)),)),
                 article(3, title="Fire destroys Corvin mill",
                         provenance=(("title", "given by the input"),)),
                 article(4, title="Corvin mill fire", provenance=(("title", "line 1"),)))
    ranks = {r["id"]: r["title_rank"] for r in store.title_rows("s-1")}
    assert ranks == {aid(1): 2, aid(2): 1, aid(3): 0, aid(4): 0}
    assert story_title(store, "s-1") == "Fire destroys Corvin mill"  # the earliest of rank 0


def test_a_story_whose_originals_have_no_headline_takes_a_copys(store: Store) -> None:
    from corroborate.pipeline import story_title

    first = article(1, title=None)
    stored_story(store, "s-1", "x", first,
                 article(2, title="Corvin mill burns", duplicate_of=first.id,
                         provenance=(("title", "line 1"),)))
    assert story_title(store, "s-1") == "Corvin mill burns"


def test_an_original_moves_with_its_copies_and_an_emptied_story_goes(store: Store) -> None:
    first = article(1)
    stored_story(store, "s-1", "x", first, article(2, duplicate_of=first.id))
    stored_story(store, "s-2", "y", article(3, story="s-2"))
    store.add_link("s-1", "s-2", 0.7)
    store.move_articles({first.id: "s-2"})
    assert store.story_is_empty("s-1") and not store.story_is_empty("s-2")
    assert {a.id for a in store.articles("s-2")} == {aid(1), aid(2), aid(3)}
    store.delete_stories(["s-1"])
    store.update_story_counts(["s-2"])
    assert [r["id"] for r in store.stories()] == ["s-2"] and store.links() == []
    assert store.stories()[0]["articles"] == 3


def test_an_article_comes_back_as_stored(store: Store) -> None:
    first = article(1)
    sig, vector = add(store, first, bands=("k1", "k2"), keys=("per:ostrova", "org:union"))
    add(store, article(2, duplicate_of=first.id, norm_hash="h1"), bands=("k2",))
    assert store.article(first.id) == first
    assert store.article(first.id[:4]) == first  # a unique prefix
    with pytest.raises(NotFound, match="several"):
        store.article("a-")
    with pytest.raises(NotFound, match="no article"):
        store.article("a-nothing")
    assert [a.id for a in store.articles()] == [first.id, aid(2)]
    assert [a.id for a in store.articles("s-1")] == [first.id, aid(2)]
    assert store.known_ids([first.id, "a-nothing"]) == {first.id}
    assert store.original_by_hash("h1") == first.id and store.original_by_hash("zz") is None
    ((cid, csig, original, published), (did, _, dup_of, _)) = store.lsh_candidates(["k1", "k2"])
    assert (cid, original, published, did, dup_of) == (first.id, None, "2026-02-01",
                                                       aid(2), first.id)
    assert np.array_equal(csig, sig) and csig.dtype == np.uint64
    members, vectors = store.members()  # originals only
    assert [(m.id, m.story_id, m.keys) for m in members] == [
        (first.id, "s-1", frozenset({"per:ostrova", "org:union"}))]
    assert vectors.dtype == np.float32 and np.array_equal(vectors[0], vector)
    rows = store.article_rows([first.id])
    assert rows[first.id]["lead"] == first.text[:200] and rows[first.id]["outlet"] == "Outlet 1"
    assert store.story_of(first.id) == "s-1" and store.story_of("a-nothing") is None
    assert store.count_articles() == 2


def test_an_empty_store_answers_empty(store: Store) -> None:
    members, vectors = store.members()
    assert members == [] and vectors.shape == (0, 0)
    assert store.stories() == [] and store.story_page() == (0, [])
    assert store.search("anything") == (0, []) and store.search("*** ()") == (0, [])
    assert store.claims() == (0, []) and store.rejections() == [] and store.links() == []


def test_stories_keep_their_counts_and_sort_and_filter(store: Store) -> None:
    stored_story(store, "s-1", "beta strike", article(1), article(2), article(3, outlet="Outlet 1"))
    stored_story(store, "s-2", "Alpha talks", article(4, story="s-2", outlet=None,
                                                      published=None))
    stored_story(store, "s-3", "gamma", article(9, story="s-3", published="2026-03-01"))
    store.upsert_story("s-1", "Beta strike")  # a new title keeps the counts
    rows = {r["id"]: r for r in store.stories()}
    assert (rows["s-1"]["title"], rows["s-1"]["articles"], rows["s-1"]["outlets"]) == \
        ("Beta strike", 3, 2)
    assert (rows["s-1"]["first_published"], rows["s-1"]["last_published"]) == \
        ("2026-02-01", "2026-02-03")
    assert rows["s-2"]["outlets"] == 1 and rows["s-2"]["first_published"] is None  # the source
    assert store.story("s-2")["title"] == "Alpha talks"
    with pytest.raises(NotFound, match="several"):
        store.story("s-")

    def page(**kwargs: object) -> list[str]:
        total, found = store.story_page(**kwargs)  # type: ignore[arg-type]
        assert total >= len(found)
        return [r["id"] for r in found]

    assert page() == ["s-1", "s-2", "s-3"]
    assert page(sort="title") == ["s-2", "s-1", "s-3"]  # case does not matter
    assert page(sort="first_published", descending=True) == ["s-3", "s-1", "s-2"]  # nulls last
    assert page(sort="articles", descending=True, limit=1, offset=1) == ["s-2"]
    assert page(since="2026-02-02") == ["s-1", "s-3"] and page(until="2026-02-01") == ["s-1"]
    assert page(outlet="outlet 2") == ["s-1"]  # any case
    assert store.story_page(limit=1)[0] == 3
    assert store.outlets() == [("Outlet 1", 2), ("Outlet 0", 1), ("Outlet 2", 1)]
    assert store.count_stories() == 3
    with pytest.raises(ValueError):
        store.story_page(sort="nonsense")


def test_links_make_storylines_and_scopes(store: Store) -> None:
    for n, story in ((1, "s-1"), (2, "s-2"), (3, "s-3")):
        stored_story(store, story, f"story {n}", article(n, story=story))
    store.add_link("s-2", "s-1", 0.7)
    store.add_link("s-1", "s-2", 0.8)  # the same pair, its score replaced
    assert store.links() == [("s-1", "s-2")]
    assert store.db.execute("SELECT score FROM story_links").fetchone()[0] == pytest.approx(0.8)
    store.set_storylines({"s-1": "l-1", "s-2": "l-1", "s-3": None})
    assert [s["id"] for s in store.stories_in_scope("l-1")] == ["s-1", "s-2"]
    assert [s["id"] for s in store.stories_in_scope("s-3")] == ["s-3"]
    assert store.scopes_of(["s-1", "s-2", "s-3", "s-9"]) == {"l-1", "s-3"}
    before = store.scope_state("l-1")
    assert before == (("s-1", 1, 1), ("s-2", 1, 2))
    add(store, article(4, story="s-2"))
    assert store.scope_state("l-1") != before


def brief(story: str, verdicts: list[str]) -> dict[str, object]:
    return {"id": story, "claims": [{"id": f"c-{i}", "kind": "quantity" if i % 2 else "role",
                                     "verdict": v} for i, v in enumerate(verdicts)]}


def test_briefs_are_saved_counted_listed_and_dropped_by_storyline(store: Store) -> None:
    for n, story in ((1, "s-1"), (2, "s-2"), (3, "s-3")):
        stored_story(store, story, f"story {n}", article(n, story=story))
    store.set_storylines({"s-1": "l-1", "s-2": "l-1", "s-3": None})
    assert store.stale_briefs("f1") == ["s-1", "s-2", "s-3"]
    with store.transaction():
        store.save_briefs("l-1", "f1", [brief("s-1", ["contested", "corroborated", "contested"]),
                                        brief("s-2", ["single_source"])])
        store.save_briefs("s-3", "f1", [brief("s-3", ["updated"])])
        store.save_briefs("s-3", "f1", [brief("s-3", ["contested", "updated"])])  # rebuilt
    assert store.brief("s-1", "f1") is not None and store.brief("s-1", "f2") is None
    assert store.stale_briefs("f1") == [] and store.stale_briefs("f2") == ["s-1", "s-2", "s-3"]
    total, claims = store.claims(verdict="contested")
    assert total == 3 and [(c["story_id"], c["id"]) for c in claims] == [
        ("s-1", "c-0"), ("s-1", "c-2"), ("s-3", "c-0")]  # in the brief's order
    assert claims[0]["story_title"] == "story 1"
    assert store.claims(kind="quantity", story_id="s-1") == (1, [
        {"story_id": "s-1", "story_title": "story 1", "id": "c-1", "kind": "quantity",
         "verdict": "corroborated"}])
    assert [c["id"] for c in store.claims(story_id="s-1")[1]] == ["c-0", "c-1", "c-2"]
    assert store.claims(limit=2, offset=1)[1] == store.claims()[1][1:3]
    assert [r["id"] for r in store.story_page(contested=True)[1]] == ["s-1", "s-3"]
    assert store.story_page(sort="contested", descending=True)[1][0]["contested"] == 2
    with store.transaction():
        store.drop_briefs(["s-2"])  # the whole storyline goes
    assert store.stale_briefs("f1") == ["s-1", "s-2"]
    assert store.claims()[0] == 2
    with store.transaction():
        store.drop_briefs([])
        store.drop_briefs(["s-3"])
    assert store.stale_briefs("f1") == ["s-1", "s-2", "s-3"] and store.claims() == (0, [])


def test_search_finds_every_word_and_marks_it(store: Store) -> None:
    stored_story(store, "s-1", "strike", article(1, title="Ships queue as strike goes on"),
                 article(2, text="A short note on the weather.", title="Weather"),
                 article(3, title=None, text="Ferry Dockworkers vote today."))
    total, rows = store.search("dockworkers")
    assert total == 2 and {r["id"] for r in rows} == {aid(1), aid(3)}
    assert set(rows[0]) == {"id", "title", "outlet", "published", "story_id", "duplicate_of",
                            "snippet"}
    short = next(r for r in rows if r["id"] == aid(3))
    assert short["snippet"] == f"Ferry {MARK_START}Dockworkers{MARK_END} vote today."
    long = next(r for r in rows if r["id"] == aid(1))
    assert f"{MARK_START}Dockworkers{MARK_END}" in long["snippet"]
    assert long["snippet"].endswith("…") and len(long["snippet"]) < len(TEXT)
    assert store.search("dock*")[0] == 2 and store.search("dock")[0] == 0  # prefixes only with *
    assert store.search("WEATHER note")[0] == 1 and store.search("weather strike")[0] == 0
    assert store.search("queue")[1][0]["id"] == aid(1)  # in the title
    assert store.search('dockworkers" AND (pay')[0] == 1  # no query syntax
    assert [r["id"] for r in store.search("dockworkers", limit=1, offset=1)[1]] == \
        [rows[1]["id"]]


def test_line_counts_add_up_and_rejections_keep_the_latest(store: Store) -> None:
    store.add_line_counts({"x": 2, "y": 1})
    store.add_line_counts({"x": 3})
    assert store.line_counts(["x", "y", "z"]) == {"x": 5, "y": 1}
    store.add_rejections([Rejected("a.txt", "read", "empty"), Rejected("b.txt", "clean", "chrome")])
    store.add_rejections([Rejected("a.txt", "read", "still empty")])
    assert store.rejections() == [Rejected("b.txt", "clean", "chrome"),
                                  Rejected("a.txt", "read", "still empty")]
    add(store, article(1, source="b.txt"))  # read at last: its failure is forgotten
    assert store.rejections() == [Rejected("a.txt", "read", "still empty")]


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_a_transaction_is_all_or_nothing(store: Store, error: type[BaseException]) -> None:
    with pytest.raises(error), store.transaction():
        add(store, article(1))
        store.upsert_story("s-1", "gone")
        raise error()
    assert store.count_articles() == 0 and store.count_stories() == 0
    assert store.search("dockworkers")[0] == 0
    with store.transaction():  # the connection is fine afterwards
        add(store, article(1))
    assert store.count_articles() == 1


def test_a_failed_statement_rolls_back_the_batch(store: Store) -> None:
    with pytest.raises(Exception, match="(?i)unique"), store.transaction():
        add(store, article(1))
        add(store, article(1))
    assert store.count_articles() == 0


def test_writers_take_turns(db_url: str) -> None:
    """A second writer (another connection, as another process would have) waits for the first
    to commit, then sees what it wrote."""
    first, second = open_store(db_url), open_store(db_url)
    seen: list[int] = []

    def write() -> None:
        with second.transaction():
            seen.append(second.count_articles())
            add(second, article(2))

    try:
        with first.transaction():
            add(first, article(1))
            thread = threading.Thread(target=write)
            thread.start()
            time.sleep(0.5)
            assert thread.is_alive(), "the second writer did not wait"
        thread.join(timeout=30)
        assert seen == [1] and first.count_articles() == 2
    finally:
        first.close()
        second.close()


def test_schema_versions_are_recorded_and_a_newer_one_is_refused(db_url: str) -> None:
    assert len(PG_MIGRATIONS) == len(MIGRATIONS), "every migration needs its PostgreSQL twin"
    store = open_store(db_url)
    assert store.dialect.version(store.db) == len(MIGRATIONS)
    if store.dialect.name == "postgresql":
        rows = store.db.execute("SELECT version FROM corroborate_schema ORDER BY version")
        assert [r[0] for r in rows] == list(range(1, len(MIGRATIONS) + 1))
    with store.transaction():
        store.dialect.set_version(store.db, len(MIGRATIONS) + 1, "2030-01-01T00:00:00Z")
    store.close()
    with pytest.raises(StoreError, match="newer than this corroborate"):
        open_store(db_url)


def test_opening_twice_at_once_migrates_once(db_url: str) -> None:
    stores: list[Store] = []
    threads = [threading.Thread(target=lambda: stores.append(open_store(db_url))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(stores) == 3
    for s in stores:
        assert s.dialect.version(s.db) == len(MIGRATIONS)
        s.close()


@pytest.mark.postgres
def test_an_unreachable_server_or_a_foreign_database_is_a_clear_error(postgres_db: str) -> None:
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL at "
                       r"postgresql://who:\*\*\*@127.0.0.1:1/db") as err:
        open_store("postgresql://who:secret@127.0.0.1:1/db")
    assert "secret" not in str(err.value) and "is the server running" in str(err.value)
    import psycopg

    with psycopg.connect(postgres_db, autocommit=True) as con:
        con.execute("CREATE TABLE articles (x INTEGER)")
    with pytest.raises(StoreError, match="is it a PostgreSQL database written by corroborate"):
        open_store(postgres_db)


@pytest.mark.postgres
def test_a_lost_connection_is_opened_again_but_never_mid_transaction(postgres_db: str) -> None:
    import psycopg

    store = open_store(postgres_db)
    add(store, article(1))

    def drop_connection() -> None:
        with psycopg.connect(postgres_db, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE application_name = 'corroborate'")

    drop_connection()
    assert store.count_articles() == 1  # a new connection
    with pytest.raises(StoreError, match="lost the connection.*run the same command again"):
        with store.transaction():
            add(store, article(2))
            drop_connection()
            store.upsert_story("s-1", "never")
    assert store.count_articles() == 1 and store.count_stories() == 0
    with store.transaction():
        add(store, article(2))
    assert store.count_articles() == 2
    store.close()


def test_without_psycopg_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(StoreError, match=r"corroborate\[postgres\]"):
        open_store("postgresql://localhost/news")
    with pytest.raises(StoreError, match="postgresql:// URL"):
        open_store("mysql://localhost/news")


def test_the_dialect_helpers() -> None:
    assert placeholders("SELECT 1 WHERE a LIKE '%x' AND b = ?") == \
        "SELECT 1 WHERE a LIKE '%%x' AND b = %s"
    assert ts_query(query_words("dock* Workers")) == "'dock':* & 'Workers'"
    assert redact("postgresql://ann:pw@db.example:5432/news") == \
        "postgresql://ann:***@db.example:5432/news"
    assert redact("postgresql://ann@db/news") == "postgresql://ann@db/news"
    row = Row((1, "x"), {"n": 0, "s": 1})
    assert row[0] == row["n"] == 1 and dict(row) == {"n": 1, "s": "x"} and tuple(row) == (1, "x")


def test_text_with_nul_characters_is_stored(store: Store) -> None:
    add(store, article(1, text="Ferry\x00 cuts announced."))
    text = store.article(aid(1)).text
    assert text == ("Ferry\x00 cuts announced." if store.dialect.name == "sqlite" else
                    "Ferry\ufffd cuts announced.")  # PostgreSQL text cannot hold NUL


def test_a_batch_reads_only_the_originals_near_its_dates(db_url: str) -> None:
    store = open_store(db_url)
    dated = {"a-jan": "2025-01-10", "a-mar": "2025-03-02", "a-old": "2019-06-01", "a-none": None}
    with store.transaction():
        for article_id, published in dated.items():
            article = Article(id=article_id, source=f"{article_id}.txt", format="text",
                              content=article_id, text=f"text of {article_id}",
                              published=published, story_id="s-" + article_id)
            store.add_article(article, np.zeros(4, dtype=np.uint64),
                              np.ones(8, dtype=np.float32), [], {"k"})
    members, vectors = store.members("2025-01-01", "2025-02-01")
    assert {m.id for m in members} == {"a-jan", "a-none"} and vectors.shape == (2, 8)
    assert {m.id for m in store.members()[0]} == set(dated)
    assert store.latest_published() == "2025-03-02"


def test_a_touched_story_joins_the_stored_storyline_it_links_to_up_to_the_cap(
        db_settings: Settings) -> None:
    from corroborate.pipeline import _update_storylines
    from corroborate.stories import StoryIndex, storyline_id_for

    store = open_store(db_settings.db)
    index = StoryIndex([], np.zeros((0, 0), dtype=np.float32))
    for story in ("s-a", "s-b", "s-c"):  # three stories about one strike, weeks apart
        index.add(Member("a" + story, story, "2026-02-02", frozenset({"port", "union"})),
                  np.array([1.0, 0.0], dtype=np.float32))
    with store.transaction():
        for story in ("s-a", "s-b", "s-c", "s-e", "s-f"):
            store.upsert_story(story, story)
        store.set_storylines({"s-a": "l-ab", "s-b": "l-ab", "s-e": "l-kept", "s-f": "l-kept"})
        _update_storylines(store, index, ["s-c"], db_settings.with_(storyline_max_stories=2))
    lines = {s["id"]: s["storyline_id"] for s in store.stories()}
    assert lines == {"s-a": "l-ab", "s-b": "l-ab", "s-c": None,  # full: s-c stays alone
                     "s-e": "l-kept", "s-f": "l-kept"}
    assert sorted(store.links(["s-c"])) == [("s-a", "s-c"), ("s-b", "s-c")]  # links are kept
    with store.transaction():
        _update_storylines(store, index, ["s-c"], db_settings.with_(storyline_max_stories=3))
    lines = {s["id"]: s["storyline_id"] for s in store.stories()}
    grown = storyline_id_for(["s-a", "s-b", "s-c"])
    assert lines == {"s-a": grown, "s-b": grown, "s-c": grown,
                     "s-e": "l-kept", "s-f": "l-kept"}  # untouched storylines stay as they were
    assert store.storyline_members([grown, "l-kept"]) == {grown: ["s-a", "s-b", "s-c"],
                                                          "l-kept": ["s-e", "s-f"]}
