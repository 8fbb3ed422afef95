"""Matching quality side by side: a naive rapidfuzz baseline against therafaq's Matcher.

Both run on the same corpus and the same labelled files (JSON Lines of {"q": question, "expect": id or null}).

- baseline: rapidfuzz `process.extractOne` with `fuzz.WRatio` (processor `rapidfuzz.utils.default_process`)
  against each entry's main question only; it answers when its score reaches a cutoff. To be fair to it, the
  cutoff is the best one for that very file (swept over 0-100, maximising the mean of answered-and-correct and
  rejection), which is optimistic for the baseline. The corpus side is processed once, as any real use would.
- therafaq: `Matcher(corpus).match(question, top=3)` with `DEFAULT_MIN_SCORE`, as `therafaq eval` runs it, and
  the same with its words alone (without the entry model, as any corpus but the bundled one is matched).

Run from the repository root with the project's environment:

    .venv/bin/python bench/matching.py                      # ../shared/eval/dev.jsonl and tests/data/fresh.jsonl
    .venv/bin/python bench/matching.py FILE.jsonl --corpus my-corpus.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from therafaq.corpus import Corpus, CorpusError, Entry
from therafaq.corpus_file import load_corpus, resolve_corpus_path
from therafaq.evaluation import Case, EvalFileError, Report, evaluate, load_cases
from therafaq.matching import DEFAULT_MIN_SCORE, Matcher

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = (ROOT.parent / "shared" / "eval" / "dev.jsonl", ROOT / "tests" / "data" / "fresh.jsonl")
CUTOFFS = range(101)


@dataclass(frozen=True, slots=True)
class BaselineMatch:
    entry: Entry
    score: float


@dataclass(frozen=True, slots=True)
class BaselineResult:
    """Shaped like `therafaq.matching.Result`, which is all `evaluate` reads."""

    query: str
    matches: tuple[BaselineMatch, ...]
    min_score: float

    @property
    def answered(self) -> bool:
        return bool(self.matches) and self.matches[0].score >= self.min_score


class Baseline:
    """WRatio against each entry's main question; the corpus side is processed once."""

    def __init__(self, corpus: Corpus) -> None:
        self.entries = corpus.entries
        self.choices = [default_process(entry.question) for entry in corpus.entries]

    def __call__(self, question: str, cutoff: float) -> BaselineResult:
        found = process.extractOne(default_process(question), self.choices, scorer=fuzz.WRatio, processor=None)
        matches = (BaselineMatch(self.entries[found[2]], found[1]),) if found else ()
        return BaselineResult(question, matches, cutoff)


def calibrate(cases: list[Case], baseline: Baseline) -> float:
    """The cutoff that maximises the mean of answered-and-correct and rejection on `cases` (lowest on a tie)."""
    scored = []
    for case in cases:
        result = baseline(case.question, 0.0)
        best = result.matches[0] if result.matches else None
        scored.append((case.expect, best.entry.id if best else None, best.score if best else 0.0))
    covered = sum(expect is not None for expect, _, _ in scored) or 1
    uncovered = sum(expect is None for expect, _, _ in scored) or 1
    best_cutoff, best_balance = 0.0, -1.0
    for cutoff in CUTOFFS:
        correct = sum(expect is not None and got == expect and score >= cutoff for expect, got, score in scored)
        rejected = sum(expect is None and score < cutoff for expect, _, score in scored)
        balance = (correct / covered + rejected / uncovered) / 2
        if balance > best_balance:
            best_cutoff, best_balance = float(cutoff), balance
    return best_cutoff


def tied_share(cases: list[Case], baseline: Baseline) -> float:
    """How often two or more main questions share the baseline's best score (WRatio saturates)."""
    tied = 0
    for case in cases:
        found = process.extract(
            default_process(case.question), baseline.choices, scorer=fuzz.WRatio, processor=None, limit=2
        )
        tied += len(found) == 2 and found[0][1] == found[1][1]
    return tied / len(cases)


def confidently_wrong(report: Report) -> float:
    """The share of covered questions given a confident answer that is not the right one."""
    wrong = sum(m.expected is not None and m.got is not None for m in report.misses)
    return wrong / report.covered if report.covered else 0.0


