"""The run as a whole: stored once, incremental, bad input isolated, crash-safe and resumable,
and safe with two writers at once; on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from corroborate.bench import default_sources, generate
from corroborate.errors import StoreError
from corroborate.ingest import read_all
from corroborate.pipeline import ingest
from corroborate.records import Article
from corroborate.settings import Settings
from corroborate.store import open_store

from .conftest import EXAMPLES

pytestmark = pytest.mark.slow
ARTICLES = EXAMPLES / "articles"


def partition(db: str) -> set[frozenset[str]]:
    store = open_store(db)
    rows = store.db.execute("SELECT story_id, id FROM articles").fetchall()
    store.close()
    groups: dict[str, set[str]] = {}
    for story, article in rows:
        groups.setdefault(story, set()).add(article)
    return {frozenset(g) for g in groups.values()}


def assert_consistent(db: str) -> None:
    """Every article in a story, every story's counts right, every band of a stored article."""
    if "://" not in db:
        with sqlite3.connect(db) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store = open_store(db)
    for broken in ("SELECT COUNT(*) FROM articles a LEFT JOIN stories s ON s.id = a.story_id "
                   "WHERE s.id IS NULL",
                   "SELECT COUNT(*) FROM stories s WHERE s.articles <> "
                   "(SELECT COUNT(*) FROM articles a WHERE a.story_id = s.id)",
                   "SELECT COUNT(*) FROM lsh_bands b LEFT JOIN articles a ON a.id = b.article_id "
                   "WHERE a.id IS NULL"):
        assert store.db.execute(broken).fetchone()[0] == 0, broken
    store.close()


def test_reingest_is_a_no_op_that_says_so(db_settings: Settings) -> None:
    settings = db_settings
    store = open_store(settings.db)
    first = ingest([str(ARTICLES)], store, settings)
    again = ingest([str(ARTICLES)], store, settings)
    assert len(first.added) == 19 and not first.failed
    assert again.added == [] and len(again.already) == 19
    assert "19 already stored (skipped)" in again.summary()
    assert store.count_articles() == 19


def test_incremental_ingest_matches_one_run(db_settings: Settings,
                                            any_db: Callable[[str], str]) -> None:
    settings = db_settings
    whole = open_store(settings.db)
    ingest([str(ARTICLES)], whole, settings)
    parts_db = any_db("parts")
    parts = open_store(parts_db)
    ingest([str(ARTICLES / "valmora-port-strike"), str(ARTICLES / "ardenza-rate-hike")], parts,
           settings)
    before = {s["id"] for s in parts.stories()}
    later = ingest([str(ARTICLES / "valmora-port-talks"), str(ARTICLES / "wire.jsonl"),
                    str(ARTICLES / "feeds")], parts, settings)
    assert before <= {s["id"] for s in parts.stories()}  # existing stories keep their ids
    assert later.new_stories and later.stories - later.new_stories  # joined old, opened new
    assert partition(settings.db) == partition(parts_db)


def test_bad_inputs_are_reported_and_the_rest_is_stored(db_settings: Settings,
                                                        tmp_path: Path) -> None:
    settings = db_settings
    folder = tmp_path / "in"
    shutil.copytree(ARTICLES / "ardenza-rate-hike", folder)
    (folder / "empty.txt").write_text("")
    (folder / "bad.jsonl").write_text('{"text": "Fine line about the port strike today."}\n[1, 2]\n')
    (folder / "chrome.txt").write_text("Leave a Reply\nShare this article\n×\n")
    store = open_store(settings.db)
    result = ingest([str(folder)], store, settings)
    reasons = {Path(r.source.split(":")[0]).name: r.reason for r in result.rejected}
    assert set(reasons) == {"empty.txt", "bad.jsonl", "chrome.txt"}
    assert "JSON object" in reasons["bad.jsonl"]
    assert "site chrome" in reasons["chrome.txt"]
    assert store.count_articles() == 4  # 3 pages + the good JSONL line
    assert {r.source for r in store.rejections()} == {r.source for r in result.rejected}


