"""Tables of one sorted line per key, read without parsing what a run does not ask for.

The word model's weights and the entry model's counts are thousands of lines, of which one
question needs a few dozen: a run reads the file as lines and finds each key by bisection,
instead of building a dict of every line first (that cost each run several milliseconds).
A line is `key<TAB>rest`; keys hold no tab; the first line is a header.
"""

from __future__ import annotations

from bisect import bisect_left
from pathlib import Path


def read_lines(path: Path) -> list[str]:
    """The file's lines, without the empty one after its last newline."""
    lines = path.read_text("utf-8").split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def find(lines: list[str], key: str) -> str | None:
    """What follows `key` and its tab on its line, or None; `lines` sorted after the header."""
    prefix = key + "\t"
    place = bisect_left(lines, prefix, 1)
    if place == len(lines) or not lines[place].startswith(prefix):
        return None
    return lines[place][len(prefix) :]
