"""The HTTP API over the bundled examples: reads, writes, errors and limits (FastAPI's client)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from corroborate.api import create_app
from corroborate.report import validate
from corroborate.settings import Settings, load

from .conftest import EXAMPLES, copy_db, served

pytestmark = pytest.mark.slow

NEW_ARTICLE = {
    "title": "Valmora strike enters third day as ships queue offshore",
    "outlet": "Sandbar Times",
    "published": "2026-02-04",
    "text": (
        "About 12,000 dockworkers at the Port of Valmora stayed off the job for a third day on "
        "Wednesday, and 52 vessels were waiting at anchor outside the harbour.\n\n"
        "Transport Minister Lena Ostrova said she would meet both sides again on Thursday. "
        "The Estravian Dockworkers' Union is demanding a 9% pay rise; the port authority has "
        "offered 3%.\n\n"
        "Tomas Reyna, the union's general secretary, said members would not return to work "
        "without a written offer."),
}


def _settings(db: Path, **changes: object) -> Settings:
    return load(env={}, db=str(db), progress=False, **changes)


@pytest.fixture(scope="module")
def client(examples_db: Path) -> TestClient:
    """Read-only tests share the examples database."""
    return TestClient(create_app(_settings(examples_db)), base_url="http://127.0.0.1")


@pytest.fixture
def writable(examples_db: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A client over a private copy of the examples database, for tests that write."""
    def make(public: bool = False, **changes: object) -> TestClient:
        db = copy_db(examples_db, tmp_path / f"copy-{len(list(tmp_path.iterdir()))}.db")
        return TestClient(create_app(_settings(db, **changes), public=public),
                          base_url="http://127.0.0.1")
    return make


def _story_by_title(client: TestClient, words: str) -> dict:
    stories = client.get("/api/stories").json()["stories"]
    return next(s for s in stories if words in s["title"])


def test_health_counts_what_the_database_holds(client: TestClient, example_report: dict) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["articles"] == len(example_report["articles"])
    assert body["stories"] == len(example_report["stories"]) == 3
    assert body["briefs_pending"] == 0
    assert body["writes"] == "open (localhost)"


def test_story_list_has_dates_outlets_and_claim_counts(client: TestClient) -> None:
    body = client.get("/api/stories").json()
    assert body["total"] == 3
    strike = _story_by_title(client, "dockworkers walk out")
    assert strike["first_published"] == "2026-02-02" and strike["articles"] == 7
    assert strike["claims"]["contested"] >= 1 and strike["claims"]["corroborated"] >= 1
    brief = client.get(f"/api/stories/{strike['id']}").json()
    verdicts = [c["verdict"] for c in brief["claims"]]
    assert strike["claims"] == {v: verdicts.count(v) for v in
                                ("corroborated", "single_source", "contested", "updated")}


