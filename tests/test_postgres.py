"""The commands and the server on a PostgreSQL database give what they give on SQLite."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from corroborate.api import create_app
from corroborate.cli import main
from corroborate.report import validate
from corroborate.settings import load

from .conftest import EXAMPLES, served
from .test_http_api import NEW_ARTICLE

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def verdicts(report: dict) -> dict[str, list[tuple[str, str, str]]]:
    return {s["id"]: sorted((c["kind"], c["subject"], c["verdict"]) for c in s["claims"])
            for s in report["stories"]}


def test_ingest_and_report_give_the_stories_and_verdicts_of_sqlite(postgres_db: str,
                                                                    example_report: dict) -> None:
    code, _, err = run("ingest", str(EXAMPLES / "articles"), "--db", postgres_db)
    assert code == 0 and "19 article(s) added" in err, err
    code, out, _ = run("report", "--format", "json", "--db", postgres_db)
    report = json.loads(out)
    validate(report)
    assert [(s["id"], s["title"], s["article_ids"]) for s in report["stories"]] == \
        [(s["id"], s["title"], s["article_ids"]) for s in example_report["stories"]]
    assert verdicts(report) == verdicts(example_report)
    assert {k: v for k, v in report.items() if k != "generated_at"} == \
        {k: v for k, v in example_report.items() if k != "generated_at"}

    code, listing, _ = run("stories", "--json", "--db", postgres_db)
    assert [r["id"] for r in json.loads(listing)] == [s["id"] for s in report["stories"]]
    story = report["stories"][0]["id"]
    code, shown, _ = run("show", story[:6], "--db", postgres_db)
    assert code == 0 and f"`{story}`" in shown
    code, _, err = run("ingest", str(EXAMPLES / "articles"), "--db", postgres_db)
    assert code == 0 and "19 already stored" in err


def test_the_api_reads_and_writes_on_postgres(postgres_db: str) -> None:
    assert run("ingest", str(EXAMPLES / "articles"), "--db", postgres_db)[0] == 0
    client = TestClient(create_app(load(env={}, db=postgres_db, progress=False)),
                        base_url="http://127.0.0.1")
    health = client.get("/health").json()
    assert (health["articles"], health["stories"], health["briefs_pending"]) == (19, 3, 0)
    contested = client.get("/api/claims", params={"verdict": "contested"}).json()
    assert contested["total"] > 0
    found = client.get("/api/search", params={"q": "dockworkers"}).json()
    assert found["total"] >= 5
    added = client.post("/api/articles", json=NEW_ARTICLE)
    assert added.status_code == 201, added.text
    body = added.json()
    story = client.get(f"/api/stories/{body['stories'][0]}").json()
    assert body["added"][0] in story["article_ids"]
    assert "Valmora" in client.get("/").text
    assert client.get(f"/articles/{body['added'][0]}").status_code == 200
    client.app.state.service.close()


def test_serve_answers_over_postgres(postgres_db: str) -> None:
    assert run("ingest", str(EXAMPLES / "articles"), "--db", postgres_db)[0] == 0
    with served(postgres_db, "--workers", "2", timeout=60) as (port, health, stderr):
        assert health["stories"] == 3
    assert any(f"serving {postgres_db} on http://127.0.0.1:{port}/" in line for line in stderr)


def test_an_unreachable_server_is_one_line_on_stderr() -> None:
    code, _, err = run("stories", "--db", "postgresql://ann:secret@127.0.0.1:1/news")
    assert code == 1 and "Traceback" not in err and "secret" not in err
    assert err.startswith("error: cannot connect to PostgreSQL at postgresql://ann:***@127.0.0.1:1")
