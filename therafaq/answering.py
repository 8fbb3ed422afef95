"""From a question to an answer: the risk check first, then matching.

This is the one place that decides what a question gets, so `ask`, `ask -`,
chat, notes and scripts reading JSON all see the same behaviour. The risk
check needs no corpus and runs before the corpus is even loaded: whatever
goes wrong with the corpus or its cache, a person at risk is still shown
support (the answer then carries the fault, for the CLI to report after it).
"""

# No `from __future__ import annotations` here: NamedTuple compiles every string annotation
# at import, which over the six modules that define them cost 1.5 ms of each run.
import re
from collections.abc import Callable
from typing import NamedTuple

from therafaq.corpus import Corpus
from therafaq.index import Index
from therafaq.matching import DEFAULT_MIN_SCORE, Match, Matcher
from therafaq.risk import Risk, RiskCheck, default_check
from therafaq.signposts import Signposts, Support, default_signposts

MAX_QUESTION_CHARS = 2000
SUGGESTIONS = 3
# An answer whose runner-up scores within this many points is shown with it
# ("Also close"): on the tuning sets, each matched with the entry model fitted
# without it, 2% of answers, and the right entry for 15 of the 19 wrong answers
# among them (README, "Matching quality").
ALSO_CLOSE = 8.0
# Suggestions below this score are noise: measured the same way, 89 of the 4,328
# suggestions scoring under 30 were the entry the person wanted (126 of 327 above).
SUGGESTION_FLOOR = 30.0


# Bytes that are not UTF-8 in a command-line argument reach Python as lone
# surrogates, which no output stream can encode.
# Compiled on first use (by `re`): a range beyond ASCII takes 0.2 ms to compile, and
# only a question that is not plain ASCII can hold a lone surrogate.
_LONE_SURROGATE = r"[\ud800-\udfff]"

Loader = Callable[[], tuple[Corpus, Index | None]]


