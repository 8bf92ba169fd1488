"""The web pages in a real browser: Playwright driving Debian's Chromium against a live server.

``.ci/run`` installs Chromium with apt when it is missing. Set UPDATE_SCREENSHOTS=1 to write
the screenshots under docs/ (the README shows them); otherwise they go to a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from corroborate.api import create_app
from corroborate.settings import load

from .conftest import ROOT, copy_db

pytestmark = pytest.mark.slow

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("Debian's chromium is not installed: run `apt-get install -y chromium` "
                       "(.ci/run does this)")


@pytest.fixture(scope="module")
def server(examples_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server on a free local port over a copy of the examples database."""
    db = copy_db(examples_db, tmp_path_factory.mktemp("browser") / "served.db")
    app = create_app(load(env={}, db=str(db), progress=False))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    live = uvicorn.Server(config)
    thread = threading.Thread(target=live.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not live.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    live.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors
    yield page
    context.close()


IN_DOCS = {"story.png", "coverage.png", "article.png"}  # the README shows these


def shot(name: str) -> str:
    if name in IN_DOCS and os.environ.get("UPDATE_SCREENSHOTS") == "1":
        return str(ROOT / "docs" / name)
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / "corroborate-screenshots"
    folder.mkdir(exist_ok=True)
    return str(folder / name)


def test_from_the_story_list_into_a_story(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/")
    rows = page.locator("table.stories tbody tr")
    assert rows.count() == 3
    page.screenshot(path=shot("stories.png"))
    page.get_by_role("link", name="Valmora dockworkers walk out as pay talks collapse").click()
    page.wait_for_url("**/stories/*")
    disagreements = page.locator("section.claim")
    assert disagreements.count() >= 2
    minister = disagreements.filter(has_text="Transport Minister")
    assert minister.locator(".value").count() == 2  # side by side
    assert minister.locator(".value .figure").all_inner_texts()[0].startswith("Lena Ostrova")
    assert "Piotr Kasal" in minister.locator(".value").nth(1).inner_text()
    assert minister.locator("mark").first.inner_text() == "Lena Ostrova"  # evidence highlighted
    box = [minister.locator(".value").nth(i).bounding_box() for i in range(2)]
    assert box[0]["y"] == box[1]["y"] and box[0]["x"] < box[1]["x"]
    # disagreements come first, then the key facts, then the coverage heat map
    headings = page.locator("h2").all_inner_texts()
    assert [h.split()[0] for h in headings[:3]] == ["Disagreements", "Key", "Coverage"]
    assert page.locator("table.facts .badge.v-corroborated").count() >= 1
    coverage = page.locator("table.coverage")
    assert coverage.is_visible()
    assert coverage.locator("td.c-disagrees").count() >= 2
    assert coverage.locator("thead th.outlet").count() == 7
    color = coverage.locator("td.c-reported").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert color == "rgb(47, 154, 93)"
    assert page.locator("figure.chart svg circle").count() >= 8  # events and publications
    page.screenshot(path=shot("story.png"))
    coverage.scroll_into_view_if_needed()
    page.locator("#coverage-h").evaluate("e => e.scrollIntoView()")
    page.screenshot(path=shot("coverage.png"))
    assert Path(shot("story.png")).stat().st_size > 50_000
    assert page.errors == []


def test_sorting_filtering_and_search(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/")
    page.get_by_role("link", name="Corroborated").click()  # counts sort most first
    page.wait_for_url("**sort=corroborated**")
    counts = [int(t) for t in page.locator("table.stories tbody td:nth-child(6)").all_inner_texts()]
    assert counts == sorted(counts, reverse=True)
    assert page.locator("th[aria-sort=descending]").inner_text().startswith("Corroborated")
    page.get_by_role("link", name="Corroborated").click()  # again: fewest first
    page.wait_for_url("**order=asc**")
    counts = [int(t) for t in page.locator("table.stories tbody td:nth-child(6)").all_inner_texts()]
    assert counts == sorted(counts)
    page.get_by_label("From").fill("2026-03-01")
    page.get_by_role("button", name="Filter").click()
    assert page.locator("table.stories tbody tr").count() == 2
    page.get_by_label("Search article text").fill("strike fund")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?q=*")
    assert page.locator("ol.results li").count() >= 1
    assert page.locator("ol.results mark").first.inner_text().lower() in {"strike", "fund"}
    assert page.errors == []


def test_article_page_shows_claims_and_struck_through_boilerplate(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/")
    page.get_by_role("link", name="Valmora dockworkers walk out as pay talks collapse").click()
    page.locator("table.articles").get_by_role("link").first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator(".text .claim-sentence").count() >= 3
    assert page.locator(".text .claim-sentence mark").count() >= 3
    removed = page.locator("ul.removed del")
    assert removed.count() >= 1
    assert "line-through" in removed.first.evaluate("e => getComputedStyle(e).textDecorationLine")
    page.screenshot(path=shot("article.png"))
    assert page.errors == []


def test_hostile_article_stays_inert_in_the_browser(server: str, page) -> None:  # type: ignore[no-untyped-def]
    hostile = {
        "title": "<script>window.__pwned = 'title'</script>Harbour fire in Kessel",
        "outlet": "<img src=x onerror=\"window.__pwned='outlet'\">",
        "url": "javascript:window.__pwned='url'",
        "published": "2026-05-01",
        "text": ("A fire broke out at the Kessel harbour warehouse on Friday, and 40 firefighters "
                 "fought it for six hours. <script>window.__pwned = 'text'</script>\n\n"
                 "Fire chief Ana Moreno said nobody was hurt. <img src=x onerror=\"window.__pwned"
                 "='img'\"> The warehouse held 2,000 tonnes of grain. <a href=\"javascript:"
                 "window.__pwned='link'\">more</a> <style>body{display:none}</style>"),
    }
    added = page.request.post(server + "/api/articles", data=hostile).json()
    article, story = added["added"][0], added["stories"][0]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in (f"/articles/{article}", f"/stories/{story}", "/", "/search?q=firefighters"):
        page.goto(server + path)
        assert page.evaluate("() => window.__pwned === undefined"), path
        assert page.locator("script:not([src])").count() == 0, path
        assert page.locator("img").count() == 0, path
        assert page.locator("a[href^='javascript:']").count() == 0, path
        assert page.locator("body").is_visible(), path
    page.goto(server + f"/articles/{article}")
    assert "<script>window.__pwned = 'text'</script>" in page.locator(".text").inner_text()
    assert "javascript:window.__pwned='url'" in page.locator("p.meta").nth(1).inner_text()
    assert dialogs == []


def test_readable_on_a_phone_and_without_javascript(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/")
    page.get_by_role("link", name="Valmora dockworkers walk out as pay talks collapse").click()
    assert page.locator("section.claim").count() >= 2
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    first = page.locator("section.claim .value").first.bounding_box()
    assert first["width"] <= 390
    page.screenshot(path=shot("story-phone.png"))
    # every form control and every link has an accessible name
    unnamed = page.evaluate("""() => [...document.querySelectorAll('input:not([type=hidden]), button, a')]
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                     && !e.textContent.trim()).map(e => e.outerHTML)""")
    assert unnamed == []
    for path in ("/", "/search?q=strike"):
        page.goto(server + path)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, path
    context.close()


def test_api_docs_render_offline_under_the_policy(server: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/docs")
    page.wait_for_selector(".opblock", timeout=15_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/articles", "/api/search"} <= {
        p.replace("\u200b", "") for p in paths}
    assert page.errors == []  # a blocked script or style would show here
