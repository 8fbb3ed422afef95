"""A second opinion on which entry a question is about, learned from how people ask.

The matcher scores a question by the words it shares with an entry's wordings,
and a person who tells what happened in words of their own ("she writes
something down every time I mention my dad") shares few of them. This model
has read how many people ask: a naive Bayes classifier over the question's
terms and pairs of terms (and, for one that names no therapist, therapy or
session, that fact and each term as said without them), fitted by bench/entry_model.py on the bundled
corpus's wordings and the labelled tuning questions (never the blind_* sets
or the shared dev set), with one class more for the questions the corpus
does not cover. Every class starts equally likely (no prior from how many
questions each had in fitting): "not covered" had ten times an entry's. `Matcher`
adds what it says to each score; it applies only to the corpus it was fitted
on, so a corpus of one's own is matched by its words alone.
"""

from __future__ import annotations

import itertools
import json
import math
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from therafaq.corpus import Corpus
from therafaq.sorted_lines import SortedLines

HERE = Path(__file__).resolve().parent
MODEL_FILE = HERE / "entry_model.json"  # the entries, the settings and each class's total
COUNTS_FILE = HERE / "entry_counts.tsv"  # one line per feature
COUNTS_HEADER = "feature\tcounts"


NO_SUBJECT = "<no subject>"  # a feature no term can be: it has a space and brackets


def features(terms: Iterable[str], subject: bool) -> set[str]:
    """A question's canonical terms (as the matcher reads them) and each pair of neighbours; when
    it does not name the corpus's subject (`scope`: no therapist, therapy or session), also
    `NO_SUBJECT` and each term marked "~" as said without it. Most questions about someone else's
    life or one's own are not covered, and "~friend" (a friend, no therapist) is learned apart
    from "friend" (a therapist as a friend)."""
    terms = list(terms)
    found = {*terms, *(f"{a} {b}" for a, b in itertools.pairwise(terms))}
    if not subject:
        found.add(NO_SUBJECT)
        found.update(f"~{t}" for t in terms)
    return found


def fingerprint(corpus: Corpus) -> int:
    """What the model's features and classes depend on: the entries' ids, wordings and keywords
    and the vocabulary that makes terms canonical and says whom a question is about. A corpus
    edited in any of them is another corpus."""
    parts = [
        *(f"{e.id}\x1f{chr(0x1E).join((*e.wordings, *e.keywords))}" for e in corpus.entries),
        *(f"{group.term}\x1f{group.scope}\x1f{chr(0x1E).join(group.variants)}" for group in corpus.vocabulary),
    ]
    return zlib.crc32("\x1d".join(parts).encode("utf-8", "surrogatepass"))


class EntryModel:
    """The fitted classifier and how its word is weighed against the matcher's.

    A score becomes `score + weight * 100 * (p(entry) - null_weight * p(not covered)) - shift`,
    where p is the posterior tempered by `temper`; the shift keeps the line an answer must
    reach at the matcher's own `DEFAULT_MIN_SCORE`.
    """

    def __init__(self, settings: Mapping[str, Any], counts: SortedLines) -> None:
        """`counts`: a counts file (`count_lines`), searched in place, so a run reads only its
        question's features."""
        if counts.header != COUNTS_HEADER:
            raise ValueError(f"an entry model's counts start with the line {COUNTS_HEADER!r}")
        self._counts = counts
        self.entries: tuple[str, ...] = tuple(settings["entries"])
        self._totals: list[int] = settings["totals"]  # each class's feature count; the last is "not covered"
        if len(self._totals) != len(self.entries) + 1:
            raise ValueError("an entry model needs one total per entry and one for questions not covered")
        self._alpha: float = settings["alpha"]
        self._temper: float = settings["temper"]
        self.weight: float = settings["weight"]
        self.null_weight: float = settings["null_weight"]
        self.shift: float = settings["shift"]
        vocabulary: int = settings["vocabulary"]
        self._floor = [-math.log(total + self._alpha * vocabulary) for total in self._totals]

    def posterior(self, terms: Iterable[str], subject: bool) -> tuple[list[float], float]:
        """Each entry's probability for a question of these canonical terms (naming the subject or
        not, `features`), and "not covered"'s."""
        known = 0
        gains = [0.0] * len(self._totals)
        log_alpha = math.log(self._alpha)
        for feature in features(terms, subject):
            found = self._look_up(feature)
            if found is None:  # a feature never seen in fitting says nothing about any class
                continue
            known += 1
            for place, count in found:
                gains[place] += math.log(count + self._alpha) - log_alpha
        logs = [
            self._temper * (known * (floor + log_alpha) + gain) for floor, gain in zip(self._floor, gains, strict=True)
        ]
        top = max(logs)
        odds = [math.exp(log - top) for log in logs]
        total = sum(odds)
        return [x / total for x in odds[:-1]], odds[-1] / total

    def points(self, p_entry: float, p_null: float) -> float:
        """What the model adds to (or takes from) an entry's score."""
        return self.weight * 100 * (p_entry - self.null_weight * p_null) - self.shift

    def shown(self, score: float, line: float) -> float:
        """A score with the model's points as 0-100: above `line` (the matcher's default line),
        the range the points open up is drawn in to end at 100, so scores stay apart and
        `line` stays where it was; below it, under 0 is 0."""
        top = 100 + self.weight * 100 - self.shift
        if score > line:
            score = line + (score - line) * (100 - line) / (top - line)
        return round(max(0.0, score), 1)

    def _look_up(self, feature: str) -> list[tuple[int, int]] | None:
        found = self._counts.find(feature)
        if found is None:
            return None
        return [(int(n), int(c)) for n, c in (pair.split(":") for pair in found.split(" "))]


def count_lines(counts: Mapping[str, Mapping[int, int]]) -> list[str]:
    """A counts file's lines: the header, then each feature and how often each class had it
    (`class:count`, by the classes' places in the model's entries), in sorted order."""
    rows = (f"{f}\t{' '.join(f'{n}:{c}' for n, c in sorted(by.items()))}" for f, by in counts.items())
    return [COUNTS_HEADER, *sorted(rows)]


def model_for(corpus: Corpus) -> EntryModel | None:
    """The packaged model if it was fitted on this very corpus, else None. Its classes are then
    the corpus's entries in order (the fingerprint covers the order). Packaged files that cannot
    be read leave the words alone to answer: the model is a second opinion, never a requirement."""
    try:
        settings = json.loads(MODEL_FILE.read_text("utf-8"))
        if len(corpus.entries) != len(settings["entries"]):  # before listing a large corpus's ids
            return None
        if tuple(settings["entries"]) != corpus.ids or fingerprint(corpus) != settings["fingerprint"]:
            return None
        return EntryModel(settings, SortedLines.read(COUNTS_FILE))
    except (OSError, ValueError, KeyError, TypeError):
        return None
