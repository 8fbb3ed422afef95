"""Measure matching quality against a labelled file of real questions.

A corpus maintainer keeps a JSON Lines file of questions people actually ask,
each labelled with the entry that should answer it (or null when the corpus
does not cover it), and checks every change to the corpus against it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import statistics
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from therafaq.matching import Matcher, Result
from therafaq.risk import CONCERN, CRISIS, default_check


class EvalFileError(Exception):
    """A labelled file that cannot be read; names the line at fault."""


@dataclass(frozen=True, slots=True)
class Case:
    question: str
    expect: str | None


@dataclass(frozen=True, slots=True)
class Miss:
    question: str
    expected: str | None
    got: str | None
    best: str | None
    score: float


@dataclass(frozen=True)
class Report:
    covered: int
    uncovered: int
    top1: float
    top3: float
    mrr: float
    answered_correct: float
    rejection: float
    median_ms: float
    misses: tuple[Miss, ...] = field(default=())
    risk_flags: dict[str, int] = field(default_factory=dict)  # questions the risk check flagged, per tier

    def figures(self) -> dict[str, float | None]:
        """Each share, or None where no question stands behind it (no covered, or no uncovered, ones)."""
        covered = self.covered > 0
        return {
            "top1_accuracy": self.top1 if covered else None,
            "top3_accuracy": self.top3 if covered else None,
            "mrr": self.mrr if covered else None,
            "answered_correct": self.answered_correct if covered else None,
            "rejection": self.rejection if self.uncovered > 0 else None,
        }

    def as_dict(self) -> dict[str, object]:
        shares = {key: None if value is None else round(value, 4) for key, value in self.figures().items()}
        return {
            "covered": self.covered,
            "uncovered": self.uncovered,
            **shares,
            "median_ms": round(self.median_ms, 4),
            "risk_flags": dict(self.risk_flags),
            "misses": [
                {"q": m.question, "expected": m.expected, "got": m.got, "best": m.best, "score": m.score}
                for m in self.misses
            ],
        }


def labelled_lines(path: str | os.PathLike[str]) -> Iterator[tuple[int, Any]]:
    """(line number, decoded JSON) for each non-blank line; EvalFileError names the line at fault."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise EvalFileError(f"{path}: cannot read: {error}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            raise EvalFileError(f"{path}: line {number}: not valid JSON ({error.msg})") from None


def load_cases(path: str | os.PathLike[str], known_ids: Mapping[str, str] | None = None) -> list[Case]:
    """Read `{"q": str, "expect": id or null}` lines; blank lines are skipped.

    `known_ids` maps every id a label may name to the entry's id now (see
    `Corpus.id_map`), so a label naming a merged entry's old id still counts.
    """
    cases = []
    for number, record in labelled_lines(path):
        if not isinstance(record, dict) or not isinstance(record.get("q"), str) or not record["q"].strip():
            raise EvalFileError(f'{path}: line {number}: expected {{"q": text, "expect": id or null}}')
        if "expect" not in record:
            raise EvalFileError(
                f"{path}: line {number}: no 'expect' (an entry id, or null for a question the corpus does not cover)"
            )
        expect = record["expect"]
        if expect is not None and not isinstance(expect, str):
            raise EvalFileError(f"{path}: line {number}: 'expect' must be an entry id or null")
        if expect is not None and known_ids is not None:
            if expect not in known_ids:
                raise EvalFileError(f"{path}: line {number}: unknown entry id {expect!r}")
            expect = known_ids[expect]
        cases.append(Case(record["q"], expect))
    if not cases:
        raise EvalFileError(f"{path}: no questions found")
    return cases


def evaluate(
    cases: list[Case],
    answer: Callable[[str], Result],
) -> Report:
    """Run every case through `answer` (top 3 candidates) and score it."""
    covered = [c for c in cases if c.expect is not None]
    uncovered = [c for c in cases if c.expect is None]
    top1 = top3 = reciprocal = correct = rejected = 0.0
    misses: list[Miss] = []
    timings: list[float] = []
    for case in cases:
        start = time.perf_counter()
        result = answer(case.question)
        timings.append((time.perf_counter() - start) * 1000)
        ranked = [m.entry.id for m in result.matches]
        best = result.matches[0] if result.matches else None
        got = best.entry.id if best and result.answered else None
        score = best.score if best else 0.0
        if case.expect is None:
            rejected += got is None
        else:
            top1 += ranked[:1] == [case.expect]
            top3 += case.expect in ranked[:3]
            reciprocal += 1 / (ranked.index(case.expect) + 1) if case.expect in ranked else 0.0
            correct += got == case.expect
        if got != case.expect:
            misses.append(Miss(case.question, case.expect, got, best.entry.id if best else None, score))
    n = len(covered) or 1
    return Report(
        covered=len(covered),
        uncovered=len(uncovered),
        top1=top1 / n,
        top3=top3 / n,
        mrr=reciprocal / n,
        answered_correct=correct / n,
        rejection=rejected / (len(uncovered) or 1),
        median_ms=statistics.median(timings),
        misses=tuple(misses),
    )


def evaluate_matcher(cases: list[Case], matcher: Matcher, min_score: float) -> Report:
    """Matching figures, and how many of these (ordinary) questions the risk check would flag."""
    report = evaluate(cases, lambda q: matcher.match(q, top=3, min_score=min_score))
    check = default_check()
    flags = {CRISIS: 0, CONCERN: 0}
    for case in cases:
        found = check.assess(case.question)
        if found is not None:
            flags[found.tier] += 1
    return dataclasses.replace(report, risk_flags=flags)
