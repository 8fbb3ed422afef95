"""The parts of a question that are scored: the whole, and a story's sentences.

People bury the question in a story ("... Is that normal?"), so a post of
several sentences is also scored sentence by sentence and in pairs of
sentences (a pair keeps the sentence that says what "that" is). A part is
only a witness, though: its answer is weighed against the whole post
(`in_context`), so one incidental sentence ("I've been seeing my therapist
for a year") cannot answer a post that is about something else.
"""

# No `from __future__ import annotations` here: NamedTuple compiles every string annotation
# at import, which over the six modules that define them cost 1.5 ms of each run.
import itertools
import re
from collections.abc import Callable
from typing import NamedTuple

from therafaq.text import STOPWORDS

MAX_SENTENCES = 6
MIN_SEGMENT_KNOWN = 2
# How much a part's answer depends on how much of the whole post the entry
# explains: calibrated on the labelled stories (README, "Matching quality").
CONTEXT_WEIGHT = 0.2
# The words a question without its question mark opens with ("is it normal", "why does").
QUESTION_OPENERS = frozenset(
    "do does did is are am was were can could should would will why how what when where who which have has".split()
)
_FIRST_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_BREAK = re.compile(r"(?<=[.?!])\s+|\n+")


class Text(NamedTuple):
    """A question or part of one, normalised once: canonical tokens with
    stopwords kept (for the shape), the written word behind each stem, and
    the terms that are typos mended (with how close the typo was)."""

    text: str
    tokens: tuple[str, ...]
    surfaces: dict[str, str]
    typos: dict[str, float]

    def joined(self, other: "Text") -> "Text":
        return Text(
            f"{self.text} {other.text}",
            self.tokens + other.tokens,
            {**self.surfaces, **other.surfaces},
            {**self.typos, **other.typos},
        )

    @property
    def asks(self) -> bool:
        """Whether this is put as a question, not told as a statement."""
        if "?" in self.text:
            return True
        first = _FIRST_WORD.search(self.text)  # as typed: the vocabulary may have made "how long" a term
        return first is not None and first.group().casefold() in QUESTION_OPENERS

    @property
    def terms(self) -> list[tuple[str, str]]:
        """Each distinct content term with the word the person typed."""
        content = unique([token for token in self.tokens if token not in STOPWORDS])
        return [(term, self.surfaces.get(term, term)) for term in content]


def segments(question: str, whole: Text, analyse: Callable[[str], Text]) -> list[tuple[Text, int]]:
    """The parts to score, each with how many corpus terms it needs to be scored at all."""
    parts = [part.strip() for part in _SENTENCE_BREAK.split(question) if part.strip()][-MAX_SENTENCES:]
    found = [(whole, 1)]
    sentences = [analyse(part) for part in parts] if len(parts) > 1 else []
    if len(sentences) > 1:
        found += [(sentence, MIN_SEGMENT_KNOWN) for sentence in sentences]
    if len(sentences) > 2:
        found += [(first.joined(second), MIN_SEGMENT_KNOWN) for first, second in itertools.pairwise(sentences)]
    return found


def in_context(score: float, whole_precision: float) -> float:
    """A part's score, lowered by the share of the whole post the entry leaves unexplained."""
    return round(score * (1 - CONTEXT_WEIGHT + CONTEXT_WEIGHT * whole_precision), 1)


def unique(terms: list[str]) -> list[str]:
    return list(dict.fromkeys(terms))
