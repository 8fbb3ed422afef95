"""How long the risk check takes on one message, by message size.

    .venv/bin/python bench/risk_speed.py

Times `RiskCheck.assess` in process with `timeit` (the best of five runs of
each), on a story made of ordinary therapy sentences with one disclosure in
the middle, so every pattern that could match has to be read. Beyond
`MAX_CHECKED_CHARS` only the first and last halves are read, so the last
row's disclosure, in the middle of a megabyte, is not found: by design.
"""

from __future__ import annotations

import sys
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from therafaq.risk import MAX_CHECKED_CHARS, default_check

SENTENCE = "My therapist asked about my week and I told her about work and my sister. "
DISCLOSURE = "I have been saving my tablets. "
SIZES = (100, 1_000, 10_000, 100_000, MAX_CHECKED_CHARS - 100, 1_000_000)


def story(size: int) -> str:
    half = SENTENCE * (size // (2 * len(SENTENCE)) + 1)
    return half[: size // 2] + DISCLOSURE + half[: size // 2]


def main() -> None:
    start = time.perf_counter()
    check = default_check()
    check.assess("can I hug my therapist")
    print(f"first message, patterns built: {1000 * (time.perf_counter() - start):.1f} ms\n")
    print("| message | characters | risk found | ms per message |")
    print("| --- | ---: | --- | ---: |")
    for size in SIZES:
        message = story(size)
        found = check.assess(message)
        runs = max(1, int(2_000 / max(size, 1_000)))
        best = min(timeit.repeat(lambda message=message: check.assess(message), number=runs, repeat=5)) / runs
        print(f"| story | {len(message):,} | {found.tier if found else 'none'} | {1000 * best:.2f} |")


if __name__ == "__main__":
    main()
