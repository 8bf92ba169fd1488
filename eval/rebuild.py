"""Rebuild and check the texts of a labelled corpus of real pages.

The texts are third-party and never committed; each corpus README says how
to fetch them again from the stored public web pages (`pages`).  Whoever
fetches them saves each returned excerpt, exactly as the search answer gave
it, as a JSON string in ``STAGING/NNN.json`` (the JSON escapes kept, so no
character is lost in copying).  This script turns the staging folder into the
corpus texts and checks them against the labels::

    python eval/rebuild.py plan  eval/real            # which query finds which file
    python eval/rebuild.py write eval/real STAGING OUT # NNN.json -> NNN.txt
    python eval/rebuild.py check eval/real OUT         # every file there, every value found

``write`` drops the store's leading `` date YYYY-MM-DD `` prefix where the
file's notes say "store date prefix removed", as both READMEs ask.
``check`` exits 1 and names each missing file and each value not found.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

_PREFIX = re.compile(r"^\s*date \d{4}-\d{2}(?:-\d{2})? ")
_ROW = re.compile(r"\| (\d{3}) \| (\d+) ")
_QUERY = re.compile(r"^\s+(\d+)\. `(.+)`$", re.M)


def labels(corpus: Path) -> list[dict]:
    return json.loads((corpus / "labels.json").read_text(encoding="utf-8"))


def plan(corpus: Path) -> dict[str, list[dict]]:
    """Query text -> the label rows (file, url, title) it should return."""
    readme = (corpus / "README.md").read_text(encoding="utf-8")
    rebuild = readme[readme.index("## Kept in the repo") :]
    queries = dict(_QUERY.findall(readme))
    by_file = dict(_ROW.findall(rebuild))
    out: dict[str, list[dict]] = {}
    for row in labels(corpus):
        number = by_file[row["file"][:3]]
        out.setdefault(queries[number], []).append(
            {"file": row["file"], "url": row["url"], "title": row["title"]}
        )
    return out


def text_of(row: dict, excerpt: str) -> str:
    if "store date prefix removed" in (row.get("notes") or ""):
        return _PREFIX.sub("", excerpt, count=1)
    return excerpt


def write(corpus: Path, staging: Path, out: Path) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    missing = []
    for row in labels(corpus):
        source = staging / (row["file"][:3] + ".json")
        if not source.exists():
            missing.append(row["file"])
            continue
        excerpt = json.loads(source.read_text(encoding="utf-8"))
        (out / row["file"]).write_text(text_of(row, excerpt), encoding="utf-8")
    return missing


def snippets(value: str) -> list[str]:
    """The literal pieces of a value: several snippets may be joined with " … " or " / "."""
    return [piece for part in value.split(" … ") for piece in part.split(" / ")]


def check(corpus: Path, texts: Path) -> list[str]:
    problems = []
    rows = labels(corpus)
    present = {}
    for row in rows:
        path = texts / row["file"]
        if not path.exists():
            problems.append(f"{row['file']}: missing (url {row['url']})")
        else:
            present[row["file"]] = path.read_text(encoding="utf-8")
    events = json.loads((corpus / "events.json").read_text(encoding="utf-8"))
    for event_id, event in events.items():
        for fact in event.get("facts", []):
            for name, value in fact["values_by_file"].items():
                text = present.get(name)
                if text is not None and any(piece not in text for piece in snippets(value)):
                    problems.append(f"{name}: value {value!r} of {fact['fact']!r} ({event_id}) not found")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in {"plan", "write", "check"}:
        print(__doc__)
        return 2
    corpus = Path(argv[1])
    if argv[0] == "plan":
        print(json.dumps(plan(corpus), indent=1, ensure_ascii=False))
        return 0
    if argv[0] == "write":
        missing = write(corpus, Path(argv[2]), Path(argv[3]))
        for name in missing:
            print(f"{name}: no staging file", file=sys.stderr)
        return 1 if missing else 0
    problems = check(corpus, Path(argv[2]))
    for line in problems:
        print(line, file=sys.stderr)
    print(f"{len(labels(corpus))} files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
