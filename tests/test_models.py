"""The model packages: the spaCy model (golden NER, so a swapped model is noticed), MiniLM
(checksum) and the static embeddings distilled from it."""

from __future__ import annotations

import numpy as np
import pytest

from corroborate import nlp
from corroborate.embed import MINILM_SHA256, get_embedder, minilm_sha256
from corroborate.records import Article
from corroborate.settings import Settings

pytestmark = pytest.mark.slow

GOLDEN = ("Finance Minister Jonas Petrak met Governor Aurelio Vantini in Castrel on Thursday. "
          "The Central Bank of Ardenza raised its rate to 4.5% and the government pledged "
          "$2 billion for households.")


def test_golden_ner() -> None:
    doc = nlp.parse(GOLDEN)
    found = {(e.text, e.label_) for e in doc.ents}
    assert found >= {("Jonas Petrak", "PERSON"), ("Aurelio Vantini", "PERSON"),
                     ("Castrel", "GPE"), ("Thursday", "DATE"), ("4.5%", "PERCENT"),
                     ("$2 billion", "MONEY"), ("The Central Bank of Ardenza", "ORG")}


def test_analyse_gives_sentences_entities_quantities_and_dates() -> None:
    text = GOLDEN + "\n\nAbout 12,000 dockworkers walked out on Monday, February 2."
    (a,) = nlp.analyse([Article(id="a-1", source="s", format="text", content=text, text=text,
                                published="2026-02-05")])
    assert [s.text for s in a.sentences][-1] == "About 12,000 dockworkers walked out on Monday, February 2."
    for s in a.sentences:
        assert a.text[s.start:s.end] == s.text
    for e in a.entities:
        assert a.text[e.start:e.end] == e.text
    assert {(q.text, q.value) for q in a.quantities} >= {("4.5%", 0.045), ("$2 billion", 2e9),
                                                         ("12,000 dockworkers", 12000.0)}
    assert ("Thursday", "2026-02-05") in {(d.text, d.value) for d in a.dates}
    assert ("Monday, February 2", "2026-02-02") in {(d.text, d.value) for d in a.dates}
    assert not any(e.start < len(GOLDEN) < e.end for e in a.entities)  # nothing crosses paragraphs


def test_minilm_weights_are_the_measured_ones() -> None:
    assert minilm_sha256() == MINILM_SHA256


@pytest.mark.parametrize("kind", ["model2vec", "minilm"])
def test_embeddings_tell_paraphrase_from_unrelated(kind: str) -> None:
    vectors = get_embedder(Settings(embedder=kind)).encode([
        "The port authority raised its pay offer to 6 per cent.",
        "Port bosses increased their wage offer to 6%.",
        "Heavy snow closed the mountain pass for a second day."])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    paraphrase, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert paraphrase > 0.5 and paraphrase > unrelated + 0.3


def test_date_tense_comes_from_the_parse() -> None:
    from corroborate.dates import tense

    cases = {"Carney will meet Trump on Tuesday.": True,
             "LeBlanc said Thursday he hopes to make progress.": False,
             "Tariffs are set to take effect Oct. 14.": True,
             "Port strike, day three: Wednesday": None}  # no verb at all
    for sentence, expected in cases.items():
        (date,) = [e for e in nlp.parse(sentence).ents if e.label_ == "DATE"]
        assert tense(date.root) is expected, sentence


def test_a_paragraph_longer_than_the_model_takes_is_cut_at_sentences(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(nlp, "MAX_CHUNK", 500)
    text = " ".join(f"Sentence number {i} says the port reopened on Monday." for i in range(60))
    (a,) = nlp.analyse([Article(id="a-1", source="s", format="text", content=text, text=text)])
    assert len(a.sentences) == 60
    for s in a.sentences:
        assert a.text[s.start:s.end] == s.text and s.text.startswith("Sentence number")


def test_one_failing_article_is_rejected_and_the_batch_goes_on(monkeypatch, settings) -> None:  # type: ignore[no-untyped-def]
    from corroborate.pipeline import RunResult, process_batch
    from corroborate.store import open_store

    real = nlp.from_docs

    def flaky(article, docs):  # type: ignore[no-untyped-def]
        if "poison" in article.text:
            raise ValueError("the model choked")
        return real(article, docs)

    monkeypatch.setattr(nlp, "from_docs", flaky)
    good = "The port reopened on Monday after a seven-week strike by dockworkers."
    articles = [Article(id=f"a-{i}", source=f"{i}.txt", format="text", content=t)
                for i, t in enumerate([good, "A poison article that fails in the model stage."])]
    rejected = process_batch(articles, open_store(settings.db), settings, RunResult())
    assert [(r.source, r.stage) for r in rejected] == [("1.txt", "nlp")]
    assert "the model choked" in rejected[0].reason
    assert open_store(settings.db).count_articles() == 1


def test_compiled_attribute_rules_match_spacys_attribute_ruler() -> None:
    import spacy

    from .conftest import EXAMPLES

    paragraphs = [p for f in sorted((EXAMPLES / "articles").rglob("*.txt"))
                  for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    paragraphs += ["Gon na let's see: y'all ain't done, it said.", "He did it.  \n Then  left."]
    ruler = spacy.load(nlp.MODEL, disable=["lemmatizer"])  # the model's own attribute_ruler
    ours = [nlp.parse(p) for p in paragraphs]
    tokens = 0
    for theirs, mine in zip(ruler.pipe(paragraphs), ours, strict=True):
        for a, b in zip(theirs, mine, strict=True):
            assert (a.pos_, a.tag_, a.lemma_, a.dep_) == (b.pos_, b.tag_, b.lemma_, b.dep_), a.text
            tokens += 1
    assert tokens > 2500
    assert "attribute_ruler" not in nlp.load_model().pipe_names
