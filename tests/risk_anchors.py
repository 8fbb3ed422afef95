"""Derive the anchors of therafaq/risk.json: strings every match of a pattern group contains.

The risk check compiles a group of patterns only when the text holds one of
its anchors, so the anchors must be sound: this walks each pattern's parse
tree and, for every alternative, picks a piece that every match must contain
(a run of literal characters, or one of a group's alternatives when each of
them has one). `tests/test_risk.py` checks that risk.json holds exactly these;
after changing a pattern, run `python -m tests.risk_anchors` to write them.
"""

from __future__ import annotations

import json
import sys

try:  # Python 3.11+
    import re._constants as sre
    import re._parser as sre_parse
except ImportError:  # Python 3.10
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

from therafaq.risk import DATA_FILE, RiskCheck


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


def main() -> None:
    data = json.loads(DATA_FILE.read_text("utf-8"))
    data["anchors"] = {}
    data["anchors"] = derived(RiskCheck({**data, "anchors": _placeholders(data)}))
    DATA_FILE.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote the anchors of {len(data['anchors'])} pattern groups to {DATA_FILE}\n")


def _placeholders(data: dict) -> dict[str, list[list[str]]]:
    groups = {
        "help": data["help"],
        "idioms": data["idioms"],
        **{rule["kind"]: rule["patterns"] for rule in data["rules"]},
    }
    return {name: [[]] * len(patterns) for name, patterns in groups.items()}


if __name__ == "__main__":
    main()
