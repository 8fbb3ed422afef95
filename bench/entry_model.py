"""Fit the matcher's entry model and measure it on question sets it was not fitted on.

    .venv/bin/python bench/entry_model.py            # figures only
    .venv/bin/python bench/entry_model.py --write    # and write therafaq/entry_model.json and entry_counts.tsv

A naive Bayes classifier over each question's canonical terms and pairs of terms
(`therafaq.entry_model`), fitted on the bundled corpus's wordings and keywords and
on the labelled tuning sets (TUNING_SETS; covered questions under their entry,
uncovered ones under a class of their own). The blind sets (blind_reshaped,
blind_final, blind_guard, blind_after_model, blind_scope and blind_dec to blind_dec6)
are never read here, and the shared dev set only to be measured.

Each tuning set is held out in turn: the model is fitted on the corpus and the
other sets, and the held-out set is matched with it. How the model's word is
weighed against the matcher's score (temper, weight, null weight and the line an
answer must reach) is chosen on those held-out results, pooled: among the
settings that give no more confidently wrong answers and no fewer uncovered
questions rejected than the words alone, and that meet issue 11's targets for
both (wrong at most 3% of covered questions, rejected at least 95% of uncovered
ones) with a standard error to spare, the one answering most questions right.
If none meets the targets, the most answered right plus rejected, less twice
those answered wrongly (a wrong answer is worse than none). Each setting is
judged by the matcher itself, with each fold's model: a search that added the
model's points to each question's five best entries by words alone missed the
entries a story's parts found and the model's likeliest ones, and its pooled
figures came out 0.002 under the real wrong answers, enough to pass a setting
over the line. The table is the real Matcher with the chosen settings.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from therafaq.corpus import Corpus  # noqa: E402
from therafaq.corpus_file import bundled_corpus_path, load_corpus  # noqa: E402
from therafaq.entry_model import (  # noqa: E402
    COUNTS_FILE,
    MODEL_FILE,
    EntryModel,
    count_lines,
    features,
    fingerprint,
)
from therafaq.index import build_index  # noqa: E402
from therafaq.matching import DEFAULT_MIN_SCORE, Matcher, Result  # noqa: E402
from therafaq.sorted_lines import SortedLines  # noqa: E402

DATA = ROOT / "tests" / "data"
TUNING_SETS = [
    DATA / f"{name}.jsonl"
    for name in (
        "fresh",
        "holdout",
        "final_check",
        "blind",
        "style_train",
        "style_train2",
        "style_train3",
        "style_train4",
        "style_train5",
        "style_train6",
        "style_train7",
        "style_train8",
        "style_train9",
        "style_train10",
        "style_train11",
        "style_train12",
        "style_train13",
        "style_train14",
        "style_train15",
        "style_train16",
        "style_train17",
        "style_train18",
        "style_train19",
    )
]
# The shared development set is never fitted on, so that its figures stay a measure of the model
# (the check run before every stop reports them): it is matched by the model fitted on all of the above.
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
ALPHA = 0.1  # additive smoothing of the counts
TEMPERS = (0.35, 0.5, 0.7, 1.0)
WEIGHTS = (0.2, 0.3, 0.5)
NULL_WEIGHTS = (0.0, 0.5, 1.0, 2.0)
LINES = range(50, 92, 2)  # the line an answer must reach, on the unshifted scale
WRONG_TARGET = 0.03  # issue 11: confidently wrong answers at most 3% of covered questions
REJECTED_TARGET = 0.95  # and uncovered questions rejected at least 95% of the time
ABOUT = "Fitted by bench/entry_model.py; do not edit by hand. The counts are in entry_counts.tsv."

Case = tuple[str, str | None]  # a question and its entry id (None: not covered)


def lines(path: Path, corpus: Corpus) -> list[Case]:
    """A labelled set's questions, each with its entry's own id (a merged id is an alias)."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [(row["q"], _own_id(corpus, row["expect"])) for row in rows]