def test_story_list_pages_filters_and_sorts(client: TestClient) -> None:
    everything = [s["id"] for s in client.get("/api/stories").json()["stories"]]
    page = client.get("/api/stories", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 3 and [s["id"] for s in page["stories"]] == everything[1:2]
    march = client.get("/api/stories", params={"since": "2026-03-01"}).json()["stories"]
    assert {s["title"][:20] for s in march} == {"Central bank raises ", "Port authority doubl"}
    february = client.get("/api/stories", params={"until": "2026-02-28"}).json()["stories"]
    assert [s["title"] for s in february] == ["Valmora dockworkers walk out as pay talks collapse",
                                              "Central bank raises rates to 4.5% as inflation hits nine-year high"]
    by_outlet = client.get("/api/stories", params={"outlet": "valmora evening star"}).json()
    assert by_outlet["total"] >= 1
    for story in by_outlet["stories"]:
        brief = client.get(f"/api/stories/{story['id']}").json()
        outlets = {client.get(f"/api/articles/{a}").json()["outlet"] for a in brief["article_ids"]}
        assert "Valmora Evening Star" in outlets
    contested = client.get("/api/stories", params={"contested": True}).json()["stories"]
    assert contested and all(s["claims"]["contested"] > 0 for s in contested)
    ranked = client.get("/api/stories", params={"sort": "corroborated", "order": "desc"}).json()
    counts = [s["claims"]["corroborated"] for s in ranked["stories"]]
    assert counts == sorted(counts, reverse=True)


def test_a_story_is_the_report_object(client: TestClient, example_report: dict) -> None:
    for expected in example_report["stories"]:
        got = client.get(f"/api/stories/{expected['id']}").json()
        assert got == expected
    strike = _story_by_title(client, "dockworkers walk out")
    report = {**example_report, "stories": [client.get(f"/api/stories/{strike['id']}").json()]}
    validate(report)


def test_contested_claims_across_stories(client: TestClient) -> None:
    body = client.get("/api/claims", params={"verdict": "contested", "kind": "role"}).json()
    assert body["total"] == len(body["claims"]) >= 1
    assert all(c["verdict"] == "contested" and c["kind"] == "role" for c in body["claims"])
    minister = next(c for c in body["claims"] if c["subject"] == "Transport Minister")
    names = {v["value"] for v in minister["values"]}
    assert {"Lena Ostrova", "Piotr Kasal"} <= names
    assert minister["story_title"]
    every = client.get("/api/claims", params={"limit": 500}).json()
    assert {c["verdict"] for c in every["claims"]} == {"corroborated", "single_source", "contested",
                                                       "updated"}


def test_article_has_clean_text_boilerplate_and_located_claims(client: TestClient,
                                                               example_report: dict) -> None:
    chrome = next(a for a in example_report["articles"] if a["boilerplate"])
    body = client.get(f"/api/articles/{chrome['id']}").json()
    assert body["text"] == chrome["text"] and body["boilerplate"] == chrome["boilerplate"]
    assert body["claims"]
    for claim in body["claims"]:
        assert body["text"][claim["start"]:claim["end"]] == claim["sentence"]
        assert claim["kind"] in {"quantity", "role", "quote", "attribution", "event", "date"}


def test_article_shows_the_day_of_the_event_it_reports(client: TestClient,
                                                       example_report: dict) -> None:
    from datetime import date

    seen = 0
    for a in example_report["articles"]:
        body = client.get(f"/api/articles/{a['id']}").json()
        day = body["event_date"] or body["published"]
        if day:
            seen += 1
            assert body["event_weekday"] == date.fromisoformat(day[:10]).strftime("%A")
    assert seen >= 10


def test_search_finds_words_and_marks_them(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "dockworkers automation"}).json()
    assert body["total"] >= 1
    for result in body["results"]:
        article = client.get(f"/api/articles/{result['id']}").json()
        words = {result["snippet"][a:b].lower() for a, b in result["matches"]}
        assert words <= {"dockworkers", "automation"} and words
        assert "dockworkers" in article["text"].lower() and "automation" in article["text"].lower()
    assert client.get("/api/search", params={"q": "zzyzx-nothing"}).json()["total"] == 0
    odd = client.get("/api/search", params={"q": 'strike" (pay* -'})
    assert odd.status_code == 200 and odd.json()["total"] >= 1


def test_errors_are_json_a_person_can_act_on(client: TestClient) -> None:
    missing = client.get("/api/stories/s-000000000000")
    assert missing.status_code == 404
    assert missing.json()["error"] == "not_found" and "s-000000000000" in missing.json()["message"]
    assert missing.json()["hint"]
    bad = client.get("/api/stories", params={"limit": 0})
    assert bad.status_code == 422
    assert bad.json()["fields"][0]["field"] == "limit" and "limit" in bad.json()["message"]
    wrong = client.get("/api/claims", params={"verdict": "maybe"})
    assert wrong.status_code == 422 and wrong.json()["fields"][0]["field"] == "verdict"
    assert client.get("/api/nothing").status_code == 404
    assert client.get("/api/nothing").json()["error"] == "http"