def table(rows: list[tuple[str, Report]]) -> str:
    lines = [
        "| method | top-1 | answered-and-correct (covered) | confidently wrong (covered) | rejection (uncovered) "
        "| median ms per question |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, report in rows:
        lines.append(
            f"| {name} | {report.top1:.3f} | {report.answered_correct:.3f} | {confidently_wrong(report):.3f} "
            f"| {report.rejection:.3f} | {report.median_ms:.3f} |"
        )
    return "\n".join(lines)


def styles_of(path: Path) -> dict[str, str]:
    """Each question's "style" label, where the file has them (the blind sets do)."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            if isinstance(record, dict) and isinstance(record.get("style"), str):
                found[record["q"]] = record["style"]
    return found


def style_table(cases: list[Case], styles: dict[str, str], matcher: Matcher, words: Matcher) -> str:
    """therafaq's figures per style of question (and its words alone's answered-and-correct)."""
    lines = [
        "| style | covered | top-1 | top-3 | answered-and-correct (words alone) | confidently wrong | uncovered "
        "| rejection |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for style in sorted(set(styles.values())):
        chosen = [case for case in cases if styles.get(case.question) == style]
        report = evaluate(chosen, lambda question: matcher.match(question, top=3, min_score=DEFAULT_MIN_SCORE))
        alone = evaluate(chosen, lambda question: words.match(question, top=3, min_score=DEFAULT_MIN_SCORE))
        rejection = f"{report.rejection:.3f}" if report.uncovered else "n/a"
        lines.append(
            f"| {style} | {report.covered} | {report.top1:.3f} | {report.top3:.3f} | {report.answered_correct:.3f} "
            f"({alone.answered_correct:.3f}) | {confidently_wrong(report):.3f} | {report.uncovered} | {rejection} |"
        )
    return "\n".join(lines)


def bench_file(path: Path, corpus: Corpus, baseline: Baseline, matcher: Matcher, words: Matcher) -> str:
    cases = load_cases(path, corpus.id_map())
    cutoff = calibrate(cases, baseline)
    always = evaluate(cases, lambda question: baseline(question, 0.0))
    base = evaluate(cases, lambda question: baseline(question, cutoff))
    ours = evaluate(cases, lambda question: matcher.match(question, top=3, min_score=DEFAULT_MIN_SCORE))
    alone = evaluate(cases, lambda question: words.match(question, top=3, min_score=DEFAULT_MIN_SCORE))
    heading = f"### {os.path.relpath(path, ROOT)}: {base.covered} covered, {base.uncovered} uncovered questions"
    rows = [
        ("rapidfuzz WRatio, main question only (cutoff 0: always answers)", always),
        (f"rapidfuzz WRatio, main question only (cutoff {cutoff:g}, best for this file)", base),
        (f"therafaq Matcher, words alone (min score {DEFAULT_MIN_SCORE:g})", alone),
        (f"therafaq Matcher (min score {DEFAULT_MIN_SCORE:g})", ours),
    ]
    if matcher.learned is None:  # a corpus of one's own: no entry model, the two rows are one
        del rows[2]
    note = (
        f"The baseline's best score is shared by two or more entries for {tied_share(cases, baseline):.0%} "
        "of these questions (WRatio's scaled partial ratio saturates on the words every question shares), "
        "so its top-1 is mostly decided by corpus order."
    )
    styles = styles_of(path)
    by_style = f"\ntherafaq by style:\n\n{style_table(cases, styles, matcher, words)}\n" if styles else ""
    return f"{heading}\n\n{table(rows)}\n\n{note}\n{by_style}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="labelled JSON Lines files (default: dev and fresh)")
    parser.add_argument("--corpus", type=Path, help="corpus file (default: $THERAFAQ_CORPUS or the bundled one)")
    args = parser.parse_args(argv)
    files = args.files or [path for path in DEFAULT_FILES if path.is_file()]
    if not files:
        parser.error("no labelled file given and none of the default ones exists")
    try:
        corpus = load_corpus(resolve_corpus_path(args.corpus))
    except CorpusError as error:
        print(f"matching.py: cannot use corpus: {error}", file=sys.stderr)
        return 2
    baseline, matcher, words = Baseline(corpus), Matcher(corpus), Matcher(corpus, entry_model=False)
    print(f"Corpus: {corpus.path} ({len(corpus.entries)} entries)\n")
    for path in files:
        try:
            print(bench_file(path, corpus, baseline, matcher, words))
        except EvalFileError as error:
            print(f"matching.py: {error}", file=sys.stderr)
            return 2
    print(
        "The baseline's cutoff is calibrated on the very file it is scored on (the best mean of "
        "answered-and-correct and rejection over cutoffs 0-100), so its figures are an upper bound for it; "
        "therafaq's threshold is fixed."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
