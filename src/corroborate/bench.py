"""Benchmarks any user can run on their own machine (``corroborate bench ...``).

``generate`` writes a corpus of N realistic articles made from our own example events: each
synthetic event takes one example event, renames its people, places and organisations with
invented names, moves it to another date, and has it reported by a few outlets that reorder and
drop paragraphs and wrap the text in their own site chrome (half as HTML pages, half as text).
Syndicated copies and near duplicates are mixed in. The same seed gives the same corpus.
"""

from __future__ import annotations

import html
import itertools
import os
import random
import re
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from . import timing
from .clean import clean
from .errors import CorroborateError
from .ingest import read_all
from .records import Article
from .settings import Settings
from .store import open_store

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DATE = re.compile(r"\b(" + "|".join(MONTHS) + r")\s+(\d{1,2})(?:,\s*(\d{4}))?\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")
_SYLLABLES = ["ba", "cor", "da", "el", "fen", "gal", "har", "is", "jor", "kal", "lum", "mar", "nor",
              "ol", "pel", "quin", "ras", "sel", "tor", "ul", "vor", "wen", "yar", "zel", "bri",
              "dran", "fal", "gret", "hol", "kes", "lin", "mor", "nes", "pra", "rin", "sten", "tal",
              "vin"]
_OUTLET_WORDS = (["Harbor", "Evening", "Daily", "Northern", "Capital", "Coastal", "Morning", "Union",
                  "Valley", "Metro", "National", "Western", "Central", "Free"],
                 ["Ledger", "Post", "Courier", "Herald", "Times", "Record", "Gazette", "Chronicle",
                  "Dispatch", "Observer", "Tribune", "Review", "Wire", "Sentinel"])
_TITLES = {"Minister", "Secretary", "President", "Governor", "Chancellor", "Mayor", "Chief",
           "Director", "Chair", "Chairman", "Commissioner", "Prime", "Deputy", "Senator", "Judge"}
_CHROME_LINES = ["Sign up for our morning newsletter", "Also Read: {headline}", "Advertisement",
                 "Share this article", "Leave a Reply", "Most read", "Follow us on social media",
                 "Your email address will not be published. Required fields are marked *",
                 "Read more: {headline}", "Subscribe to keep reading for $1 a week"]


@dataclass(frozen=True)
class Template:
    """One article of an example event, as clean paragraphs."""

    event: str
    title: str
    paragraphs: tuple[str, ...]
    published: date


def load_templates(sources: list[Path], settings: Settings) -> dict[str, list[Template]]:
    """Example events: articles grouped by the folder they sit in (one folder per event)."""
    events: dict[str, list[Template]] = defaultdict(list)
    folders = [f for s in sources for f in sorted(s.rglob("*")) if f.is_dir()]
    for folder in folders:
        files = [str(p) for p in sorted(folder.glob("*")) if p.suffix in {".txt", ".md", ".html"}]
        for item in read_all(files, settings):
            if not isinstance(item, Article) or not item.published:
                continue
            text = clean(item, settings).text
            paragraphs = tuple(p for p in text.split("\n\n") if len(p.split()) >= 8)
            if len(paragraphs) >= 3:
                events[folder.name].append(Template(folder.name, item.title or paragraphs[0][:80],
                                                    paragraphs, date.fromisoformat(item.published[:10])))
    if not events:
        raise CorroborateError(f"no dated example articles under {', '.join(map(str, sources))}",
                               hint="pass --from with folders of articles, one folder per event")
    return dict(events)


def _invent(rng: random.Random, taken: set[str]) -> str:
    """A new name, never one given before in this corpus (so that two synthetic events share
    no one by accident)."""
    for attempt in itertools.count():
        syllables = rng.choice((2, 3, 3)) + attempt // 8  # longer names once short ones run out
        name = "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()
        if name not in taken:
            taken.add(name)
            return name
    raise AssertionError("unreachable")


def proper_names(templates: list[Template]) -> list[str]:
    """Capitalised words of an event that are names: never written in lower case, not calendar
    words, and seen somewhere other than at the start of a sentence."""
    text = "\n".join(p for t in templates for p in (t.title, *t.paragraphs))
    lower = {w.lower() for w in re.findall(r"\b[a-z][a-z]+\b", text)}
    mid_sentence = set(re.findall(r"(?<=[a-z,] )[A-Z][a-z]{2,}\b", text))
    acronyms = set(re.findall(r"\b[A-Z]{2,5}\b", text)) - {"CEO", "GDP", "AM", "PM", "EU", "UN"}
    return sorted(w for w in mid_sentence | acronyms if w.lower() not in lower
                  and w not in MONTHS and w not in WEEKDAYS and w not in _TITLES)