def _own_id(corpus: Corpus, entry_id: str | None) -> str | None:
    if entry_id is None:
        return None
    entry = corpus.entry(entry_id)
    if entry is None:
        raise SystemExit(f"no entry {entry_id!r} in the corpus")
    return entry.id


def wordings(corpus: Corpus) -> list[Case]:
    return [(w, entry.id) for entry in corpus.entries for w in (*entry.wordings, *entry.keywords)]


class Fitter:
    """Counts each class's features, each question read once as the matcher reads it."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._words = Matcher(corpus, entry_model=False)
        self._features: dict[str, set[str]] = {}
        self._place = {entry_id: n for n, entry_id in enumerate(corpus.ids)}

    def features(self, question: str) -> set[str]:
        found = self._features.get(question)
        if found is None:
            found = self._features[question] = features(*self._words.reading(question))
        return found

    def model(self, cases: Iterable[Case], **chosen: float) -> EntryModel:
        settings, counts = self.fit(cases, **chosen)
        return EntryModel(settings, SortedLines.of(counts))

    def fit(self, cases: Iterable[Case], **chosen: float) -> tuple[dict[str, Any], list[str]]:
        """The settings and the counts file's lines of a model fitted on `cases`."""
        null = len(self._place)
        counts: dict[str, collections.Counter[int]] = collections.defaultdict(collections.Counter)
        totals = [0] * (null + 1)
        for question, entry_id in cases:
            label = null if entry_id is None else self._place[entry_id]
            for feature in self.features(question):
                counts[feature][label] += 1
                totals[label] += 1
        return self._settings(totals, len(counts), **chosen), count_lines(counts)

    def _settings(self, totals: list[int], vocabulary: int, **chosen: float) -> dict[str, Any]:
        return {
            "about": ABOUT,
            "entries": list(self.corpus.ids),
            "fingerprint": fingerprint(self.corpus),
            "alpha": ALPHA,
            "vocabulary": vocabulary,
            "totals": totals,
            **{"temper": 1.0, "weight": 0.0, "null_weight": 0.0, "shift": 0.0, **chosen},
        }


def _row(expected: str | None, result: Result, top: float = 100.0) -> tuple[str | None, str | None, float]:
    """The expected id, the best entry's (None when there is none, or the question is about
    someone else) and its score as it was before `EntryModel.shown` drew the range up to `top`
    in to 100 (to the display's tenth of a point)."""
    if not result.matches or result.outside:
        return expected, None, -1.0
    line, shown = DEFAULT_MIN_SCORE, result.matches[0].score
    score = shown if shown <= line else line + (shown - line) * (top - line) / (100 - line)
    return expected, result.matches[0].entry.id, score


