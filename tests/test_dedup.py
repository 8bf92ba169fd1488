from __future__ import annotations

from corroborate.dedup import (
    band_keys,
    bands_rows,
    containment,
    copy_words,
    coverage,
    is_copy,
    normalise,
    original_first,
    shingles,
    signature,
    similarity,
    with_hash,
)
from corroborate.records import Article
from corroborate.settings import Settings

BODY = ("Dozens of cargo ships were stranded outside the port on Tuesday as a strike by 12,000 "
        "dockworkers entered its second day. The union wants a 9% rise over two years and "
        "guarantees that no jobs will be lost to the automated terminal. The port authority "
        "says it cannot pay more than 3% after a year of falling volumes. Shipping lines have "
        "begun diverting vessels to ports in neighbouring countries, adding days to deliveries. "
        "Exporters of timber and paper say they are losing money every day the port stays shut.")


def art(text: str, **kw: object) -> Article:
    return with_hash(Article(id=kw.pop("id", "a-x"), source="s", format="text", content=text,  # type: ignore[arg-type]
                             text=text, **kw))  # type: ignore[arg-type]


def test_exact_duplicates_share_a_normalised_hash() -> None:
    assert art(BODY).norm_hash == art("  " + BODY.upper().replace(".", " .") + "\n").norm_hash
    assert art(BODY).norm_hash != art(BODY + " One more sentence.").norm_hash


def test_syndicated_copy_is_near_but_unrelated_text_is_not() -> None:
    s = Settings()
    copy = "PORT CITY (Wire) - " + BODY + " This story was first published by Wire."
    other = ("The central bank raised its main rate by three quarters of a point to 4.5% on "
             "Thursday, its biggest move in a decade, as inflation reached 6.8% in January.")
    sig = signature(BODY, s)
    assert similarity(sig, signature(copy, s)) >= s.near_duplicate_threshold
    assert similarity(sig, signature(other, s)) < 0.1
    shared = set(band_keys(sig, s)) & set(band_keys(signature(copy, s), s))
    assert shared, "a near duplicate must share at least one LSH band"


def test_signatures_are_deterministic_and_bands_fit_the_permutations() -> None:
    s = Settings()
    assert (signature(BODY, s) == signature(BODY, s)).all()
    b, r = bands_rows(s.near_duplicate_threshold, s.minhash_permutations)
    assert b * r <= s.minhash_permutations and len(band_keys(signature(BODY, s), s)) == b


def test_originals_come_first() -> None:
    late = art(BODY, id="a-2", published="2026-02-04")
    early = art(BODY, id="a-1", published="2026-02-03")
    undated = art(BODY, id="a-3")
    assert [a.id for a in original_first([undated, late, early])] == ["a-1", "a-2", "a-3"]


WIRE = ("HARBOUR TOWN (Wire) - Dockworkers at the country's largest port walked out on Monday "
        "after talks on pay broke down, leaving 40 container ships waiting at anchor. The union "
        "says its 12,000 members will stay out until the port authority offers more than 3%. "
        "Port officials said perishable cargo would be moved to a smaller terminal up the coast. "
        "Farmers' groups warned that fruit exports worth $20 million a week were at risk. "
        "The transport minister, Anna Ferreira, said she would meet both sides on Wednesday.")


def test_an_excerpt_that_starts_later_and_is_cut_off_is_a_copy() -> None:
    """Two 2,000-byte excerpts of one wire story: one site shows a menu and a caption first and
    is cut off mid-story, the other starts at the story. They share only part of either text,
    but all of the text both could hold."""
    s = Settings()
    site = ("Home | News | Sport | Weather\nPhoto: Ships at anchor off the port (Wire)\n"
            + WIRE[:WIRE.index("Farmers'")])
    shared, share = coverage(copy_words(site), copy_words(WIRE))
    assert shared >= s.copy_min_words and share > 0.9
    assert is_copy(copy_words(site), copy_words(WIRE), s)


def test_a_scrape_with_html_entities_is_still_a_copy() -> None:
    scraped = (WIRE.replace("'", "&#8217;").replace("$", "&#36;").replace(" - ", " &ndash; ")
               + " &lt;div class=&quot;ad-slot&quot;&gt;&lt;/div&gt; Read more from Wire")
    assert is_copy(copy_words(scraped), copy_words(WIRE), Settings())


def test_two_versions_of_one_wire_story_are_copies_whatever_each_adds() -> None:
    """A blog's copy of an earlier version of the wire story and the full later version: each
    adds paragraphs of its own, so the words they share are a small part of either text, but a
    hundred of them in runs are one text."""
    s = Settings()
    own = " ".join(f"Paragraph {i} of this site's own reporting on the harbour, the {i}th detail."
                   for i in range(30))
    other = " ".join(f"An update gives the {i}th figure from officials in another district today."
                     for i in range(30))
    early, later = WIRE + " " + own, WIRE + " " + other  # the wire text: 87 words
    shared, share = coverage(copy_words(early), copy_words(later))
    assert shared >= s.copy_run_words and share < s.copy_coverage
    assert is_copy(copy_words(early), copy_words(later), s)
    # one paragraph in common (a shared passage of background) is not
    assert not is_copy(copy_words(WIRE[:WIRE.index("Port officials")] + own),
                       copy_words(WIRE[:WIRE.index("Port officials")] + other), s)


def test_two_articles_quoting_one_statement_are_not_copies() -> None:
    """Independent reports that carry the same press-release quote share those words but not
    the text around them on either side."""
    quote = ("“We reached an agreement that protects every job at the automated terminal and "
             "gives our members a fair rise over two years,” the union's leader said.")
    one = ("The port strike ended on Thursday after four days. " + quote + " Ships began "
           "unloading within hours and the queue at anchor was expected to clear by Sunday, "
           "officials said, as exporters counted the cost of the stoppage.")
    two = ("Dockworkers voted to return to work, ending a stoppage that had stranded dozens of "
           "vessels. " + quote + " The port authority confirmed a 4% rise this year and 3% the "
           "next, and said automation would go ahead at a slower pace than planned.")
    assert not is_copy(copy_words(one), copy_words(two), Settings())
    raw, _ = coverage(normalise(one), normalise(two))
    assert raw >= 20  # unmasked, the quotation is one long shared run


def test_different_stories_share_nothing_in_runs() -> None:
    other = ("The central bank raised its main rate by three quarters of a point to 4.5% on "
             "Thursday, its biggest move in a decade, as inflation reached 6.8% in January.")
    assert coverage(copy_words(other), copy_words(WIRE)) == (0, 0.0)


def test_a_copy_with_its_paragraphs_moved_is_held_by_containment() -> None:
    """Alignment keeps order: a copy whose paragraphs were put in reverse order aligns one
    paragraph of the six; shingle containment, order-free, holds nearly all of it."""
    s = Settings()
    moved = ". ".join(reversed(WIRE.split(". ")))
    assert containment(shingles(moved, s), shingles(WIRE, s)) >= s.copy_containment
    assert coverage(copy_words(moved), copy_words(WIRE))[0] < len(copy_words(WIRE)) / 3