def test_openapi_docs_are_served_offline(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/claims", "/api/articles",
            "/api/articles/{article_id}", "/api/search", "/health"} <= set(spec["paths"])
    refs: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            refs.update(v for k, v in node.items() if k == "$ref")
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    assert {r.rsplit("/", 1)[1] for r in refs} <= set(spec["components"]["schemas"])
    post = spec["paths"]["/api/articles"]["post"]
    assert set(post["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert post["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorOut")
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static-docs/swagger-ui-bundle.js" in docs.text
    assert client.get("/static-docs/swagger-ui-bundle.js").status_code == 200
    inline = re.search(r"'sha256-[^']+'", docs.headers["content-security-policy"])
    assert inline, "the docs page's own inline script is allowed by its hash, nothing else"


def test_posting_an_article_updates_its_story(writable) -> None:  # type: ignore[no-untyped-def]
    client = writable()
    strike = _story_by_title(client, "dockworkers walk out")
    before = client.get(f"/api/stories/{strike['id']}").json()
    response = client.post("/api/articles", json=NEW_ARTICLE)
    assert response.status_code == 201, response.text
    body = response.json()
    assert len(body["added"]) == 1 and body["errors"] == []
    assert body["stories"] == [strike["id"]] and body["new_stories"] == []
    after = client.get(f"/api/stories/{strike['id']}").json()
    new_id = body["added"][0]
    assert new_id in after["article_ids"] and new_id not in before["article_ids"]
    vessels = [c for c in after["claims"] if any(new_id in v["article_ids"] for v in c["values"])]
    assert vessels, "the new article's claims are cross-checked into the brief"
    again = client.post("/api/articles", json=NEW_ARTICLE)
    assert again.status_code == 200 and again.json()["added"] == [] and again.json()["already_stored"]


def test_an_undated_article_shows_the_weekday_its_lead_names(writable) -> None:  # type: ignore[no-untyped-def]
    client = writable()
    undated = {k: v for k, v in NEW_ARTICLE.items() if k != "published"}
    body = client.post("/api/articles", json=[undated]).json()
    article = client.get(f"/api/articles/{body['added'][0]}").json()
    assert article["published"] is None and article["event_date"] is None
    assert article["event_weekday"] == "Wednesday"  # "for a third day on Wednesday"
    page = client.get(f"/articles/{body['added'][0]}").text
    assert "the event it reports took place on a Wednesday (from its lead)" in page


def test_posting_a_copy_reports_it_as_a_duplicate(writable, example_report: dict) -> None:  # type: ignore[no-untyped-def]
    client = writable()
    original = next(a for a in example_report["articles"] if a["outlet"] == "Harbor Ledger")
    copy = {"text": original["text"] + "\n\nThis article first appeared in the Harbor Ledger.",
            "outlet": "Coastal Reprints", "title": original["title"], "published": original["published"]}
    body = client.post("/api/articles", json=[copy]).json()
    assert body["duplicates"] == [{"id": body["added"][0], "duplicate_of": original["id"]}]
    page = client.get(f"/articles/{body['added'][0]}").text
    assert "A copy (exact, near-duplicate or syndicated) of" in page


def test_a_later_version_of_an_article_is_marked_as_such(writable, example_report: dict) -> None:  # type: ignore[no-untyped-def]
    client = writable()
    original = next(a for a in example_report["articles"] if a["outlet"] == "Harbor Ledger")
    later = {"text": original["text"].replace("12,000", "13,500"), "outlet": "Harbor Ledger",
             "title": original["title"], "published": "2026-02-03"}
    assert original["published"] == "2026-02-02" and "12,000" in original["text"]
    body = client.post("/api/articles", json=[later]).json()
    assert body["duplicates"] == [{"id": body["added"][0], "duplicate_of": original["id"]}]
    page = client.get(f"/articles/{body['added'][0]}").text
    assert "A later version (dated 2026-02-03, after 2026-02-02) of" in page
    assert "where its figures differ they are shown as updates" in page
    story = client.get(f"/api/stories/{body['stories'][0]}").json()
    changed = [c for c in story["claims"] if {"12,000", "13,500"} <= {v["value"].split()[0]
                                                                      for v in c["values"]}]
    assert changed and all(c["verdict"] == "updated" for c in changed)
    assert [v["value"].split()[0] for v in changed[0]["values"]] == ["12,000", "13,500"]


def test_uploading_files(writable) -> None:  # type: ignore[no-untyped-def]
    client = writable()
    page = next((EXAMPLES / "articles").rglob("*.html"))
    files = [("file", (page.name, page.read_bytes(), "text/html")),
             ("file", ("empty.txt", b"   ", "text/plain"))]
    # the page is already stored: it is skipped, and the empty file is named as the failure
    body = client.post("/api/articles", files=files).json()
    assert body["already_stored"] and body["added"] == []
    assert body["errors"] == [{"source": body["errors"][0]["source"], "error": "ingest: empty file"}]
    assert body["errors"][0]["source"].endswith("/empty.txt")
    fresh = page.read_text(encoding="utf-8").replace("</body>", "<p>Updated at 18:00.</p></body>")
    added = client.post("/api/articles", files=[("file", ("late.html", fresh.encode(), "text/html"))])
    assert added.status_code == 201 and added.json()["duplicates"], added.text


def test_bad_bodies_name_the_field(writable) -> None:  # type: ignore[no-untyped-def]
    client = writable()
    before = client.get("/health").json()["articles"]
    no_text = client.post("/api/articles", json=[NEW_ARTICLE, {"title": "Only a title"}])
    assert no_text.status_code == 422
    assert no_text.json()["fields"][0]["field"] == "body[1]"
    assert "'text' or 'html'" in no_text.json()["message"]
    typed = client.post("/api/articles", json={**NEW_ARTICLE, "title": 5})
    assert typed.status_code == 422 and typed.json()["fields"][0]["field"] == "body.title"
    unknown = client.post("/api/articles", json={**NEW_ARTICLE, "body": "x"})
    assert unknown.status_code == 422 and unknown.json()["fields"][0]["field"] == "body.body"
    broken = client.post("/api/articles", content=b"{not json", headers={"content-type": "application/json"})
    assert broken.status_code == 422 and broken.json()["fields"][0]["field"] == "body"
    other = client.post("/api/articles", content=b"x", headers={"content-type": "text/csv"})
    assert other.status_code == 415
    assert client.get("/health").json()["articles"] == before  # a bad request adds nothing


def test_limits_on_size_and_count(writable) -> None:  # type: ignore[no-untyped-def]
    small = writable(max_request_bytes=2000)
    assert small.post("/api/articles", json={**NEW_ARTICLE, "text": "word " * 1000}).status_code == 413
    few = writable(max_articles_per_request=2)
    many = few.post("/api/articles", json=[NEW_ARTICLE] * 3)
    assert many.status_code == 413 and "max_articles_per_request" in many.json()["hint"]


def test_writes_need_the_token_when_one_is_set_or_the_server_is_public(writable) -> None:  # type: ignore[no-untyped-def]
    guarded = writable(api_token="s3cret-token")
    assert guarded.post("/api/articles", json=NEW_ARTICLE).status_code == 401
    wrong = guarded.post("/api/articles", json=NEW_ARTICLE, headers={"authorization": "Bearer nope"})
    assert wrong.status_code == 401
    ok = guarded.post("/api/articles", json=NEW_ARTICLE,
                      headers={"authorization": "Bearer s3cret-token"})
    assert ok.status_code == 201
    public = writable(public=True)
    refused = public.post("/api/articles", json=NEW_ARTICLE)
    assert refused.status_code == 403 and "api_token" in refused.json()["hint"]
    assert public.get("/api/stories").status_code == 200  # reading stays open
    assert public.get("/health").json()["writes"] == "closed"


def test_cross_site_posts_are_refused(writable) -> None:  # type: ignore[no-untyped-def]
    client = writable()
    other = client.post("/api/articles", json=NEW_ARTICLE, headers={"origin": "https://evil.example"})
    assert other.status_code == 403 and other.json()["error"] == "cross_site"
    form = client.post("/api/articles", files=[("file", ("a.txt", b"Some text here.", "text/plain"))],
                       headers={"sec-fetch-site": "cross-site"})
    assert form.status_code == 403
    sandboxed = client.post("/api/articles", json=NEW_ARTICLE, headers={"origin": "null"})
    assert sandboxed.status_code == 403
    same = client.post("/api/articles", json=NEW_ARTICLE, headers={"origin": "http://127.0.0.1"})
    assert same.status_code == 201


def test_every_state_changing_endpoint_refuses_cross_site_requests(writable) -> None:  # type: ignore[no-untyped-def]
    """Enumerates the routes, so that an endpoint added later without the check fails here."""
    from fastapi.routing import APIRoute

    def routes(items: list) -> list[APIRoute]:  # type: ignore[type-arg]
        found = []
        for item in items:
            if isinstance(item, APIRoute):
                found.append(item)
            inner = getattr(item, "original_router", None) or getattr(item, "router", None)
            if inner is not None and hasattr(inner, "routes"):  # included routers
                found += routes(inner.routes)
        return found

    client = writable()
    writes = [(method, route.path) for route in routes(client.app.routes)
              for method in sorted(route.methods - {"GET", "HEAD", "OPTIONS"})]
    assert ("POST", "/api/articles") in writes
    for method, path in writes:
        for headers in ({"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"},
                        {"origin": "null"}):
            answer = client.request(method, path.replace("{", "x").replace("}", ""),
                                    json=NEW_ARTICLE, headers=headers)
            assert answer.status_code == 403, (method, path, headers)
    before = client.get("/health").json()["articles"]
    for path in ("/api/stories", "/api/claims", "/api/search", "/", "/health"):
        for method in ("POST", "PUT", "DELETE", "PATCH"):  # reads never take a write
            assert client.request(method, path, json=NEW_ARTICLE).status_code == 405, (method, path)
    assert client.get("/health").json()["articles"] == before


def test_a_local_server_answers_only_to_local_host_names(client: TestClient) -> None:
    rebound = client.get("/api/stories", headers={"host": "attacker.example"})
    assert rebound.status_code == 400
    assert client.get("/api/stories", headers={"host": "localhost:8000"}).status_code == 200


def test_pages_send_a_strict_content_security_policy(client: TestClient) -> None:
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "Page 1 of 1" in page.text and "Page 1 of 1" in client.get("/search?q=strike").text


HOSTILE = {
    "title": "<script>alert('title')</script>Harbour fire",
    "outlet": "<img src=x onerror=alert('outlet')>",
    "url": "javascript:alert('url')",
    "published": "2026-05-01",
    "text": ("A fire broke out at the Kessel harbour warehouse on Friday, and 40 firefighters "
             "fought it for six hours. <script>alert('text')</script>\n\n"
             "Fire chief Ana Moreno said nobody was hurt. <img src=x onerror=alert('img')> "
             "The warehouse held 2,000 tonnes of grain."),
}


def test_hostile_article_renders_as_inert_text(writable) -> None:  # type: ignore[no-untyped-def]
    client = writable()
    added = client.post("/api/articles", json=HOSTILE).json()
    article_id, story_id = added["added"][0], added["stories"][0]
    for path in (f"/articles/{article_id}", f"/stories/{story_id}", "/",
                 "/search?q=firefighters"):
        html = client.get(path).text
        assert "<script>alert" not in html, path
        assert not re.search(r"<img[^>]*onerror", html), path
    page = client.get(f"/articles/{article_id}").text
    assert "&lt;script&gt;alert(" in page
    assert 'href="javascript:' not in page


def test_examples_db_is_not_changed_by_the_tests(client: TestClient, example_report: dict) -> None:
    assert client.get("/health").json()["articles"] == len(example_report["articles"])
    assert client.get("/api/stories").json()["total"] == 3


def test_serve_command_answers_on_its_port(examples_db: Path, tmp_path: Path) -> None:
    import urllib.request

    db = copy_db(examples_db, tmp_path / "served.db")
    with served(str(db)) as (port, health, stderr):
        assert health["stories"] == 3 and health["writes"] == "open (localhost)"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert "Valmora dockworkers walk out" in r.read().decode()
    assert any(f"on http://127.0.0.1:{port}/" in line for line in stderr)


def test_serve_refuses_an_in_memory_database() -> None:
    from click.testing import CliRunner

    from corroborate.cli import main

    result = CliRunner().invoke(main, ["serve", "--db", ":memory:"])
    assert result.exit_code == 2 and "needs a database file" in result.output


def test_missing_briefs_are_built_in_the_background(writable) -> None:  # type: ignore[no-untyped-def]
    client = writable()
    service = client.app.state.service
    store = service.store()
    ids = [r["id"] for r in store.stories()]
    with store.transaction():
        store.drop_briefs(ids)
    listed = client.get("/api/stories").json()["stories"]
    assert all(s["claims"] is None for s in listed)  # shown as pending, not as zero
    assert client.get("/health").json()["briefs_pending"] == 3
    service.build_pending()
    assert client.get("/health").json()["briefs_pending"] == 0
    assert all(s["claims"] for s in client.get("/api/stories").json()["stories"])


def test_pages_answer_bad_requests_and_missing_ids_with_pages(client: TestClient) -> None:
    missing = client.get("/stories/s-nothing")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    assert "no story" in missing.text
    bad = client.get("/", params={"page": 0})
    assert bad.status_code == 400 and "text/html" in bad.headers["content-type"]
    assert "page" in bad.text
    odd = client.get("/", params={"since": "last tuesday"})
    assert odd.status_code == 200 and "is not a date like 2026-03-04" in odd.text