def tally(outcomes: Iterable[tuple[str | None, str | None, bool]]) -> tuple[float, float, float]:
    """Answered right and confidently wrong (of covered questions), rejected (of uncovered)."""
    covered = uncovered = right = wrong = rejected = 0
    for expected, best, answered in outcomes:
        if expected is None:
            uncovered += 1
            rejected += not answered
        else:
            covered += 1
            right += answered and best == expected
            wrong += answered and best != expected
    return right / max(1, covered), wrong / max(1, covered), rejected / max(1, uncovered)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write therafaq/entry_model.json and entry_counts.tsv")
    args = parser.parse_args()
    corpus = load_corpus(bundled_corpus_path())
    fitter = Fitter(corpus)
    words = Matcher(corpus, entry_model=False)
    sets = {path.stem: lines(path, corpus) for path in TUNING_SETS}

    # Each held-out question as the shipped matcher answers it with its fold's model, for each
    # temper, weight and null weight: the best entry and its score before the shift (the shift
    # moves every entry alike, so it only moves the line an answer must reach).
    index = build_index(corpus)
    folds = {
        name: [*wordings(corpus), *(case for other, more in sets.items() if other != name for case in more)]
        for name in sets
    }

    def matched(temper: float, weight: float, null_weight: float) -> list[tuple[str | None, str | None, float]]:
        found = []
        top = 100 + weight * 100  # the unshifted scale's top, which `EntryModel.shown` draws in to 100
        for name, cases in sets.items():
            model = fitter.model(folds[name], temper=temper, weight=weight, null_weight=null_weight)
            matcher = Matcher(corpus, index=index, entry_model=model)
            found += [_row(expected, matcher.match(question), top) for question, expected in cases]
        return found

    def outcomes(rows: list[tuple[str | None, str | None, float]], line: float):
        return ((expected, best, best is not None and score >= line) for expected, best, score in rows)

    words_rows = [_row(expected, words.match(question)) for cases in sets.values() for question, expected in cases]
    _, words_wrong, words_rejected = tally(outcomes(words_rows, DEFAULT_MIN_SCORE))
    choices = []
    for t in TEMPERS:
        for w in WEIGHTS:
            for nw in NULL_WEIGHTS:
                rows = matched(t, w, nw)
                choices += [(tally(outcomes(rows, line)), t, w, nw, line) for line in LINES]
    # The model may not cost what matters most: no more confident wrong answers, no fewer rejections.
    allowed = [c for c in choices if c[0][1] <= words_wrong and c[0][2] >= words_rejected]
    if not allowed:
        raise SystemExit("no setting of the grid keeps the words alone's wrong answers and rejections")
    # Met with a standard error to spare: the most answered of a thousand settings that only just
    # meet a target held out is likely to meet it by luck, and miss it on questions not yet seen.
    covered = sum(expected is not None for expected, _, _ in words_rows)
    wrong_line = WRONG_TARGET - math.sqrt(WRONG_TARGET * (1 - WRONG_TARGET) / covered)
    rejected_line = REJECTED_TARGET + math.sqrt(REJECTED_TARGET * (1 - REJECTED_TARGET) / (len(words_rows) - covered))
    on_target = [c for c in allowed if c[0][1] <= wrong_line and c[0][2] >= rejected_line]
    if on_target:
        (figures, temper, weight, null_weight, line) = max(on_target, key=lambda c: (c[0][0], -c[1]))
    else:
        (figures, temper, weight, null_weight, line) = max(
            allowed, key=lambda c: (c[0][0] + c[0][2] - 2 * c[0][1], -c[1])
        )
    chosen = {"temper": temper, "weight": weight, "null_weight": null_weight, "shift": line - DEFAULT_MIN_SCORE}
    print(
        f"chosen: {chosen} (pooled held-out: answered right {figures[0]:.3f}, wrong {figures[1]:.3f}, "
        f"rejected {figures[2]:.3f})\n"
    )

    print("| held-out set | covered / uncovered | answered right, words / with model | confidently wrong | rejected |")
    print("| --- | ---: | ---: | ---: | ---: |")
    pooled: dict[str, list[tuple[str | None, str | None, bool]]] = {"words": [], "model": []}
    calls: list[Call] = []  # each held-out question as the model matched it, for the close-call rule
    everything = [*wordings(corpus), *(case for more in sets.values() for case in more)]
    if DEV.exists():
        sets[DEV.stem], folds[DEV.stem] = lines(DEV, corpus), everything
    for name, cases in sets.items():
        fold = Matcher(corpus, entry_model=fitter.model(folds[name], **chosen))
        rows = {}
        for label, matcher in (("words", words), ("model", fold)):
            results = [matcher.match(q, top=3) for q, _ in cases]
            found = [
                (expected, r.matches[0].entry.id if r.matches else None, r.answered)
                for (_, expected), r in zip(cases, results, strict=True)
            ]
            if name != DEV.stem:  # the pooled row is the tuning sets', as the choice above was
                pooled[label] += found
                if label == "model":
                    calls += [_call(expected, r) for (_, expected), r in zip(cases, results, strict=True)]
            rows[label] = tally(found)
        covered = sum(e is not None for _, e in cases)
        (a0, w0, r0), (a1, w1, r1) = rows["words"], rows["model"]
        print(
            f"| {name} | {covered} / {len(cases) - covered} | {a0:.3f} / {a1:.3f} | {w0:.3f} / {w1:.3f} "
            f"| {r0:.3f} / {r1:.3f} |"
        )
    (a0, w0, r0), (a1, w1, r1) = tally(pooled["words"]), tally(pooled["model"])
    print(f"| pooled (the tuning sets) | | {a0:.3f} / {a1:.3f} | {w0:.3f} / {w1:.3f} | {r0:.3f} / {r1:.3f} |")
    close_calls(calls)

    if args.write:
        settings, counts = fitter.fit(everything, **chosen)
        MODEL_FILE.write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")
        COUNTS_FILE.write_text("\n".join(counts) + "\n", encoding="utf-8")
        print(f"\nwrote {MODEL_FILE} and {COUNTS_FILE}")