class Renamer:
    """Consistent substitutions for one synthetic event: names, dates and amounts."""

    def __init__(self, names: list[str], shift: timedelta, rng: random.Random,
                 taken: set[str]) -> None:
        self.names = {n: _invent(rng, taken).upper() if n.isupper() else _invent(rng, taken)
                      for n in names}
        self.shift = shift
        self.scale = rng.choice((0.5, 0.75, 1.25, 1.5, 2.0))
        self._name = re.compile(r"\b(" + "|".join(map(re.escape, self.names)) + r")\b") \
            if self.names else None

    def moved(self, day: date) -> date:
        return day + self.shift

    def __call__(self, text: str, year: int) -> str:
        if self._name:
            text = self._name.sub(lambda m: self.names[m[1]], text)

        def _date(m: re.Match[str]) -> str:
            month = MONTHS.index(m[1]) + 1
            try:
                day = self.moved(date(int(m[3] or year), month, int(m[2])))
            except ValueError:
                return m[0]
            return f"{MONTHS[day.month - 1]} {day.day}" + (f", {day.year}" if m[3] else "")

        text = _DATE.sub(_date, text)
        text = _YEAR.sub(lambda m: str(int(m[1]) + (self.moved(date(year, 6, 1)).year - year)), text)
        return re.sub(r"(?<![\d.,])(\d{2,3}(?:,\d{3})+|\d{3,})(?![\d.,%])", self._number, text)

    def _number(self, m: re.Match[str]) -> str:
        value = int(m[1].replace(",", ""))
        if 1900 <= value <= 2100:  # a year, already moved
            return m[1]
        new = int(max(1, round(value * self.scale, -max(0, len(str(value)) - 2))))
        return f"{new:,}" if "," in m[1] else str(new)


def outlet_name(rng: random.Random) -> str:
    return f"The {rng.choice(_OUTLET_WORDS[0])} {rng.choice(_OUTLET_WORDS[1])}"


def render_text(title: str, outlet: str, day: date, paragraphs: list[str], chrome: list[str]) -> str:
    head = f"{title}\nBy Staff Reporter | {outlet} | {MONTHS[day.month - 1]} {day.day}, {day.year}\n\n"
    return head + "\n\n".join(paragraphs[:2] + chrome[:1] + paragraphs[2:] + chrome[1:]) + "\n"


def render_html(title: str, outlet: str, day: date, paragraphs: list[str], chrome: list[str],
                headlines: list[str]) -> str:
    e = html.escape
    body = "\n".join(f"<p>{e(p)}</p>" for p in paragraphs)
    links = "\n".join(f'<li><a href="/news/{i}">{e(h)}</a></li>' for i, h in enumerate(headlines))
    extra = "\n".join(f"<div class=\"promo\">{e(c)}</div>" for c in chrome)
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{e(title)} | {e(outlet)}"
            f"</title><meta property=\"og:site_name\" content=\"{e(outlet)}\">"
            f"<meta property=\"article:published_time\" content=\"{day.isoformat()}T08:00:00Z\">"
            f"</head><body><header><nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world\">"
            f"World</a></li><li><a href=\"/business\">Business</a></li></ul></nav></header>"
            f"<main><article><h1>{e(title)}</h1><p class=\"byline\">By Staff Reporter</p>\n{body}\n"
            f"</article>{extra}<aside><h2>Most read</h2><ul>{links}</ul></aside></main>"
            f"<footer><p>© {day.year} {e(outlet)}. All rights reserved.</p></footer></body></html>\n")