def _cli(*args: str, db: str, batch_size: int = 1) -> list[str]:
    return [sys.executable, "-m", "corroborate", *args, "--db", db, "--set",
            f"batch_size={batch_size}"]


def test_killed_run_resumes_to_the_same_result(any_db: Callable[[str], str]) -> None:
    clean_db, killed_db = any_db("clean"), any_db("killed")
    subprocess.run(_cli("ingest", str(ARTICLES), db=clean_db), check=True, capture_output=True)
    proc = subprocess.Popen(_cli("ingest", str(ARTICLES), db=killed_db),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and _stored(killed_db) < 5:  # kill it once some, but not all,
        time.sleep(0.05)                                         # batches are committed
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert_consistent(killed_db)
    stored = _stored(killed_db)
    assert 5 <= stored < 19, "the run was not killed mid-way"
    rerun = subprocess.run(_cli("ingest", str(ARTICLES), db=killed_db), capture_output=True,
                           text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{stored} already stored" in rerun.stderr
    store = open_store(killed_db)
    assert tuple(store.db.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM articles"
                                  ).fetchone()) == (19, 19)
    store.close()
    assert partition(killed_db) == partition(clean_db)


def test_two_writers_at_once_store_everything_once(any_db: Callable[[str], str]) -> None:
    """Two processes ingesting the same articles into one database take turns batch by batch:
    each article is stored once, in the stories one run alone gives."""
    alone, shared = any_db("alone"), any_db("shared")
    subprocess.run(_cli("ingest", str(ARTICLES), db=alone), check=True, capture_output=True)
    open_store(shared).close()  # created before both start
    runs = [subprocess.Popen(_cli("ingest", str(ARTICLES), db=shared, batch_size=3),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    assert_consistent(shared)
    assert _stored(shared) == 19
    assert partition(shared) == partition(alone)


def test_ctrl_c_rolls_back_the_batch_and_says_how_to_resume(tmp_path: Path, settings: Settings,
                                                           any_db: Callable[[str], str]) -> None:
    db = any_db("int")
    corpus = tmp_path / "corpus"
    generate(60, corpus, default_sources(), settings, seed=5)
    # a child of a background job inherits an ignored SIGINT: give it the default back, as a
    # terminal would, so that Python turns the signal into KeyboardInterrupt
    proc = subprocess.Popen(_cli("ingest", str(corpus), db=db), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 120
    while time.time() < deadline and _stored(db) < 2:  # interrupt it once it is under way
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.fail("the run finished before it could be interrupted")
    assert proc.returncode == 130
    assert "run the same command again to resume" in err
    assert_consistent(db)
    stored = _stored(db)
    assert 2 <= stored < 60
    rerun = subprocess.run(_cli("ingest", str(corpus), db=db), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{stored} already stored" in rerun.stderr
    assert _stored(db) == 60


def _stored(db: str) -> int:
    if "://" not in db and not Path(db).exists():
        return 0
    try:
        store = open_store(db)
    except StoreError:  # being created
        return 0
    try:
        return store.count_articles()
    finally:
        store.close()


def test_same_wording_years_apart_is_not_a_copy(db_settings: Settings, tmp_path: Path) -> None:
    """A near duplicate counts as a copy only when dated within story_window_days of its
    original: an outlet reusing last year's wording for this year's event is a new report."""
    import json

    base = (ARTICLES / "valmora-port-strike" / "01-harbor-ledger.txt").read_text(encoding="utf-8")
    text = "\n".join(base.splitlines()[3:])
    rows = [{"text": text, "outlet": "Harbor Ledger", "published": "2024-02-02"},
            {"text": text + "\n\nUpdated at 18:00.", "outlet": "Coastal Reprints",
             "published": "2024-02-03"},
            {"text": text + "\n\nFirst published in 2024.", "outlet": "Coastal Reprints",
             "published": "2026-02-03"}]
    dump = tmp_path / "dump.jsonl"
    dump.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = ingest([str(dump)], open_store(db_settings.db), db_settings)
    first, next_day, two_years_on = result.added
    assert result.duplicates == {next_day: first}
    assert two_years_on not in result.duplicates


def test_worker_processes_give_the_same_result_as_one_process(settings: Settings,
                                                             tmp_path: Path) -> None:
    from corroborate.pipeline import PARALLEL_MIN, Workers, prepare

    corpus = tmp_path / "corpus"
    generate(70, corpus, default_sources(), settings, seed=11)
    alone = settings.with_(workers=1, db=str(tmp_path / "alone.db"))
    pooled = settings.with_(workers=2, batch_size=70, db=str(tmp_path / "pooled.db"))
    one = ingest([str(corpus)], open_store(alone.db), alone)
    two = ingest([str(corpus)], open_store(pooled.db), pooled)
    assert sorted(one.added) == sorted(two.added) and len(one.added) == 70
    assert one.duplicates == two.duplicates and one.duplicates
    assert partition(alone.db) == partition(pooled.db)
    with sqlite3.connect(alone.db) as a, sqlite3.connect(pooled.db) as b:
        query = "SELECT id, nlp, story_id FROM articles ORDER BY id"
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
        # the briefs were built by the workers, one storyline each, as one process builds them
        query = "SELECT story_id, scope, contested, updated, body FROM briefs ORDER BY story_id"
        briefs = a.execute(query).fetchall()
        assert briefs == b.execute(query).fetchall()
        assert len(briefs) == a.execute("SELECT COUNT(*) FROM stories").fetchone()[0] > 1

    articles = [a for a in read_all([str(corpus)], settings) if isinstance(a, Article)]
    sample = articles[:PARALLEL_MIN]
    with Workers(pooled) as workers:
        job = workers.prepare(sample, set())
        assert workers.pool is not None  # it really ran in other processes
        remote, _ = job.get()
    local, _ = prepare(sample, set(), pooled)
    assert [p.article for p in remote] == [p.article for p in local]
    assert all((r.signature == x.signature).all() for r, x in zip(remote, local, strict=True))


def test_a_syndicated_copy_takes_the_analysis_of_its_twin(settings: Settings) -> None:
    from corroborate.pipeline import _analyse

    text = (ARTICLES / "valmora-port-strike" / "01-harbor-ledger.txt").read_text(encoding="utf-8")
    body = "\n\n".join(p for p in text.split("\n\n")[1:] if p.strip())
    original = Article(id="a-1", source="one.txt", format="text", content=body, text=body,
                       published="2024-02-02", outlet="Harbor Ledger")
    copy = replace(original, id="a-2", source="two.txt", outlet="Coastal Reprints")
    later = replace(original, id="a-3", source="three.txt", published="2024-03-09")
    rejected: list = []  # type: ignore[type-arg]
    done = _analyse([original, copy, later], rejected)
    assert not rejected and [a.id for a in done] == ["a-1", "a-2", "a-3"]
    assert done[1].claims == done[0].claims and done[1].claims
    assert done[1].outlet == "Coastal Reprints" and done[1].source == "two.txt"
    # another date resolves "Tuesday" differently: analysed on its own
    assert [d.value for d in done[2].dates] != [d.value for d in done[0].dates]


def _claims(db: str, settings: Settings) -> set[tuple[str, str, str, str]]:
    """Every story's claims as (first article of the story, kind, subject, verdict)."""
    from corroborate.report import build_report

    store = open_store(db)
    try:
        report = build_report(store, settings)
    finally:
        store.close()
    first = {s["id"]: min(a["id"] for a in report["articles"] if a["story_id"] == s["id"])
             for s in report["stories"]}
    return {(first[s["id"]], c["kind"], c["subject"], c["verdict"])
            for s in report["stories"] for c in s["claims"]}


def _gone(group: int, within: float) -> bool:
    """Whether every process of a process group has ended (killed or exited) within seconds."""
    deadline = time.time() + within
    while time.time() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_fifty_sigkills_at_random_moments_lose_nothing(tmp_path: Path, settings: Settings) -> None:
    """SIGKILL the ingest 50 times at random moments (loading models, reading, in the middle of a
    batch's transaction, building briefs), resuming each time: the database is never corrupt or
    half-written, its workers never outlive it, and the end result is that of a clean run."""
    corpus = tmp_path / "corpus"
    generate(360, corpus, default_sources(), settings, seed=11)
    clean_db, killed_db = str(tmp_path / "clean.db"), str(tmp_path / "killed.db")
    # the uninterrupted run goes on beside the trials, on the core they leave free
    clean = subprocess.Popen(_cli("ingest", str(corpus), db=clean_db, batch_size=4),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rng = random.Random(50)
    progress = []
    for trial in range(50):
        before = _stored(killed_db)
        proc = subprocess.Popen(_cli("ingest", str(corpus), db=killed_db, batch_size=4),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        if trial % 5 == 0:  # at any moment of the start: imports, models, the worker pool
            time.sleep(rng.uniform(0.1, 4.0))
        else:  # once the run is writing: after its first batch, anywhere in the next ones
            deadline = time.time() + 120
            while time.time() < deadline and proc.poll() is None and _stored(killed_db) <= before:
                time.sleep(0.02)
            time.sleep(rng.uniform(0, 0.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _gone(proc.pid, 30), "a worker process outlived the killed ingest"
        assert_consistent(killed_db)
        progress.append(_stored(killed_db))
    clean.wait()
    total = _stored(clean_db)
    assert progress == sorted(progress), progress  # nothing committed is ever lost
    assert sum(0 < n < total for n in progress) >= 35, progress  # most kills were mid-run
    final = subprocess.run(_cli("ingest", str(corpus), db=killed_db, batch_size=4),
                           capture_output=True, text=True)
    assert final.returncode == clean.returncode, final.stderr
    assert_consistent(killed_db)
    with sqlite3.connect(killed_db) as con:
        total, distinct = con.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM articles"
                                      ).fetchone()
    assert total == distinct == _stored(clean_db)
    assert partition(killed_db) == partition(clean_db)
    assert _claims(killed_db, settings) == _claims(clean_db, settings)


REFINE = Path(__file__).parent / "data" / "refine" / "flight-and-vote.jsonl"


@pytest.mark.parametrize("batch_size", [200, 1])
def test_a_first_report_that_recalls_another_event_does_not_keep_its_reports(
        settings: Settings, any_db: Callable[[str], str], batch_size: int) -> None:
    """Fictional: an election report that recalls the president's flight comes first, so the
    flight's four reports (and a copy of one) join its story on arrival; the election's own two
    reports open another. Refining after each batch moves the first report to the election's
    story, in one batch and one article at a time, and the database stays consistent. Without
    refining the mistake stays."""
    def stories(settings: Settings) -> set[frozenset[str]]:
        store = open_store(settings.db)
        ingest([str(REFINE)], store, settings)
        rows = store.db.execute("SELECT url, story_id FROM articles").fetchall()
        store.close()
        assert_consistent(settings.db)
        groups: dict[str, set[str]] = {}
        for url, story in rows:
            groups.setdefault(story, set()).add(url.split("//")[1].split(".")[0] + url[-3:])
        return {frozenset(g) for g in groups.values()}

    settings = settings.with_(batch_size=batch_size, db=any_db("refined"))
    flight = frozenset({"b/f1", "c/f1", "d/f2", "e/f3", "ee/f4"})
    assert stories(settings) == {flight, frozenset({"a/e1", "f/e2", "g/e3"})}
    unrefined = settings.with_(story_refine_rounds=0, db=any_db("unrefined"))
    assert stories(unrefined) == {flight | {"a/e1"}, frozenset({"f/e2", "g/e3"})}