class CorpusUnavailable(Exception):
    """The corpus (or its cache) could not be used to answer; `cause` says why."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


class Answer(NamedTuple):
    """`matches` holds at most `top`; `suggestions` the closest few when unanswered.

    `support` is set when the risk check found something: shown before
    anything else. `help_line` is set on every reply without a confident
    answer. `fault` is what kept a risk reply from also being answered.
    `region` orders the contacts under an entry's signposts. `also_close`
    is the runner-up of an answer it nearly beat; `margin` how far the best
    match is ahead of the next (for --explain). An unanswered question
    carries the distinctive words the corpus lacks (`unknown`), or whom it is
    about instead of the subject (`outside`, also in `unknown`), and under
    --topic the confident answer another topic has (`elsewhere`). `notes`
    say why fewer matches are shown than were asked for. `min_score` is the
    line an answer had to reach (for --explain); `close_call`, that only a
    runner-up close behind kept the best from being an answer.
    """

    query: str
    matches: tuple[Match, ...]
    answered: bool
    suggestions: tuple[Match, ...] = ()
    support: Support | None = None
    risk: Risk | None = None
    help_line: str | None = None
    truncated: bool = False
    fault: CorpusUnavailable | None = None
    region: str | None = None
    also_close: Match | None = None
    margin: float | None = None
    unknown: tuple[str, ...] = ()
    elsewhere: Match | None = None
    notes: tuple[str, ...] = ()
    outside: tuple[str, ...] = ()
    min_score: float = DEFAULT_MIN_SCORE
    close_call: bool = False

    @property
    def crisis(self) -> bool:
        return self.risk is not None and self.risk.crisis


class Answerer:
    """Holds the risk check, the signposts for a region and (once needed) the corpus index."""

    def __init__(
        self,
        corpus: Corpus | None = None,
        index: Index | None = None,
        *,
        load: Loader | None = None,
        region: str | None = None,
        check: RiskCheck | None = None,
        signposts: Signposts | None = None,
    ) -> None:
        if load is None:
            if corpus is None:
                raise TypeError("Answerer needs a corpus or a loader")
            given = corpus
            load = lambda: (given, index)  # noqa: E731 - the loader of a corpus already in hand
        self._load: Loader = load
        self._matcher: Matcher | None = None
        self._failure: CorpusUnavailable | None = None
        self.region = region
        self.check = check or default_check()
        self.signposts = signposts or default_signposts()

    @property
    def corpus(self) -> Corpus:
        """The corpus, loaded on first use; CorpusUnavailable when it cannot be."""
        return self._loaded_matcher().corpus

    def help_line(self) -> str:
        return self.signposts.help_line(self.region)

    def footer_line(self) -> str:
        return self.signposts.footer_line(self.region)

    def answer(
        self,
        question: str,
        *,
        top: int = 1,
        topic: str | None = None,
        min_score: float = DEFAULT_MIN_SCORE,
    ) -> Answer:
        """Support for a person at risk, then (or otherwise) the best matches.

        Very long input is cut to `MAX_QUESTION_CHARS` for matching (the risk
        check reads far more, see `risk.MAX_CHECKED_CHARS`). Lone surrogates
        become U+FFFD, as undecodable bytes on stdin do. Raises
        CorpusUnavailable only for a question that shows no risk.
        """
        question = question.strip()
        if not question.isascii():
            question = re.sub(_LONE_SURROGATE, "\ufffd", question)
        risk = self.check.assess(question)
        truncated = len(question) > MAX_QUESTION_CHARS
        question = question[:MAX_QUESTION_CHARS]
        if risk is None:
            return self._matched(question, top, topic, min_score, truncated)
        support = self.signposts.support(risk, self.region)
        try:
            found = self._matched(question, top, topic, min_score, truncated)
        except CorpusUnavailable as fault:
            return Answer(question, (), False, support=support, risk=risk, truncated=truncated, fault=fault)
        if risk.crisis and not found.answered:  # no "try other words" for a person in crisis
            return Answer(question, (), False, support=support, risk=risk, truncated=truncated)
        return found._replace(support=support, risk=risk, help_line=None)

    def _matched(self, question: str, top: int, topic: str | None, min_score: float, truncated: bool) -> Answer:
        matcher = self._loaded_matcher()
        try:
            result = matcher.match(question, top=max(top, SUGGESTIONS), topic=topic, min_score=min_score)
            anywhere = matcher.match(question, top=1, min_score=min_score) if topic and not result.answered else None
        except Exception as error:  # whatever goes wrong here is reported; it never costs a person support
            raise CorpusUnavailable(error) from error
        found = result.matches
        margin = round(found[0].score - found[1].score, 1) if len(found) > 1 else None
        if result.answered:
            close = found[1] if top == 1 and margin is not None and margin < ALSO_CLOSE else None
            notes = (_fewer(len(found[:top]), top, topic),) if len(found) < top else ()
            return Answer(
                question,
                found[:top],
                True,
                truncated=truncated,
                region=self.region,
                also_close=close,
                margin=margin,
                notes=notes,
                min_score=min_score,
            )
        suggestions = tuple(m for m in found[:SUGGESTIONS] if m.score >= SUGGESTION_FLOOR)
        elsewhere = anywhere.matches[0] if anywhere is not None and anywhere.answered else None
        return Answer(
            question,
            suggestions[:top],
            False,
            suggestions,
            help_line=self.help_line(),
            truncated=truncated,
            region=self.region,
            margin=margin,
            unknown=result.outside or result.unknown,
            elsewhere=elsewhere,
            outside=result.outside,
            min_score=min_score,
            close_call=result.close_call,
        )

    def _loaded_matcher(self) -> Matcher:
        if self._matcher is None:
            if self._failure is not None:
                raise self._failure
            try:
                corpus, index = self._load()
                self._matcher = Matcher(corpus, index)
            except Exception as error:  # whatever the corpus or cache did, it is reported, once
                self._failure = CorpusUnavailable(error)
                raise self._failure from error
        return self._matcher


def _fewer(shown: int, asked: int, topic: str | None) -> str:
    where = f" in topic {topic!r}" if topic else ""
    matched = "entry matched" if shown == 1 else "entries matched"
    return f"Only {shown} {matched} this question{where}, so fewer than {asked} are shown."
