"""From a question to an answer: crisis check first, then matching.

This is the one place that decides what a question gets, so the CLI, the
interactive mode and scripts reading JSON all see the same behaviour.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from therafaq.corpus import Corpus
from therafaq.index import Index
from therafaq.matching import DEFAULT_MIN_SCORE, Match, Matcher
from therafaq.safety import CrisisDetector, CrisisSupport, default_detector

MAX_QUESTION_CHARS = 2000
SUGGESTIONS = 3
RECENT_ANSWERS = 4096

EXIT_OK = 0
EXIT_UNANSWERED = 1
EXIT_USAGE = 2
EXIT_CRISIS = 3
# The status of no answers at all; never an exit code (no question is a usage error).
NO_QUESTIONS = 4
_SEVERITY = (NO_QUESTIONS, EXIT_OK, EXIT_UNANSWERED, EXIT_CRISIS)

# Bytes that are not UTF-8 in a command-line argument reach Python as lone
# surrogates, which no output stream can encode.
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


class Answer(NamedTuple):
    """`matches` holds at most `top`; `suggestions` the closest few when unanswered."""

    query: str
    matches: tuple[Match, ...]
    answered: bool
    suggestions: tuple[Match, ...] = ()
    crisis: CrisisSupport | None = None
    truncated: bool = False


class Answerer:
    """Holds the corpus index and crisis patterns for a whole session."""

    def __init__(self, corpus: Corpus, index: Index | None = None, detector: CrisisDetector | None = None) -> None:
        self.corpus = corpus
        self.matcher = Matcher(corpus, index)
        self.detector = detector or default_detector()
        self._recent: dict[tuple[str, int, str | None, float], Answer] = {}

    def answer(
        self,
        question: str,
        *,
        top: int = 1,
        topic: str | None = None,
        min_score: float = DEFAULT_MIN_SCORE,
    ) -> Answer:
        """Crisis resources for a person at risk; otherwise the best matches.

        Very long input is cut to `MAX_QUESTION_CHARS` (the crisis check sees
        far more, see `CrisisDetector.is_crisis`), so a pasted megabyte is
        answered in milliseconds. Lone surrogates become U+FFFD, as
        undecodable bytes on stdin do. A batch often repeats a question, so
        the last few thousand answers are remembered.
        """
        key = (question, top, topic, min_score)
        if key not in self._recent:
            if len(self._recent) >= RECENT_ANSWERS:
                self._recent.clear()
            self._recent[key] = self._answer(question, top, topic, min_score)
        return self._recent[key]

    def _answer(self, question: str, top: int, topic: str | None, min_score: float) -> Answer:
        question = _LONE_SURROGATE.sub("\ufffd", question.strip())
        truncated = len(question) > MAX_QUESTION_CHARS
        if self.detector.is_crisis(question):
            return Answer(question[:MAX_QUESTION_CHARS], (), False, crisis=self.detector.support, truncated=truncated)
        if truncated:
            question = question[:MAX_QUESTION_CHARS]
        result = self.matcher.match(question, top=max(top, SUGGESTIONS), topic=topic, min_score=min_score)
        if result.answered:
            return Answer(question, result.matches[:top], True, truncated=truncated)
        suggestions = result.matches[:SUGGESTIONS]
        return Answer(question, suggestions[:top], False, suggestions, truncated=truncated)


def exit_code(answer: Answer) -> int:
    """3 when crisis support was shown, 1 when no answer was confident, else 0."""
    if answer.crisis:
        return EXIT_CRISIS
    return EXIT_OK if answer.answered else EXIT_UNANSWERED


def worse(status: int, other: int) -> int:
    """Of two statuses, the one that matters more: crisis, unanswered, answered, none
    (so a batch exits as its most serious answer asks)."""
    return max(status, other, key=_SEVERITY.index)
