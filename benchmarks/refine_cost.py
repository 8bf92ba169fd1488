"""CPU time of refining one large story (``StoryIndex.refine``), the worst case of a small batch:
one new article joins a story of many members, and every member is scored again.

    .venv/bin/python benchmarks/refine_cost.py [--members 300] [--others 2000]

Synthetic members (random words of a topic's vocabulary, two entity keys each); the large story
is one topic, the others belong to 90 smaller stories, all on one day.
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np

from corroborate.settings import Settings
from corroborate.store import Member
from corroborate.stories import StoryIndex


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--others", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(1)
    vocabulary = [f"w{i}" for i in range(5000)]

    def member(i: int, story: str, topic: int) -> Member:
        words = rng.sample(vocabulary[topic * 50:topic * 50 + 200], 40) + rng.sample(vocabulary, 20)
        keys = frozenset({f"k{topic}", f"k{rng.randint(0, 99)}"})
        return Member(f"a{i}", story, "2026-02-02", keys, dict.fromkeys(words, 1))

    members = [member(i, "big", 0) for i in range(args.members)]
    members += [member(i, f"s{1 + i % 90}", 1 + i % 90)
                for i in range(args.members, args.members + args.others)]
    index = StoryIndex(members, np.zeros((len(members), 4), dtype=np.float32))
    start = time.process_time()
    moved = index.refine({"big"}, Settings())
    print(f"refining a story of {args.members} among {len(members)} members: "
          f"{time.process_time() - start:.2f} CPU-s, {len(moved)} moved")


if __name__ == "__main__":
    main()
