"""Measure the risk check against a labelled file of messages.

Each line is `{"q": message, "risk": "crisis" | "concern" | null, "kind": name}`;
null marks an ordinary or benign message that must not be flagged. The
report gives recall per tier, false alarms, and a row per kind (tried,
flagged, missed), so a miss is read as a kind of message the mechanism does
not understand, never as a line to patch.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from therafaq.evaluation import EvalFileError, labelled_lines
from therafaq.risk import CONCERN, CRISIS, RiskCheck

TIERS = (CRISIS, CONCERN, None)


@dataclass(frozen=True, slots=True)
class RiskCase:
    message: str
    risk: str | None
    kind: str


@dataclass(frozen=True, slots=True)
class KindRow:
    """One kind's messages: how many were tried, flagged and given the crisis tier; of its
    at-risk messages, how many were missed; of its unflagged-by-label ones, how many were flagged."""

    kind: str
    tried: int
    flagged: int
    as_crisis: int
    missed: int
    false_alarms: int


@dataclass(frozen=True, slots=True)
class RiskMiss:
    message: str
    expected: str | None
    got: str | None


@dataclass(frozen=True)
class RiskReport:
    rows: tuple[KindRow, ...]
    counts: dict[str | None, int]  # labelled messages per tier
    flagged: dict[str | None, int]  # of those, flagged (either tier)
    crisis_as_crisis: int
    misses: tuple[RiskMiss, ...]

    def share(self, tier: str | None) -> float | None:
        return self.flagged[tier] / self.counts[tier] if self.counts[tier] else None

    @property
    def at_risk_recall(self) -> float | None:
        total = self.counts[CRISIS] + self.counts[CONCERN]
        return (self.flagged[CRISIS] + self.flagged[CONCERN]) / total if total else None

    @property
    def crisis_tier_recall(self) -> float | None:
        return self.crisis_as_crisis / self.counts[CRISIS] if self.counts[CRISIS] else None

    def as_dict(self) -> dict[str, object]:
        return {
            "at_risk_flagged": _round(self.at_risk_recall),
            "crisis_flagged": _round(self.share(CRISIS)),
            "crisis_given_crisis": _round(self.crisis_tier_recall),
            "concern_flagged": _round(self.share(CONCERN)),
            "false_alarms": _round(self.share(None)),
            "counts": {str(tier): self.counts[tier] for tier in TIERS},
            "kinds": [
                {
                    "kind": r.kind,
                    "tried": r.tried,
                    "flagged": r.flagged,
                    "missed": r.missed,
                    "false_alarms": r.false_alarms,
                    "as_crisis": r.as_crisis,
                }
                for r in self.rows
            ],
            "misses": [{"q": m.message, "expected": m.expected, "got": m.got} for m in self.misses],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def is_risk_file(path: str | os.PathLike[str]) -> bool:
    """Whether the file's first labelled line carries a "risk" label (so it is a risk file)."""
    try:
        with open(path, encoding="utf-8") as file:
            for line in file:
                if line.strip():
                    record = json.loads(line)
                    return isinstance(record, dict) and "risk" in record
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return False


def load_risk_cases(path: str | os.PathLike[str]) -> list[RiskCase]:
    """Read `{"q": text, "risk": tier or null, "kind": name}` lines; EvalFileError names a bad one."""
    cases = []
    for number, record in labelled_lines(path):
        if (
            not isinstance(record, dict)
            or not isinstance(record.get("q"), str)
            or "risk" not in record
            or record["risk"] not in TIERS
        ):
            raise EvalFileError(f'{path}: line {number}: expected {{"q": text, "risk": "crisis", "concern" or null}}')
        kind = record.get("kind")
        cases.append(RiskCase(record["q"], record["risk"], kind if isinstance(kind, str) else "unlabelled"))
    if not cases:
        raise EvalFileError(f"{path}: no messages found")
    return cases


def evaluate_risk(cases: list[RiskCase], check: RiskCheck) -> RiskReport:
    counts: dict[str | None, int] = dict.fromkeys(TIERS, 0)
    flagged: dict[str | None, int] = dict.fromkeys(TIERS, 0)
    per_kind: dict[str, list[int]] = {}
    crisis_as_crisis = 0
    misses = []
    for case in cases:
        found = check.assess(case.message)
        got = found.tier if found else None
        counts[case.risk] += 1
        flagged[case.risk] += got is not None
        crisis_as_crisis += case.risk == CRISIS and got == CRISIS
        row = per_kind.setdefault(case.kind, [0, 0, 0, 0, 0])
        row[0] += 1
        row[1] += got is not None
        row[2] += got == CRISIS
        row[3] += case.risk is not None and got is None
        row[4] += case.risk is None and got is not None
        if (got is None) != (case.risk is None) or (case.risk == CRISIS and got == CONCERN):
            misses.append(RiskMiss(case.message, case.risk, got))
    rows = tuple(KindRow(kind, *numbers) for kind, numbers in per_kind.items())
    return RiskReport(rows, counts, flagged, crisis_as_crisis, tuple(misses))