Call = tuple[str | None, str | None, float, float]  # expected id, best entry's (None: none or outside), score, lead


def _call(expected: str | None, result: Result) -> Call:
    if not result.matches or result.outside:
        return expected, None, 0.0, 0.0
    best = result.matches[0]
    return expected, best.entry.id, best.score, best.score - result.runner_up


def close_calls(calls: list[Call]) -> None:
    """The close-call rule (`matching.CLOSE_MARGIN`, `CLOSE_CALL_EXTRA`), chosen on the held-out
    questions as the shipped settings matched them. A best entry under `margin` points ahead of the
    runner-up must reach `extra` points above the line, and the rule chosen gives the most answered
    right plus rejected, less twice the wrong answers, as the settings' own fallback does (on a tie,
    the fewer wrong answers). First, the questions whose best entry reached the line, by score and
    lead: right / all (an uncovered question counts as wrong)."""
    scores, leads = ((55, 60), (60, 65), (65, 70), (70, 80), (80, 101)), ((0, 5), (5, 10), (10, 20), (20, 101))
    print("\n| best entry's score | " + " | ".join(f"lead {lo}-{min(hi, 100)}" for lo, hi in leads) + " |")
    print("| --- |" + " ---: |" * len(leads))
    over = [(e == best, score, lead) for e, best, score, lead in calls if best and score >= DEFAULT_MIN_SCORE]
    for lo, hi in scores:
        cells = [[r for r, s, d in over if lo <= s < hi and l_lo <= d < l_hi] for l_lo, l_hi in leads]
        print(f"| {lo}-{min(hi, 100)} | " + " | ".join(f"{sum(cell)} / {len(cell)}" for cell in cells) + " |")

    def figures(margin: float, extra: float) -> tuple[float, float, float, float]:
        answered = [
            best is not None and score >= DEFAULT_MIN_SCORE and (lead >= margin or score >= DEFAULT_MIN_SCORE + extra)
            for _, best, score, lead in calls
        ]
        right, wrong, rejected = tally((e, b, a) for (e, b, _, _), a in zip(calls, answered, strict=True))
        covered = sum(e is not None for e, *_ in calls)
        return right * covered + rejected * (len(calls) - covered) - 2 * wrong * covered, right, wrong, rejected

    none = figures(0.0, 0.0)
    rules = [(figures(m, x), m, x) for m in (5.0, 10.0, 15.0, 20.0) for x in (5.0, 10.0, 15.0, 20.0)]
    (_, right, wrong, rejected), margin, extra = max(rules, key=lambda rule: (round(rule[0][0], 6), -rule[0][2]))
    print(f"\nno close-call rule: answered right {none[1]:.3f}, wrong {none[2]:.3f}, rejected {none[3]:.3f}")
    print(
        f"close-call rule chosen: CLOSE_MARGIN {margin:g}, CLOSE_CALL_EXTRA {extra:g} "
        f"(answered right {right:.3f}, wrong {wrong:.3f}, rejected {rejected:.3f})"
    )


if __name__ == "__main__":
    main()
