"""Rank corpus entries against a question, and decide when none fits.

How a score is made (0-100), in short (the index itself is built in `index`):

1. The question becomes content terms exactly as the corpus's wordings did:
   folded, contractions expanded, spellings unified, stemmed, domain
   variants canonicalised, stopwords dropped (`question_terms`).
2. Each term weighs its inverse document frequency over entries, so words
   every entry shares ("therapist") count little and distinctive ones
   ("hug", "cry", "google") decide. A word the corpus has never seen weighs
   the most ("cost", "EMDR": evidence the question is not covered), unless
   it is an everyday word (`text.COMMON_WORDS`) or a misspelt stopword.
   A word the corpus lacks may be a typo of one it has (`typos`).
3. recall: the share of an entry's best wording the question covers;
   precision: the share of the question the entry covers (its wordings and
   keywords fully, its answer at half weight). The F-measure of the two
   leans towards recall as the question grows, and a story is also scored
   sentence by sentence and in pairs of sentences, each part's answer
   weighed against the whole post (`segments`).
4. The best few are reranked (`rerank`) by rapidfuzz's `ratio` between the
   question and the entry's wordings as normalised text, which keeps word
   order ("I have a crush on my therapist" is not "my therapist has a crush
   on me"), and lowered for words the question puts on the other side of
   the room from the entry (`roles`: who worries, who cries).
5. On the corpus it was fitted on, the entry model (`entry_model`) adds what
   it has learned from how people ask: points for the entry it reads the
   question as, fewer for one it reads as not covered. Its likeliest entries
   are scored and reranked however low the words rank them.

An entry is an answer when its score reaches `DEFAULT_MIN_SCORE` (more, when the
runner-up is close behind), calibrated with the other constants below on labelled
questions (README, "Matching quality"), and the question is not about someone the
corpus is not about (`scope`).
"""

# No `from __future__ import annotations` here: NamedTuple compiles every string annotation
# at import, which over the six modules that define them cost 1.5 ms of each run.
import heapq
from typing import NamedTuple

from rapidfuzz import fuzz, process

from therafaq.corpus import Corpus, Entry
from therafaq.entry_model import EntryModel, model_for
from therafaq.index import Index, build_index
from therafaq.question_terms import QuestionReader
from therafaq.rerank import Reranker
from therafaq.roles import sides
from therafaq.segments import Text, in_context, segments
from therafaq.text import COMMON_WORDS, words
from therafaq.typos import TermMatch

DEFAULT_MIN_SCORE = 55.0
# A close call: a best entry whose runner-up is under CLOSE_MARGIN points behind is an answer
# only from CLOSE_CALL_EXTRA points above the line (65 by default). Held out on the tuning sets,
# 46 of 87 such answers under 65 were right (README, "Matching quality"; bench/entry_model.py chose it).
CLOSE_MARGIN = 10.0
CLOSE_CALL_EXTRA = 10.0
ANSWER_WEIGHT = 0.5
STATEMENT_SLACK = 0.5
COMMON_WEIGHT = 0.5
BETA_MIN = 0.8
BETA_STEP = 0.25
BETA_FROM = 4
BETA_MAX = 2.0
RERANK_DEPTH = 5
MODEL_CANDIDATES = 3  # the entry model's likeliest entries, scored however the words rank them


# Result types are named tuples: typed and immutable like frozen dataclasses,
# but far cheaper to define, which matters for a command that starts per question.


class Explanation(NamedTuple):
    segment: str
    wording: str
    recall: float
    precision: float
    beta: float
    shape: float
    terms: tuple[TermMatch, ...]
    learned: float | None = None  # the points the entry model added (None: no model for this corpus)


class Match(NamedTuple):
    entry: Entry
    score: float
    explanation: Explanation


class Result(NamedTuple):
    """`unknown` is the question's distinctive words that no entry's wording or answer has, as
    typed ("cost", "insurance"): what a reply can honestly say the corpus does not cover.
    `runner_up` is the next entry's score, however few `matches` were asked for."""

    query: str
    matches: tuple[Match, ...]
    min_score: float
    unknown: tuple[str, ...] = ()
    outside: tuple[str, ...] = ()  # who the question is about instead of the subject (`scope`)
    runner_up: float = 0.0

    @property
    def answered(self) -> bool:
        if not self.matches or self.outside:
            return False
        best = self.matches[0].score
        if best - self.runner_up < CLOSE_MARGIN:
            return best >= self.min_score + CLOSE_CALL_EXTRA
        return best >= self.min_score

    @property
    def close_call(self) -> bool:
        """The best entry reached the line, and only the runner-up close behind keeps it from being an answer."""
        return bool(self.matches) and not self.outside and self.matches[0].score >= self.min_score and not self.answered


