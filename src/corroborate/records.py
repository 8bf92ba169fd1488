"""Typed records that flow between the pipeline stages.

Every stage is a function from records to records (``clean(article, settings) -> Article``); stages
never mutate their input, they return a copy made with :func:`dataclasses.replace`. Records turn
into plain dicts (``to_dict``) for the store, for Spark rows and for the report.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

FORMATS = ("text", "html", "jsonl", "feed", "warc")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Entity:
    text: str
    label: str  # PERSON, ORG, GPE, ... as tagged by the model for this mention
    sentence: int  # index into Article.sentences
    start: int
    end: int


@dataclass(frozen=True)
class Quantity:
    text: str  # as written: "35 per cent", "$6.5 billion"
    value: float  # normalised: 0.35, 6.5e9
    unit: str  # "%", "USD", "EUR", "GBP", "CAD", "m" (a length), "km/h" (a speed),
    # or the counted noun ("workers")
    kind: str  # percent | money | length | speed | count
    sentence: int
    start: int
    end: int


@dataclass(frozen=True)
class DateMention:
    text: str  # as written: "Oct. 14", "Tuesday", "October 2024"
    value: str | None  # "2025-10-14", "2024-10", "2024"; None when it cannot be resolved
    sentence: int
    start: int
    end: int


@dataclass(frozen=True)
class Claim:
    """One atomic claim made by one sentence of one article.

    ``head`` and ``context`` are what alignment compares (the thing measured, the title, the quote,
    the action, the event facet; and the words that narrow it down); ``normalized`` is what the
    values are compared on.
    """

    kind: str  # quantity | role | quote | attribution | event | date
    subject: str  # readable: "tariff on Canadian goods", "Commerce Secretary"
    head: str
    context: tuple[str, ...]
    value: str  # as written: "35%", "Howard Lutnick"
    normalized: Any  # 0.35, "lutnick", "2025-10-14", ["anand", "joly"]
    unit: str  # quantity unit ("%", "USD", a counted noun); "" for other kinds
    sentence: int
    as_of: str | None = None  # when the value applies, where the text says
    later: bool = False  # the text presents the value as a change ("raised to", "up from")
    previous: Any = None  # the earlier value the text gives ("up from 3%")
    span: int = 1  # sentences the claim runs over (a quote of several sentences and its speaker)
    inferred: bool = False  # the value is who a pronoun stands for ("he said"), not a name


# Where an article's metadata came from (``Article.provenance``), as metadata.py writes it and
# the store's choice of a story title reads it.
GIVEN = "given by the input"
FROM_SLUG = "the URL's slug"  # a title rebuilt from the URL
FIRST_LINE = "line 1"  # a headline read from the page's first line (further down: "line N")


@dataclass(frozen=True)
class Article:
    """One news article, from the reader through every per-article stage."""

    id: str  # "a-" + content hash of the raw content
    source: str  # path or URL as given, or "file.jsonl:3" for one line of a dump
    format: str  # one of FORMATS
    content: str  # the raw decoded input: HTML or text
    is_html: bool = False
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    # metadata: where url/outlet/title/published came from ("given by the input", "date line
    # 'Updated: 2019-03-05'", "the URL's domain", ...), and the date of the event reported
    provenance: tuple[tuple[str, str], ...] = ()
    event_date: str | None = None
    event_weekday: int | None = None  # 0 is Monday: the event date's, else the lead's weekday
    # clean
    text: str = ""
    boilerplate: tuple[str, ...] = ()
    # dedup
    norm_hash: str = ""
    duplicate_of: str | None = None
    # nlp
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    claims: tuple[Claim, ...] = ()
    # stories
    story_id: str | None = None

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p]

    def nlp_dict(self) -> dict[str, Any]:
        return {
            "sentences": [asdict(s) for s in self.sentences],
            "entities": [asdict(e) for e in self.entities],
            "quantities": [asdict(q) for q in self.quantities],
            "dates": [asdict(d) for d in self.dates],
            "claims": [asdict(c) for c in self.claims],
            "provenance": dict(self.provenance),
        }

    @staticmethod
    def nlp_from_dict(data: dict[str, Any]) -> dict[str, Any]:
        return {
            "provenance": tuple(sorted(data.get("provenance", {}).items())),
            "sentences": tuple(Sentence(**s) for s in data.get("sentences", [])),
            "entities": tuple(Entity(**e) for e in data.get("entities", [])),
            "quantities": tuple(Quantity(**q) for q in data.get("quantities", [])),
            "dates": tuple(DateMention(**d) for d in data.get("dates", [])),
            "claims": tuple(Claim(**{**c, "context": tuple(c["context"])})
                            for c in data.get("claims", [])),
        }

    def sentence_of(self, index: int, span: int = 1) -> str:
        """The sentence at ``index`` (and the ``span - 1`` after it), as in the text."""
        if not 0 <= index < len(self.sentences):
            return ""
        last = self.sentences[min(index + span, len(self.sentences)) - 1]
        return self.text[self.sentences[index].start:last.end]


@dataclass(frozen=True)
class SummaryLine:
    sentence: str
    article_id: str


@dataclass(frozen=True)
class MainEntity:
    name: str
    label: str
    mentions: int
    articles: int


@dataclass(frozen=True)
class TimelineEvent:
    date: str  # "2025-10-14", "2024-10" or "2024"
    text: str  # the date as written
    sentence: str
    article_id: str  # the article the sentence comes from
    also_in: tuple[str, ...] = ()  # other articles that report the same dated event


@dataclass
class Story:
    id: str
    title: str
    storyline_id: str | None
    article_ids: list[str]
    summary: list[SummaryLine] = field(default_factory=list)
    entities: list[MainEntity] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    coverage: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "storyline_id": self.storyline_id,
            "article_ids": list(self.article_ids),
            "summary": [asdict(s) for s in self.summary],
            "entities": [asdict(e) for e in self.entities],
            "timeline": [{**asdict(t), "also_in": list(t.also_in)} for t in self.timeline],
            "claims": list(self.claims),
            "coverage": dict(self.coverage),
        }