def synthetic_articles(n: int, templates: dict[str, list[Template]], seed: int = 1,
                       target_words: int = 700) -> Iterator[tuple[str, str]]:
    """(file name, content) of ``n`` articles."""
    rng = random.Random(seed)
    names = {event: proper_names(ts) for event, ts in templates.items()}
    outlets = [outlet_name(rng) for _ in range(max(20, n // 50))]
    events = sorted(templates)
    # events move back in time only (date extractors refuse future dates), by up to 25 years
    span_weeks = min(25 * 52, max(52, n // 4))
    taken: set[str] = {w for ws in names.values() for w in ws}
    written = 0
    while written < n:
        event = rng.choice(events)
        renamer = Renamer(names[event], timedelta(weeks=-rng.randrange(0, span_weeks)), rng, taken)
        copies: list[tuple[str, str]] = []
        for template in rng.sample(templates[event], k=len(templates[event])):
            year = template.published.year
            outlet = rng.choice(outlets)
            paragraphs = [renamer(p, year) for p in template.paragraphs]
            others = [p for t in templates[event] if t is not template for p in t.paragraphs]
            rng.shuffle(others)  # outlets fold in details other reports carry (about 700 words)
            while others and sum(len(p.split()) for p in paragraphs) < target_words:
                paragraphs.append(renamer(others.pop(), year))
            if len(paragraphs) > 4:  # outlets cut and reorder the middle of a report
                middle = paragraphs[2:]
                rng.shuffle(middle)
                paragraphs = paragraphs[:2] + middle[:-1] if rng.random() < 0.5 else \
                    paragraphs[:2] + middle
            title = renamer(template.title, year)
            day = renamer.moved(template.published) + timedelta(days=rng.choice((0, 0, 0, 1)))
            headlines = [other(rng.choice(templates[e]).title, year) for e in
                         rng.sample(events, k=rng.randint(3, 8)) for other in
                         [Renamer(names[e], renamer.shift, rng, set())]]
            chrome = [c.format(headline=rng.choice(headlines))
                      for c in rng.sample(_CHROME_LINES, k=rng.randint(1, 4))]
            stem = f"{written // 1000:04d}/{written:07d}-{event}"
            if rng.random() < 0.5:
                copies.append((stem + ".html", render_html(title, outlet, day, paragraphs, chrome,
                                                           headlines)))
            else:
                copies.append((stem + ".txt", render_text(title, outlet, day, paragraphs, chrome)))
            written += 1
            if rng.random() < 0.08 and written < n:  # a syndicated copy under another outlet
                copy = render_text(title, rng.choice(outlets), day, paragraphs, chrome[:1])
                copies.append((f"{written // 1000:04d}/{written:07d}-{event}-copy.txt", copy))
                written += 1
            if written >= n:
                break
        yield from copies


def generate(n: int, out: Path, sources: list[Path], settings: Settings, seed: int = 1) -> dict[str, object]:
    templates = load_templates(sources, settings)
    words = files = 0
    for name, content in synthetic_articles(n, templates, seed):
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        files += 1
        words += len(re.sub(r"<[^>]+>", " ", content).split())
    summary = {"articles": files, "out": str(out), "template_events": len(templates),
               "template_articles": sum(len(v) for v in templates.values()),
               "mean_words": round(words / max(1, files)), "seed": seed}
    return summary


def default_sources() -> list[Path]:
    """The example events of a source checkout, when there is one."""
    root = Path(__file__).resolve().parents[2]
    found = [p for p in (root / "examples" / "articles", root / "tests" / "data" / "eval")
             if p.is_dir()]
    return found


# --- measuring -----------------------------------------------------------------------------


class PeakMemory:
    """The peak resident memory of this process and all its descendants (worker processes
    included), sampled a few times a second from /proc (Linux); 0 where /proc is missing."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, tree_rss())

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, tree_rss())


def tree_rss(root: int | None = None) -> int:
    """Resident bytes of a process and its descendants."""
    root = root or os.getpid()
    children: dict[int, list[int]] = defaultdict(list)
    rss: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        pid = int(entry.name)
        children[int(stat.rsplit(")", 1)[1].split()[1])].append(pid)
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        rss[pid] = int(found.group(1)) * 1024 if found else 0
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def machine() -> dict[str, object]:
    import platform

    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in
                      Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") \
        if hasattr(os, "sysconf") else 0
    return {"cpus": os.cpu_count(), "cpu": model, "memory_gib": round(memory / 2 ** 30, 1),
            "python": platform.python_version(), "system": platform.platform()}


def stage_table(spent: dict[str, float]) -> dict[str, object]:
    """CPU seconds per stage, their shares, and the share of model inference."""
    total = sum(spent.values()) or 1.0
    model = sum(v for k, v in spent.items() if k in timing.MODEL_STAGES)
    order = [*timing.STAGES, *sorted(set(spent) - set(timing.STAGES))]
    return {"cpu_seconds": round(sum(spent.values()), 2),
            "stages": {k: {"cpu_seconds": round(spent.get(k, 0.0), 2),
                           "share": round(spent.get(k, 0.0) / total, 3)} for k in order},
            "model_share": round(model / total, 3),
            "overhead_share": round(1 - model / total, 3)}


def throughput(corpus: Path, work: Path, settings: Settings) -> dict[str, object]:
    """``corroborate analyze`` end to end on ``corpus`` (a fresh database and report in
    ``work``): wall time, articles/s, peak memory and where the CPU time went."""
    from . import Corpus
    from .report import write_brief

    work.mkdir(parents=True, exist_ok=True)
    db = work / "throughput.db"
    for leftover in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        leftover.unlink(missing_ok=True)
    timing.reset()
    with PeakMemory() as memory:
        start = time.perf_counter()
        with Corpus(open_store(db), settings) as run:
            result = run.ingest([corpus])
            with timing.stage("report"):
                stories, _ = write_brief(run.store, settings, work)
            words = run.store.db.execute(
                "SELECT AVG(LENGTH(text) - LENGTH(REPLACE(text, ' ', '')) + 1) FROM articles"
            ).fetchone()[0]
            end = time.perf_counter()
            texts = [r[0] for r in run.store.db.execute("SELECT text FROM articles ORDER BY seq")]
        wall = end - start
    spent = timing.reset()
    added = len(result.added)
    spacy_alone = spacy_throughput(texts, settings.workers or os.cpu_count() or 1)
    return {"benchmark": "throughput", "command": "corroborate analyze", "corpus": str(corpus),
            "articles": added, "failed_inputs": len(result.rejected),
            "duplicates": len(result.duplicates), "stories": stories,
            "mean_clean_words": round(words or 0), "wall_seconds": round(wall, 2),
            "articles_per_second": round(added / wall, 2) if wall else None,
            "spacy_alone_articles_per_second": spacy_alone,
            "ratio_to_spacy_alone": round(added / wall / spacy_alone, 3)
            if wall and spacy_alone else None,
            "peak_rss_mib": round(memory.peak / 2 ** 20), "workers": settings.workers or
            os.cpu_count(), **stage_table(spent), "machine": machine()}


def spacy_throughput(texts: list[str], processes: int) -> float | None:
    """Articles/s of the spaCy model alone on the same clean texts, cut into the same paragraphs
    and run with as many processes as the pipeline's workers (the floor that the whole pipeline
    is held against: issue 11 asks for at least 75% of it)."""
    from .nlp import _paragraphs, load_model

    if not texts:
        return None
    nlp = load_model()
    paragraphs = [p for t in texts for _, p in _paragraphs(t)]
    start = time.perf_counter()
    for _ in nlp.pipe(paragraphs, batch_size=64, n_process=processes):
        pass
    wall = time.perf_counter() - start
    return round(len(texts) / wall, 2) if wall else None


def incremental(db: Path, new: list[Path], settings: Settings,
                batches: tuple[int, ...] = (1, 100)) -> dict[str, object]:
    """Latency of ingesting 1 and 100 new articles into the store ``db`` (as it is): once with
    the models already loaded (a running service, or the next batch of a long ingest) and once as
    a fresh ``corroborate ingest`` process (start-up and model loading included)."""
    import subprocess

    from .ingest import read_all
    from .pipeline import ingest, prepare

    store = open_store(db)
    base = store.count_articles()
    queue = list(new)
    # warm: the models loaded and used once (on an article that is then not stored)
    prepare([a for a in read_all([str(queue.pop())], settings) if isinstance(a, Article)], set(),
            settings)
    rows: list[dict[str, object]] = []
    for size in batches:
        for mode in ("warm", "cold"):
            take, queue = queue[:size], queue[size:]
            if len(take) < size:
                raise CorroborateError(f"not enough new articles for a batch of {size}",
                                       hint="generate more with --articles")
            start = time.perf_counter()
            timing.reset()
            cpu: dict[str, float] = {}
            if mode == "warm":
                result = ingest([str(p) for p in take], store, settings)
                added = len(result.added)
                cpu = {k: round(v, 3) for k, v in timing.reset().items() if v >= 0.001}
            else:
                before = store.count_articles()
                run = subprocess.run(
                    [sys.executable, "-m", "corroborate", "ingest", *map(str, take), "--db",
                     str(db), "--set", "progress=false"], capture_output=True, text=True)
                if run.returncode not in (0, 1):
                    raise CorroborateError(f"corroborate ingest failed: {run.stderr.strip()}")
                added = store.count_articles() - before
            rows.append({"articles": size, "mode": mode, "added": added,
                         "seconds": round(time.perf_counter() - start, 3),
                         **({"cpu_seconds_by_stage": cpu} if cpu else {})})
    store.close()
    return {"benchmark": "incremental", "db": str(db), "base_articles": base,
            "runs": rows, "machine": machine()}