class _Scored(NamedTuple):
    """One entry's score for one segment, with what its explanation needs."""

    entry_index: int
    score: float
    segment: Text
    terms: list[TermMatch]
    beta: float
    recall: float
    precision: float
    position: int
    similarity: float
    learned: float | None = None


class Matcher:
    """An index over one corpus, built once and reused for every question."""

    def __init__(self, corpus: Corpus, index: Index | None = None, entry_model: EntryModel | bool = True) -> None:
        """`entry_model`: True for the packaged entry model where it was fitted on `corpus`, False
        for the words alone, or a model fitted on this corpus (bench/entry_model.py's folds)."""
        self.corpus = corpus
        self.learned: EntryModel | None = None
        if entry_model is True:
            self.learned = model_for(corpus)
        elif entry_model is not False:
            if entry_model.entries != corpus.ids:
                raise ValueError("an entry model fitted on other entries cannot score this corpus")
            self.learned = entry_model
        index = index or build_index(corpus)
        self._idf = index.idf
        self._unknown_idf = index.unknown_idf
        self._ubiquitous = index.ubiquitous
        self._index = index
        self._wording_entry = index.wording_entry
        self._wording_number = index.wording_number
        self._wording_inverse = index.wording_inverse
        self._wording_group = index.wording_group
        self._ubiquitous_groups = index.ubiquitous_groups
        # Entries' term sets, gathered on first use: a large corpus
        # loads faster without them, and one question looks at a few entries.
        self._entry_terms: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        self._postings = index.postings
        self._rerank = Reranker(index.entry_shapes, index.idf)
        self._reader = QuestionReader(corpus, index)
        self._scope = index.scope

    def match(
        self,
        question: str,
        *,
        top: int = 1,
        topic: str | None = None,
        min_score: float = DEFAULT_MIN_SCORE,
    ) -> Result:
        """Rank entries for one question; `Result.answered` says if the best fits."""
        whole = self._reader.analyse(question)
        subject, outside = self._scope.about(list(words(question)))
        ranked = self._rank(question, whole, topic, max(top, 2), subject)
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        return Result(question, tuple(ranked[:top]), min_score, self._reader.unknown(whole), outside, runner_up)

    def reading(self, question: str) -> tuple[list[str], bool]:
        """What the entry model reads (and is fitted on): the canonical terms the question is
        read as, and whether it names the corpus's subject (`scope`)."""
        return [term for term, _ in self._reader.analyse(question).terms], self._scope.about(list(words(question)))[0]

    def _rank(self, question: str, whole: Text, topic: str | None, top: int, subject: bool) -> list[Match]:
        """Score the whole question and, for a story, its parts (`segments`); an
        entry a part found is weighed against the whole post (`in_context`)."""
        best: dict[int, _Scored] = {}
        # The model can lift an entry past the best `top`: it needs the rerank's full depth, and
        # the entries it reads the question as most are scored even when the words rank them lower.
        depth = max(top, RERANK_DEPTH) if self.learned else top
        posterior = self.learned.posterior([term for term, _ in whole.terms], subject) if self.learned else None
        wanted = _likeliest(posterior[0], MODEL_CANDIDATES) if posterior else frozenset()
        for segment, min_known in segments(question, whole, self._reader.analyse):
            for found in self._score_segment(segment, topic, min_known, depth, wanted):
                if found.entry_index not in best or found.score > best[found.entry_index].score:
                    best[found.entry_index] = found
        # What the model reads the question as, though no wording shares a word: its points alone.
        unworded = [i for i in sorted(wanted.difference(best)) if topic is None or self.corpus.entry_topics[i] == topic]
        if unworded:
            terms = self._reader.resolve(whole.terms, whole.typos)
            for i in unworded:
                best[i] = _Scored(i, 0.0, whole, terms, BETA_MIN, 0.0, 0.0, self._wording_entry.index(i), 0.0)
        if any(found.segment is not whole for found in best.values()):
            credits, total = self._credits(whole, self._reader.resolve(whole.terms, whole.typos))
            for entry_index, found in best.items():
                if found.segment is not whole:
                    whole_precision = self._precision(entry_index, credits, total)
                    best[entry_index] = found._replace(score=in_context(found.score, whole_precision))
        if self.learned and posterior and best:
            p_entry, p_null = posterior
            for entry_index, found in best.items():
                points = self.learned.points(p_entry[entry_index], p_null)
                best[entry_index] = found._replace(score=found.score + points, learned=round(points, 1))
        ranked = sorted(best.values(), key=lambda found: (-found.score, found.entry_index))[:top]
        if self.learned:
            ranked = [found._replace(score=self.learned.shown(found.score, DEFAULT_MIN_SCORE)) for found in ranked]
        return [Match(self.corpus.entries[found.entry_index], found.score, self._explain(found)) for found in ranked]

    def _score_segment(
        self, segment: Text, topic: str | None, min_known: int, top: int, wanted: frozenset[int]
    ) -> list[_Scored]:
        terms = self._reader.resolve(segment.terms, segment.typos)
        if sum(t.corpus_term is not None for t in terms) < min_known:
            return []
        credits, total = self._credits(segment, terms)
        beta = min(BETA_MAX, BETA_MIN + max(0, len(terms) - BETA_FROM) * BETA_STEP)
        recall_of, position_of = self._recall_by_entry(terms)
        # Entries in falling recall; stop once even perfect precision could
        # not lift one into the best RERANK_DEPTH (most questions touch dozens).
        scored = []
        leaders: list[float] = []
        b2 = beta * beta
        for entry_index in sorted(recall_of, key=recall_of.__getitem__, reverse=True):
            recall = min(1.0, recall_of[entry_index])
            if len(leaders) == RERANK_DEPTH and (1 + b2) * recall / (b2 + recall) * 100 < leaders[0]:
                break
            if topic is not None and self.corpus.entry_topics[entry_index] != topic:
                continue
            precision = self._precision(entry_index, credits, total)
            f_score = _f_measure(precision, recall, beta) * 100
            scored.append((f_score, entry_index, recall, precision, position_of[entry_index]))
            if len(leaders) < RERANK_DEPTH:
                heapq.heappush(leaders, f_score)
            elif f_score > leaders[0]:
                heapq.heapreplace(leaders, f_score)
        scored.sort(key=lambda item: (-item[0], item[1]))
        head = scored[:RERANK_DEPTH]
        for entry_index in sorted(wanted.intersection(recall_of).difference(item[1] for item in head)):
            if topic is None or self.corpus.entry_topics[entry_index] == topic:
                recall = min(1.0, recall_of[entry_index])
                f_score = _f_measure(precision := self._precision(entry_index, credits, total), recall, beta) * 100
                head.append((f_score, entry_index, recall, precision, position_of[entry_index]))
        shape = " ".join(segment.tokens)
        question_sides = sides(segment.tokens)
        results: list[_Scored] = []
        kept: list[float] = []  # the best `top` final scores so far
        for f_score, entry_index, recall, precision, position in head:
            # The rerank only lowers a score: one that cannot reach the best `top` even
            # unlowered is not worth comparing, unless the entry model may yet lift it.
            if len(kept) == top and round(f_score, 1) < kept[0] and entry_index not in wanted:
                continue
            score, similarity = self._rerank.rescore(entry_index, f_score, shape, question_sides, total)
            results.append(_Scored(entry_index, score, segment, terms, beta, recall, precision, position, similarity))
            if len(kept) < top:
                heapq.heappush(kept, score)
            elif score > kept[0]:
                heapq.heapreplace(kept, score)
        return results

    def _explain(self, found: _Scored) -> Explanation:
        entry = self.corpus.entries[found.entry_index]
        number = self._wording_number[found.position]
        wording = (*entry.wordings, *entry.keywords)[number]
        return Explanation(
            found.segment.text,
            wording,
            found.recall,
            found.precision,
            found.beta,
            round(found.similarity, 1),
            tuple(found.terms),
            found.learned,
        )

    def _recall_by_entry(self, terms: list[TermMatch]) -> tuple[dict[int, float], dict[int, int]]:
        """Each touched entry's best wording recall (unbounded) and that wording's position.

        The hottest loop of all: kept to plain dict and list operations.
        """
        covered: dict[int, float] = {}
        shared: dict[str, float] = {}
        for t in terms:
            if t.corpus_term is None:
                continue
            gain = self._idf[t.corpus_term] * t.similarity
            if t.corpus_term in self._ubiquitous:
                shared[t.corpus_term] = gain
            postings = self._postings.get(t.corpus_term)
            if not postings:
                continue
            if covered:
                get = covered.get
                for position in postings:
                    covered[position] = get(position, 0.0) + gain
            else:
                covered = dict.fromkeys(postings, gain)
        group_of, entry_of, inverse = self._wording_group, self._wording_entry, self._wording_inverse
        groups = self._ubiquitous_groups
        # What the ubiquitous terms add, per distinct set of them a wording has
        # (a large corpus has thousands of sets; a question meets a few).
        extra_of: dict[int, float] = {}
        recall_of: dict[int, float] = {}
        position_of: dict[int, int] = {}
        best = recall_of.get
        for position, gain in covered.items():
            if shared:
                group = group_of[position]
                extra = extra_of.get(group)
                if extra is None:
                    extra = extra_of[group] = sum(shared.get(term, 0.0) for term in groups[group])
                gain += extra
            recall = gain * inverse[position]
            entry_index = entry_of[position]
            if recall > best(entry_index, -1.0):
                recall_of[entry_index] = recall
                position_of[entry_index] = position
        return recall_of, position_of

    def _weight(self, term: TermMatch) -> float:
        if term.corpus_term is not None:
            return self._idf[term.corpus_term]
        return COMMON_WEIGHT if term.common else self._unknown_idf

    def _credits(self, segment: Text, terms: list[TermMatch]) -> tuple[list[tuple[str, float, float]], float]:
        """What each term adds to precision when an entry has it, what it takes off the
        question's weight when the entry lacks it, and the question's weight.

        A statement ("he yawned twice today") tells a situation in everyday
        words the entry it asks about need not have: one it lacks counts
        `STATEMENT_SLACK` less against it. A question's words are what it asks.
        """
        weights = [self._weight(t) for t in terms]
        slack = 0.0 if segment.asks else STATEMENT_SLACK
        credits = [
            (
                t.corpus_term,
                weight * t.similarity,
                weight * t.similarity * slack * (segment.surfaces.get(t.term) in COMMON_WORDS),
            )
            if t.corpus_term
            else (t.term, weight, 0.0)
            for t, weight in zip(terms, weights, strict=True)
        ]
        return credits, sum(weights)

    def _precision(self, entry_index: int, credits: list[tuple[str, float, float]], total: float) -> float:
        """How much of the question's weight the entry covers.

        A term in the entry's wordings or keywords counts fully; one found
        only in its answer counts at `ANSWER_WEIGHT`.
        """
        terms = self._entry_terms.get(entry_index)
        if terms is None:
            terms = frozenset(self._index.bags[entry_index]), frozenset(self._index.answer_only[entry_index])
            self._entry_terms[entry_index] = terms
        bag, answer = terms
        hit = 0.0
        for key, credit, slack in credits:
            if key in bag:
                hit += credit
            elif key in answer:
                hit += credit * ANSWER_WEIGHT
            else:
                total -= slack
        return hit / total if total else 0.0


def _f_measure(precision: float, recall: float, beta: float) -> float:
    if precision <= 0 or recall <= 0:
        return 0.0
    b2 = beta * beta
    return (1 + b2) * precision * recall / (b2 * precision + recall)


def closest_ids(corpus: Corpus, text: str, limit: int = 3) -> list[str]:
    """Entry ids that look like `text`, for "did you mean" after a bad id."""
    found = process.extract(
        text.casefold(), corpus.ids, scorer=fuzz.WRatio, processor=None, limit=limit, score_cutoff=50
    )
    return [entry_id for entry_id, _, _ in found]


def _likeliest(probabilities: list[float], count: int) -> frozenset[int]:
    return frozenset(heapq.nlargest(count, range(len(probabilities)), key=probabilities.__getitem__))
