from __future__ import annotations

from corroborate.dedup import band_keys, bands_rows, original_first, signature, similarity, with_hash
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
