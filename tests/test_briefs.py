"""Stored briefs: built after ingest, dropped when their storyline changes, rebuilt on demand,
and identical to what a fresh build gives (on SQLite and PostgreSQL); the schema migration that
adds them and search."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from corroborate.pipeline import ingest
from corroborate.report import build_briefs, fingerprint, story_briefs
from corroborate.settings import Settings
from corroborate.store import MIGRATIONS, PG_MIGRATIONS, fts_query, open_store

from .conftest import EXAMPLES, copy_db

pytestmark = pytest.mark.slow
STRIKE = EXAMPLES / "articles" / "valmora-port-strike"
TALKS = EXAMPLES / "articles" / "valmora-port-talks"


def test_ingest_builds_the_briefs_it_touches_and_drops_stale_ones(db_settings: Settings) -> None:
    settings = db_settings
    store = open_store(settings.db)
    first = ingest([str(STRIKE)], store, settings)
    key = fingerprint(settings)
    (strike,) = first.stories
    assert store.stale_briefs(key) == []
    before = json.loads(store.brief(strike, key) or "{}")
    assert set(before["article_ids"]) == set(first.added)
    # the talks join the strike's storyline: the strike's brief is cross-checked anew with them
    second = ingest([str(TALKS)], store, settings)
    assert strike not in second.stories
    assert store.db.execute("SELECT storyline_id FROM stories WHERE id = ?",
                            (strike,)).fetchone()[0] is not None
    after = json.loads(store.brief(strike, key) or "{}")
    cited = {i for c in after["claims"] for v in c["values"] for i in v["article_ids"]}
    assert cited & set(second.added), "claims are now checked across the storyline"
    assert after != before
    fresh = build_briefs(store, settings, [strike])[strike]
    assert fresh == after
    # each claim of the storyline is shown once, in one story's brief
    (talks,) = second.stories
    other = json.loads(store.brief(talks, key) or "{}")
    assert other["claims"] and after["claims"]
    assert not {c["id"] for c in after["claims"]} & {c["id"] for c in other["claims"]}


def test_a_missing_or_stale_brief_is_built_when_asked_for(db_settings: Settings) -> None:
    settings = db_settings
    store = open_store(settings.db)
    result = ingest([str(STRIKE)], store, settings)
    (strike,) = result.stories
    stored = json.loads(store.brief(strike, fingerprint(settings)) or "{}")
    with store.transaction():
        store.drop_briefs([strike])
    assert store.brief(strike, fingerprint(settings)) is None
    assert story_briefs(store, settings, [strike]) == [stored]
    assert store.brief(strike, fingerprint(settings)) is not None
    other = settings.with_(summary_sentences=2)
    assert store.stale_briefs(fingerprint(other)) == [strike]
    assert len(story_briefs(store, other, [strike])[0]["summary"]) == 2


def test_claims_table_follows_the_briefs(db_settings: Settings) -> None:
    settings = db_settings
    store = open_store(settings.db)
    ingest([str(STRIKE)], store, settings)
    total, claims = store.claims(verdict="contested", limit=500)
    brief = story_briefs(store, settings, [r["id"] for r in store.stories()])[0]
    assert total == len(claims) == sum(c["verdict"] == "contested" for c in brief["claims"])
    assert {c["id"] for c in claims} <= {c["id"] for c in brief["claims"]}


def test_version_1_database_is_migrated_with_its_articles_searchable(examples_db: Path,
                                                                     tmp_path: Path) -> None:
    db = copy_db(examples_db, tmp_path / "old.db")
    with sqlite3.connect(db) as con:  # take it back to schema version 1
        for trigger in ("articles_search_insert", "articles_search_delete"):
            con.execute(f"DROP TRIGGER {trigger}")
        for table in ("article_search", "briefs", "story_claims"):
            con.execute(f"DROP TABLE {table}")
        con.execute("DROP INDEX articles_outlet")
        con.execute("DROP INDEX stories_first_seq")
        con.execute("DROP INDEX articles_members")  # and of migration 3
        con.execute("DROP INDEX story_links_b")
        con.execute("DROP INDEX stories_storyline")  # and of migration 4
        con.execute("DROP TABLE term_counts")  # and of migration 5
        for column in ("terms", "event_date", "event_weekday"):  # of migrations 5 and 6
            con.execute(f"ALTER TABLE articles DROP COLUMN {column}")
        for column in ("articles", "outlets", "first_published", "last_published", "first_seq"):
            con.execute(f"ALTER TABLE stories DROP COLUMN {column}")
        con.execute("PRAGMA user_version = 1")
    store = open_store(db)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 6
    total, rows = store.search("dockworkers")
    assert total >= 5 and all(r["id"].startswith("a-") for r in rows)
    assert len(store.stale_briefs("any")) == 3
    total, rows = store.story_page(sort="articles", descending=True)  # counts filled in
    assert total == 3 and [r["articles"] for r in rows] == [7, 6, 6]


@pytest.mark.postgres
def test_version_1_postgres_database_is_migrated_with_its_articles_searchable(
        postgres_db: str) -> None:
    import corroborate

    corroborate.analyze([str(EXAMPLES / "articles")], db=postgres_db).close()
    store = open_store(postgres_db)
    with store.transaction():  # take it back to schema version 1
        for statement in ("ALTER TABLE articles DROP COLUMN search", "DROP TABLE briefs",
                          "DROP TABLE story_claims", "DROP INDEX articles_outlet",
                          "DROP INDEX stories_first_seq", "DROP INDEX articles_members",
                          "DROP INDEX story_links_b", "DROP INDEX stories_storyline",
                          "DROP TABLE term_counts", "ALTER TABLE articles DROP COLUMN terms",
                          "ALTER TABLE articles DROP COLUMN event_date",
                          "ALTER TABLE articles DROP COLUMN event_weekday",
                          "DELETE FROM corroborate_schema WHERE version >= 2"):
            store.db.execute(statement)
        for column in ("articles", "outlets", "first_published", "last_published", "first_seq"):
            store.db.execute(f"ALTER TABLE stories DROP COLUMN {column}")
    store.close()
    store = open_store(postgres_db)
    assert store.dialect.version(store.db) == len(PG_MIGRATIONS) == 6
    total, rows = store.search("dockworkers")
    assert total >= 5 and all(r["id"].startswith("a-") for r in rows)
    assert len(store.stale_briefs("any")) == 3
    total, rows = store.story_page(sort="articles", descending=True)  # counts filled in
    assert total == 3 and [r["articles"] for r in rows] == [7, 6, 6]
    store.close()


def test_search_queries_cannot_be_fts_syntax() -> None:
    assert fts_query('strike" OR (pay') == '"strike" "OR" "pay"'
    assert fts_query("dock*  workers") == '"dock"* "workers"'
    assert fts_query("*** ()") == ""


def test_a_brief_keeps_at_most_twenty_sentences_per_value_own_articles_first() -> None:
    from corroborate.report.brief import EVIDENCE_KEPT, bounded

    evidence = [{"article_id": f"a-{n:016x}", "sentence": f"Sentence {n}.", "origin": f"Outlet {n % 30}"}
                for n in range(60)]
    claim = {"id": "c-1", "values": [{"value": "35%", "article_ids": [e["article_id"] for e in evidence],
                                      "evidence": evidence}]}
    own = {"a-0000000000000037"}  # article 55, from this story
    kept = bounded(claim, own)["values"][0]
    assert len(kept["evidence"]) == EVIDENCE_KEPT == 20 and kept["evidence_total"] == 60
    assert kept["article_ids"] == claim["values"][0]["article_ids"]
    ids = [e["article_id"] for e in kept["evidence"]]
    assert "a-0000000000000037" in ids  # the story's own sentence is never left out
    assert len({e["origin"] for e in kept["evidence"]}) == 20  # one per origin before repeats
    assert ids == sorted(ids)  # in their original order
    small = {"id": "c-2", "values": [{"value": "x", "article_ids": [], "evidence": evidence[:3]}]}
    assert bounded(small, set()) == small


def test_each_claim_of_a_storyline_has_one_home() -> None:
    from corroborate.report import homes

    def claim(cid: str, verdict: str, *cited: list[str]) -> dict:
        return {"id": cid, "verdict": verdict,
                "values": [{"value": str(n), "article_ids": ids} for n, ids in enumerate(cited)]}

    stories = {"s-strike": {"a-1", "a-2"}, "s-talks": {"a-3", "a-4", "a-5"}}
    claims = [claim("c-wage", "corroborated", ["a-1", "a-3", "a-4"]),  # talks cite it twice
              claim("c-ships", "single_source", ["a-2"]),
              claim("c-tie", "corroborated", ["a-3", "a-1"]),  # a tie: the storyline's first story
              # updated: the story giving the current value, though the earlier one is cited more
              claim("c-rate", "updated", ["a-1", "a-2"], ["a-5"]),
              claim("c-pay", "contested", ["a-1", "a-2"], ["a-3"])]
    assert homes(claims, stories) == {"c-wage": "s-talks", "c-ships": "s-strike",
                                      "c-tie": "s-strike", "c-rate": "s-talks", "c-pay": "s-strike"}
