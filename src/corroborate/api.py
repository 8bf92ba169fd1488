"""The HTTP API (JSON under ``/api/``, ``/health``, OpenAPI at ``/docs``) and the app that also
serves the web pages (:mod:`corroborate.web`).

Reads go to the store through one SQLite connection per thread (WAL lets them run while a write
is in progress); writes (``POST /api/articles``) are serialised by a lock and run the same pipeline
as ``corroborate ingest``. A story from ``/api/stories/{id}`` is the stored brief, byte for byte the
object of ``stories[]`` in the report JSON.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import PurePath
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from . import __version__
from .errors import CorroborateError, InputError, NotFound, Rejected
from .ingest import kind_of_path, read_data
from .ingest.jsonl import from_record
from .metadata import WEEKDAYS
from .pipeline import RunResult, process_batch
from .records import Article
from .report import article_dict, brief_json, build_briefs, fingerprint, refresh_briefs
from .settings import Settings, load
from .store import MARK_END, MARK_START, STORY_SORTS, VERDICTS, Store, open_store

LOCAL_HOSTS = {"127.0.0.1", "::1", "localhost"}
CLAIM_KINDS = ("quantity", "role", "quote", "attribution", "event", "date")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

Verdict = Literal["corroborated", "single_source", "contested", "updated"]
Kind = Literal["quantity", "role", "quote", "attribution", "event", "date"]
Sort = Literal["first_seq", "title", "first_published", "last_published", "articles", "outlets",
               "corroborated", "single_source", "contested", "updated"]
assert set(Sort.__args__) == set(STORY_SORTS) and set(Verdict.__args__) == set(VERDICTS)  # type: ignore[attr-defined]


class ArticleIn(BaseModel):
    """One article, with the fields of a JSON Lines record."""

    model_config = ConfigDict(extra="forbid", str_max_length=20_000_000)
    text: str | None = Field(None, description="Plain text of the article (or give 'html').")
    html: str | None = Field(None, description="The article's HTML page (or give 'text').")
    url: str | None = Field(None, max_length=4096)
    title: str | None = Field(None, max_length=2000)
    outlet: str | None = Field(None, max_length=500)
    published: str | None = Field(None, max_length=100, description="A date, e.g. 2026-03-04.")

    @model_validator(mode="after")
    def _has_content(self) -> ArticleIn:
        if not (self.text or "").strip() and not (self.html or "").strip():
            raise ValueError("an article needs a non-empty 'text' or 'html' field")
        return self


_ARTICLE_LIST = TypeAdapter(list[ArticleIn])


class FieldError(BaseModel):
    field: str = Field(description="Where: a query parameter, or body[2].text for a body field.")
    message: str


class ErrorOut(BaseModel):
    """Every error answer: what went wrong and what to do about it."""

    error: str = Field(description="A stable code: not_found, invalid_request, unauthorised, ...")
    message: str
    hint: str | None = None
    fields: list[FieldError] | None = Field(None, description="With 422: each invalid field.")


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text} for code, text in (
        (401, "A token is set and this request has no valid one."),
        (403, "Writes are refused: no token on a public server, or a cross-site request."),
        (404, "No such story or article."), (413, "The body or the number of articles is too large."),
        (415, "Not JSON or multipart form data."), (422, "A field is invalid; each is named."))}


class Service:
    """What the routes share: settings, a store per thread, and the write lock."""

    def __init__(self, settings: Settings, *, public: bool = False) -> None:
        if settings.db == ":memory:":
            raise CorroborateError("the server needs a database file or server, not :memory:",
                                   hint="pass --db FILE or --db postgresql://...")
        self.settings = settings
        self.public = public
        self.fingerprint = fingerprint(settings)
        self.write_lock = threading.Lock()
        self._local = threading.local()
        self._opened: list[Store] = []
        self.store()  # create or migrate the database before the first request

    def store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = open_store(self.settings.db)
            self._opened.append(store)
        return store

    def build_pending(self) -> None:
        """Build every missing or stale brief, one storyline at a time (between writes)."""
        store = self.store()
        tried: set[str] = set()
        while pending := [s for s in store.stale_briefs(self.fingerprint) if s not in tried]:
            with self.write_lock:
                tried.update(build_briefs(store, self.settings, pending[:1]) or pending[:1])

    def close(self) -> None:
        for store in self._opened:
            store.close()


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


ServiceDep = Annotated[Service, Depends(_service)]


def error(status: int, code: str, message: str, hint: str = "", **extra: Any) -> JSONResponse:
    body = {"error": code, "message": message, **({"hint": hint} if hint else {}), **extra}
    return JSONResponse(body, status_code=status)


def create_app(settings: Settings, *, public: bool = False) -> FastAPI:
    """The API and the web pages over the store named by ``settings.db``. ``public``: the server
    listens beyond localhost, so writes need ``settings.api_token``."""
    service = Service(settings, public=public)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        service.close()

    app = FastAPI(title="corroborate", version=__version__, docs_url=None, redoc_url=None,
                  lifespan=lifespan,
                  description="What several independent outlets agree on, what rests on one "
                  "source, and where they disagree. Every statement carries its evidence.")
    app.state.service = service
    docs_static = resources.files("fastapi_offline") / "static"
    app.mount("/static-docs", StaticFiles(directory=str(docs_static)), name="static-docs")
    _handlers(app)
    _security_headers(app)
    if not public:  # a page of another site rebound to 127.0.0.1 (DNS rebinding) reads nothing
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=sorted(LOCAL_HOSTS | {"[::1]"}))
    app.include_router(router)
    from .web import pages

    app.include_router(pages.router)
    app.mount("/static", StaticFiles(packages=[("corroborate.web", "static")]), name="static")
    return app


def app_from_environment() -> FastAPI:
    """The app for ``corroborate serve`` (settings from the environment, as the CLI left them;
    each worker process builds its own). Missing briefs are built in a background thread."""
    import os

    app = create_app(load(), public=os.environ.get("CORROBORATE_SERVE_PUBLIC") == "1")
    service: Service = app.state.service
    threading.Thread(target=service.build_pending, name="briefs", daemon=True).start()
    return app


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        response = invalid_response(exc.errors())
        if not request.url.path.startswith("/api/"):
            from .web.pages import error_page

            return error_page(request, 400, json.loads(bytes(response.body))["message"])
        return response

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        if not request.url.path.startswith("/api/"):
            from .web.pages import not_found_page

            return not_found_page(request, exc.message)
        return error(404, "not_found", exc.message, exc.hint)

    @app.exception_handler(CorroborateError)
    async def failed(request: Request, exc: CorroborateError) -> JSONResponse:
        return error(400, exc.code, exc.message, exc.hint)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404 and not request.url.path.startswith("/api/"):
            from .web.pages import not_found_page

            return not_found_page(request, f"nothing at {request.url.path}")
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        return error(exc.status_code, "http", message)


def invalid_response(errors: Any) -> JSONResponse:
    fields = [{"field": _field(e["loc"]), "message": e["msg"]} for e in errors]
    message = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:5])
    return error(422, "invalid_request", message or "invalid request",
                 "fix the named fields and send the request again", fields=fields)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    """("body", 2, "text") -> "body[2].text"; ("query", "limit") -> "limit"."""
    parts = list(loc)
    if parts and parts[0] in {"query", "path"}:
        parts = parts[1:]
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "body"


def _security_headers(app: FastAPI) -> None:
    app.add_middleware(SecurityHeaders)

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        page = get_swagger_ui_html(openapi_url="/openapi.json", title="corroborate API",
                                   swagger_js_url="/static-docs/swagger-ui-bundle.js",
                                   swagger_css_url="/static-docs/swagger-ui.css",
                                   swagger_favicon_url="/static-docs/favicon.png")
        inline = re.findall(r"<script>(.*?)</script>", bytes(page.body).decode(), flags=re.S)
        hashes = " ".join(f"'sha256-{_b64sha256(s)}'" for s in inline)
        page.headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'")
        return page


class SecurityHeaders:
    """Adds the Content-Security-Policy and friends to every response (a plain ASGI middleware:
    it costs next to nothing per request)."""

    HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
               (b"x-frame-options", b"DENY")]

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(k.lower() == b"content-security-policy" for k, _ in headers):
                    headers.append((b"content-security-policy", CSP.encode()))
                message["headers"] = headers + self.HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)


def _b64sha256(text: str) -> str:
    import base64

    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


# --- the routes ---------------------------------------------------------------------------

from fastapi import APIRouter  # noqa: E402 - the router is defined next to its routes

router = APIRouter()


@router.get("/health", tags=["service"])
def health(service: ServiceDep) -> dict[str, Any]:
    """Is the service up, and what does its database hold."""
    store = service.store()
    return {"status": "ok", "version": __version__, "articles": store.count_articles(),
            "stories": store.count_stories(), "briefs_pending": len(
                store.stale_briefs(service.fingerprint)), "writes": _write_policy(service)}


def _write_policy(service: Service) -> str:
    if service.settings.api_token:
        return "token"
    return "closed" if service.public else "open (localhost)"


@router.get("/api/stories", tags=["stories"], responses={422: ERRORS[422]})
def list_stories(
    service: ServiceDep,
    since: Annotated[date | None, Query(description="With an article on or after this day.")] = None,
    until: Annotated[date | None, Query(description="With an article on or before this day.")] = None,
    outlet: Annotated[str | None, Query(max_length=500, description="Reported by this outlet.")] = None,
    contested: Annotated[bool, Query(description="Only stories with contested claims.")] = False,
    sort: Sort = "first_seq",
    order: Literal["asc", "desc"] = "asc",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """A page of stories with their dates, article and outlet counts, and claim counts per
    verdict (null while a story's brief is still being built)."""
    total, rows = service.store().story_page(
        since=since.isoformat() if since else None, until=until.isoformat() if until else None,
        outlet=outlet, contested=contested, sort=sort, descending=order == "desc", limit=limit,
        offset=offset)
    return {"total": total, "limit": limit, "offset": offset,
            "stories": [_story_row(r) for r in rows]}


def _story_row(r: dict[str, Any]) -> dict[str, Any]:
    built = r["corroborated"] is not None
    return {"id": r["id"], "title": r["title"], "storyline_id": r["storyline_id"],
            "articles": r["articles"], "outlets": r["outlets"],
            "first_published": r["first_published"], "last_published": r["last_published"],
            "updated_at": r["updated_at"],
            "claims": {v: r[v] for v in VERDICTS} if built else None}


@router.get("/api/stories/{story_id}", tags=["stories"],
            responses={200: {"description": "The story object of the report JSON "
                             "(corroborate.report/1, stories[])."}, 404: ERRORS[404],
                       422: ERRORS[422]})
async def get_story(story_id: Annotated[str, Field(max_length=100)], request: Request) -> Response:
    """The brief of one story: summary, entities, timeline, cross-checked claims with their
    evidence, and the coverage matrix."""
    service = _service(request)
    body = service.store().brief(story_id, service.fingerprint)  # fast path: the stored brief
    if body is None:
        body = await run_in_threadpool(lambda: brief_json(service.store(), service.settings, story_id))
    return Response(body, media_type="application/json")


@router.get("/api/claims", tags=["claims"], responses={422: ERRORS[422]})
def list_claims(
    service: ServiceDep,
    verdict: Verdict | None = None,
    kind: Kind | None = None,
    story: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Cross-checked claims over all stories, e.g. ``?verdict=contested&kind=quantity``."""
    total, claims = service.store().claims(verdict=verdict, kind=kind, story_id=story,
                                           limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "claims": claims,
            "briefs_pending": len(service.store().stale_briefs(service.fingerprint))}


@router.get("/api/articles/{article_id}", tags=["articles"], responses={404: ERRORS[404]})
def get_article(article_id: Annotated[str, Field(max_length=100)], service: ServiceDep) -> dict[str, Any]:
    """One article: its clean text, the boilerplate the cleaner removed, and the claims found in
    it (each with its sentence and where that sentence sits in the text)."""
    article = service.store().article(article_id)
    if article.id != article_id:
        raise NotFound(f"no article '{article_id}'", hint=f"did you mean {article.id}?")
    return article_view(article)


def article_view(a: Article) -> dict[str, Any]:
    claims = []
    for c in a.claims:
        if not 0 <= c.sentence < len(a.sentences):
            continue
        first, last = a.sentences[c.sentence], a.sentences[min(c.sentence + c.span, len(a.sentences)) - 1]
        claims.append({"kind": c.kind, "subject": c.subject, "value": c.value, "unit": c.unit,
                       "as_of": c.as_of, "sentence": a.text[first.start:last.end],
                       "start": first.start, "end": last.end})
    return {**article_dict(a), "url": a.url, "format": a.format, "claims": claims,
            "provenance": dict(a.provenance), "event_date": a.event_date,
            "event_weekday": WEEKDAYS[a.event_weekday] if a.event_weekday is not None else None}


@router.get("/api/search", tags=["articles"], responses={422: ERRORS[422]})
def search(
    service: ServiceDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words that must all occur.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Full-text search over titles and clean text (SQLite FTS5); best matches first, each with
    a snippet and the positions of the matched words in it."""
    total, rows = service.store().search(q, limit=limit, offset=offset)
    return {"query": q, "total": total, "limit": limit, "offset": offset,
            "results": [{**{k: v for k, v in r.items() if k != "snippet"}, **marked(r["snippet"])}
                        for r in rows]}


def marked(snippet: str) -> dict[str, Any]:
    """A snippet without its match markers, and where the matches are: {snippet, matches}."""
    text, matches, start = "", [], 0
    for part in re.split(f"({MARK_START}|{MARK_END})", snippet):
        if part == MARK_START:
            start = len(text)
        elif part == MARK_END:
            matches.append([start, len(text)])
        else:
            text += part
    return {"snippet": text, "matches": matches}


_ARTICLE_SCHEMA = ArticleIn.model_json_schema()
_POST_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"oneOf": [
            _ARTICLE_SCHEMA, {"type": "array", "items": _ARTICLE_SCHEMA}]}},
        "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {
            "type": "array", "items": {"type": "string", "format": "binary"}}}}},
    },
}


