"""Derive what therafaq/risk.json keeps about its own patterns: anchors and real words.

Anchors are strings every match of a pattern contains; the vocabulary is every
word the patterns are written in.

The risk check compiles a group of patterns only when the text holds one of
its anchors, so the anchors must be sound: this walks each pattern's parse
tree and, for every alternative, picks a piece that every match must contain
(a run of literal characters, or one of a group's alternatives when each of
them has one). `tests/test_risk.py` checks that risk.json holds exactly these;
after changing a pattern, run `python -m tests.risk_data` to write them.

Real words are the dictionary words one slip from a word the patterns use
("loving" from "living"): the risk check never mends them. They come from the
system's word lists (Debian's wamerican and wbritish, `apt-get install
wamerican wbritish`), read only here, never at run time.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

try:  # Python 3.11+
    import re._constants as sre
    import re._parser as sre_parse
except ImportError:  # Python 3.10
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

from therafaq.risk import DATA_FILE, RiskCheck, pattern_vocabulary


def required(items) -> set[str] | None:
    """A set of strings one of which every match of the sequence `items` contains, or None."""
    candidates: list[set[str]] = []
    run = ""
    for op, argument in items:
        if op is sre.LITERAL:
            run += chr(argument)
            continue
        if run:
            candidates.append({run})
            run = ""
        found: set[str] | None = None
        if op is sre.SUBPATTERN:
            found = required(argument[-1])
        elif op is sre.BRANCH:
            branches = [required(branch) for branch in argument[1]]
            found = set().union(*branches) if all(branches) else None  # type: ignore[arg-type]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and argument[0] >= 1:
            found = required(argument[2])
        if found:
            candidates.append(found)
    if run:
        candidates.append({run})
    if not candidates:
        return None
    # The most telling choice: its shortest string as long as can be, then the fewest strings.
    return max(candidates, key=lambda c: (min(len(s.strip()) for s in c), -len(c)))


def anchors_of(source: str) -> list[str]:
    found = required(sre_parse.parse(source))
    if found is None:
        raise ValueError(f"a pattern with nothing every match must contain: {source[:80]}")
    return sorted(found)


def derived(check: RiskCheck) -> dict[str, list[list[str]]]:
    return {
        name: [anchors_of(pattern.source) for pattern in group.patterns]
        for name, group in check.pattern_groups().items()
    }


WORD_LISTS = [Path("/usr/share/dict/american-english"), Path("/usr/share/dict/british-english")]


def real_words(check: RiskCheck) -> list[str]:
    """Dictionary words that the check, mending freely, would read as another word."""
    found = set()
    for path in WORD_LISTS:
        for word in path.read_text("utf-8", errors="replace").split():
            if re.fullmatch(r"[a-z]{3,}", word) and check._resolve(word) != word:
                found.add(word)
    return sorted(found)


def main() -> None:
    if not all(path.exists() for path in WORD_LISTS):
        sys.exit(f"needs {' and '.join(map(str, WORD_LISTS))}: apt-get install wamerican wbritish")
    data = json.loads(DATA_FILE.read_text("utf-8"))
    data["vocabulary"] = pattern_vocabulary(data)
    free = RiskCheck({**data, "anchors": _placeholders(data), "real_words": []})
    data["anchors"] = derived(free)
    data["real_words"] = real_words(free)
    DATA_FILE.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote the anchors of {len(data['anchors'])} groups and {len(data['real_words'])} real words\n")


def _placeholders(data: dict) -> dict[str, list[list[str]]]:
    groups = {
        "help": data["help"],
        "idioms": data["idioms"],
        **{rule["kind"]: rule["patterns"] for rule in data["rules"]},
    }
    return {name: [[]] * len(patterns) for name, patterns in groups.items()}


if __name__ == "__main__":
    main()
