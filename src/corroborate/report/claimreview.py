"""schema.org ClaimReview JSON-LD for contested and corroborated claims, so fact-checkers can
publish or exchange them. One ClaimReview per value of a claim: "Commerce Secretary: Howard Lutnick"
is reviewed as contested, with every article that makes it as an appearance and the other values
in the explanation. corroborate rates agreement between sources, not truth, and says so."""

from __future__ import annotations

from typing import Any

RATINGS = {"contested": "Contested", "corroborated": "Corroborated"}


def claim_reviews(report: dict[str, Any]) -> dict[str, Any]:
    articles = {a["id"]: a for a in report["articles"]}
    seen: set[str] = set()
    graph = []
    for story in report["stories"]:
        for claim in story["claims"]:
            if claim["verdict"] not in RATINGS or claim["id"] in seen:
                continue
            seen.add(claim["id"])
            for n, value in enumerate(claim["values"], start=1):
                graph.append(_review(claim, value, n, articles, report["generated_at"]))
    return {"@context": "https://schema.org", "@graph": graph}


def _review(claim: dict[str, Any], value: dict[str, Any], n: int,
            articles: dict[str, dict[str, Any]], generated: str) -> dict[str, Any]:
    others = [v for v in claim["values"] if v is not value]
    if claim["verdict"] == "contested":
        explanation = (f"Outlets disagree. This value is given by {_outlets(value, articles)}; "
                       + "; ".join(f"{v['value']} by {_outlets(v, articles)}" for v in others) + ".")
    else:
        explanation = (f"Given by {claim['independent_sources']} independent sources: "
                       f"{_outlets(value, articles)}.")
    return {
        "@type": "ClaimReview",
        "identifier": f"{claim['id']}#{n}",
        "datePublished": generated[:10],
        "author": {"@type": "Organization", "name": "corroborate"},
        "claimReviewed": f"{claim['subject']}: {value['value']}",
        "reviewRating": {
            "@type": "Rating",
            "alternateName": RATINGS[claim["verdict"]],
            "ratingExplanation": explanation + " corroborate compares sources; it does not judge "
                                               "which value is true.",
        },
        "itemReviewed": {
            "@type": "Claim",
            "appearance": [_appearance(e, articles[e["article_id"]]) for e in value["evidence"]],
        },
    }


def _appearance(evidence: dict[str, Any], article: dict[str, Any]) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "text": evidence["sentence"]}
    if "://" in article["source"]:
        work["url"] = article["source"]
    if article["title"]:
        work["headline"] = article["title"]
    if article["outlet"]:
        work["publisher"] = {"@type": "Organization", "name": article["outlet"]}
    if article["published"]:
        work["datePublished"] = article["published"]
    return work


def _outlets(value: dict[str, Any], articles: dict[str, dict[str, Any]]) -> str:
    return ", ".join(dict.fromkeys(articles[i]["outlet"] or articles[i]["source"]
                                   for i in value["article_ids"]))