@router.post("/api/articles", tags=["articles"], status_code=201,
             openapi_extra={"requestBody": _POST_BODY},
             responses={200: {"description": "Nothing new: every article was already stored."},
                        **{k: v for k, v in ERRORS.items() if k != 404}})
async def add_articles(request: Request) -> Response:
    """Add articles: a JSON object or a list of them (the JSON Lines fields), or files uploaded as
    multipart form data (field ``file``; any format the CLI reads). They are cleaned, checked for
    duplicates, analysed and placed in stories, and the briefs of the stories they touch are
    rebuilt. The answer names the new article ids, the duplicates found, the stories touched and
    each input that failed."""
    service = _service(request)
    refused = check_write(request, service)
    if refused:
        return refused
    settings = service.settings
    limit = settings.max_request_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return _too_large(limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return _too_large(limit)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    if kind == "multipart/form-data":
        items, problem = await _uploads(request, bytes(body), stamp, settings)
    elif kind in {"application/json", ""}:
        items, problem = _json_articles(bytes(body), stamp)
    else:
        return error(415, "unsupported_media_type", f"cannot read a body of type '{kind}'",
                     "send application/json (an article or a list) or multipart/form-data files")
    if problem is not None:
        return problem
    if len(items) > settings.max_articles_per_request:
        return error(413, "too_many_articles", f"{len(items)} articles in one request, over the "
                     f"limit of {settings.max_articles_per_request}",
                     "split them over several requests or raise max_articles_per_request")
    result = await run_in_threadpool(_ingest, service, items)
    status = 201 if result.added else (200 if result.already or not result.rejected else 422)
    return JSONResponse(_run_view(result), status_code=status)


def check_write(request: Request, service: Service) -> JSONResponse | None:
    """Writes need the token when one is set or when the server is public, and never come from
    another site's page (Origin / Sec-Fetch-Site), so a browser cannot be made to post."""
    origin = request.headers.get("origin")
    host = request.headers.get("host", "")
    if origin and (origin == "null" or urlsplit(origin).netloc != host) or \
            request.headers.get("sec-fetch-site") == "cross-site":
        return error(403, "cross_site", "writes from another site's page are refused",
                     "call the API from your own tools, not from a web page of another origin")
    token = service.settings.api_token
    if not token:
        if service.public:
            return error(403, "writes_disabled", "this server listens beyond localhost and has "
                         "no API token, so writes are refused",
                         "set api_token (e.g. CORROBORATE_API_TOKEN) and send it as "
                         "'Authorization: Bearer TOKEN'")
        return None
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
        return error(401, "unauthorised", "a valid API token is needed to add articles",
                     "send 'Authorization: Bearer TOKEN' with the token from the server's settings")
    return None


def _too_large(limit: int) -> JSONResponse:
    return error(413, "too_large", f"request body over the {limit:,}-byte limit",
                 "send fewer articles per request or raise max_request_bytes")


def _json_articles(body: bytes, stamp: str) -> tuple[list[Article | Rejected], JSONResponse | None]:
    try:
        parsed = json.loads(body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        return [], error(422, "invalid_request", f"body: not valid JSON ({err})",
                         "send one article object or a list of them",
                         fields=[{"field": "body", "message": "not valid JSON"}])
    if not isinstance(parsed, dict | list):
        return [], error(422, "invalid_request", "body: must be an article object or a list of them",
                         "e.g. {\"text\": \"...\", \"outlet\": \"...\", \"published\": \"2026-03-04\"}",
                         fields=[{"field": "body", "message": "not an object or a list"}])
    try:
        records = _ARTICLE_LIST.validate_python(parsed) if isinstance(parsed, list) else \
            [ArticleIn.model_validate(parsed)]
    except ValidationError as err:
        return [], invalid_response([{**e, "loc": ("body", *e["loc"])} for e in err.errors()])
    items: list[Article | Rejected] = []
    for number, record in enumerate(records, start=1):
        where = f"api:{stamp}#{number}"
        try:
            items.append(from_record(where, record.model_dump(exclude_none=True)))
        except InputError as err:
            items.append(Rejected(where, "ingest", str(err)))
    return items, None


async def _uploads(request: Request, body: bytes, stamp: str, settings: Settings
                   ) -> tuple[list[Article | Rejected], JSONResponse | None]:
    from starlette.datastructures import UploadFile

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    form = await Request(request.scope, receive).form(max_files=settings.max_articles_per_request)
    files = [f for f in form.getlist("file") if isinstance(f, UploadFile)]
    if not files:
        return [], error(422, "invalid_request", "file: no file uploaded",
                         "send the articles as form field 'file' (repeatable)",
                         fields=[{"field": "file", "message": "no file uploaded"}])
    items: list[Article | Rejected] = []
    for number, upload in enumerate(files, start=1):
        name = PurePath(upload.filename or f"upload-{number}").name
        where = f"upload:{stamp}/{name}"
        data = await upload.read()
        if len(data) > settings.max_bytes:
            items.append(Rejected(where, "ingest", f"file is {len(data):,} bytes, over the "
                                  f"{settings.max_bytes:,}-byte limit (raise max_bytes to accept it)"))
            continue
        if not data.strip():
            items.append(Rejected(where, "ingest", "empty file"))
            continue
        kind = kind_of_path(name) if "." in name else "sniff"
        items.extend(read_data(where, data, kind, settings))  # one bad upload never fails others
    return items, None


def _ingest(service: Service, items: list[Article | Rejected]) -> RunResult:
    result = RunResult()
    articles = [i for i in items if isinstance(i, Article)]
    unread = [i for i in items if isinstance(i, Rejected)]
    store = service.store()
    with service.write_lock:
        result.rejected += process_batch(articles, store, service.settings, result, unread)
        if result.stories:
            refresh_briefs(store, service.settings, result.stories)
    return result


def _run_view(result: RunResult) -> dict[str, Any]:
    return {"added": result.added, "already_stored": result.already,
            "duplicates": [{"id": k, "duplicate_of": v} for k, v in result.duplicates.items()],
            "stories": sorted(result.stories), "new_stories": sorted(result.new_stories),
            "errors": [r.to_report() for r in result.rejected], "summary": result.summary()}
