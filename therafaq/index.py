"""The matching index: every corpus wording normalised, weighed and posted.

Built once per corpus file; `cache` keeps it on disk between runs, because
normalising every wording, answer and vocabulary variant takes far longer
than answering a question.
"""

# No `from __future__ import annotations` here: NamedTuple compiles every string annotation
# at import, which over the six modules that define them cost 1.5 ms of each run.
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from therafaq.corpus import Corpus
from therafaq.scope import Scope
from therafaq.text import STOPWORDS, Canonicaliser, content_terms, stemmed_words, words

FUZZY_MIN_LENGTH = 4
UNKNOWN_RATIO = 2.0
UBIQUITY_SHARE = 0.75
UBIQUITY_MIN_ENTRIES = 10
MAX_POSTINGS = 1000
# A wording's weight is at least this when it divides recall, so a one-word
# wording ("Boundaries?") is not fully covered by any question that says it.
MIN_WORDING_WEIGHT = 3.5
# A keyword ("transference") is a wording too, but a question that says only it is half
# covered: its recall counts at this share. A term no question or alternate has then still
# finds its entry ("whats transference" found nothing at all), and on the labelled sets
# top-1, answered and wrong answers stay where they were (at a full share, wrong answers
# rose from 4.3% to 7.0%).
KEYWORD_RECALL = 0.5


class Index(NamedTuple):
    """Everything the matcher needs, in plain containers that load fast.

    Wordings are parallel lists by position: the entry they belong to, their
    number among its wordings and then its keywords, the inverse of their
    weight and which set of ubiquitous terms they have (an index into
    `ubiquitous_groups`).
    `ubiquitous` terms ("therapist", in three quarters of all entries, or
    any term in more than `MAX_POSTINGS` wordings of a large corpus) keep
    their weight but get no wording `postings`: walking them would touch a
    large share of all wordings for every question. `bags` are each entry's
    wording and keyword terms, `answer_only` the terms only its answer has.
    """

    canonicaliser: Canonicaliser
    idf: dict[str, float]
    unknown_idf: float
    ubiquitous: frozenset[str]
    bags: Sequence[tuple[str, ...]]
    answer_only: Sequence[tuple[str, ...]]
    wording_entry: list[int]
    wording_number: list[int]
    wording_inverse: list[float]
    wording_group: list[int]
    ubiquitous_groups: list[tuple[str, ...]]
    postings: Mapping[str, list[int]]
    entry_shapes: Sequence[list[str]]
    lexicon: dict[str, str]
    lexicon_words: list[str]
    scope: Scope


def build_index(corpus: Corpus) -> Index:
    canonicaliser = Canonicaliser((g.term, g.variants) for g in corpus.vocabulary)

    def terms_of(text: str) -> frozenset[str]:
        return frozenset(content_terms(text, canonicaliser))

    raw = [
        (index, number, text, terms_of(text))
        for index, entry in enumerate(corpus.entries)
        for number, text in enumerate((*entry.wordings, *entry.keywords))
    ]
    bags: list[set[str]] = [set() for _ in corpus.entries]
    for index, _, _, terms in raw:
        bags[index] |= terms
    asked = [len(entry.wordings) for entry in corpus.entries]  # numbers from here on are keywords
    count = len(corpus.entries)
    frequency = Counter(term for bag in bags for term in bag)
    in_wordings = Counter(term for *_, terms in raw for term in terms)
    ubiquitous = frozenset(
        term
        for term, df in frequency.items()
        if (count >= UBIQUITY_MIN_ENTRIES and df > UBIQUITY_SHARE * count) or in_wordings[term] > MAX_POSTINGS
    )
    idf = {term: math.log(1 + count / df) for term, df in frequency.items()}
    kept = [(index, number, text, terms) for index, number, text, terms in raw if terms - ubiquitous]
    postings: dict[str, list[int]] = {}
    shapes: list[list[str]] = [[] for _ in corpus.entries]
    for position, (index, number, text, terms) in enumerate(kept):
        if number < asked[index]:
            shapes[index].append(" ".join(canonicaliser(stemmed_words(text))))
        for term in terms - ubiquitous:
            postings.setdefault(term, []).append(position)
    lexicon = _fuzzy_lexicon(corpus, canonicaliser, idf)
    groups: dict[tuple[str, ...], int] = {}
    wording_group = [groups.setdefault(tuple(sorted(terms & ubiquitous)), len(groups)) for *_, terms in kept]
    return Index(
        canonicaliser=canonicaliser,
        idf=idf,
        unknown_idf=math.log(1 + UNKNOWN_RATIO * count),
        ubiquitous=ubiquitous,
        bags=[tuple(sorted(bag)) for bag in bags],
        answer_only=[tuple(sorted(terms_of(e.answer) - bags[i])) for i, e in enumerate(corpus.entries)],
        wording_entry=[index for index, *_ in kept],
        wording_number=[number for _, number, *_ in kept],
        wording_inverse=[
            (1.0 if number < asked[index] else KEYWORD_RECALL)
            / max(sum(idf[t] for t in sorted(terms)), MIN_WORDING_WEIGHT)
            for index, number, _, terms in kept
        ],
        wording_group=wording_group,
        ubiquitous_groups=list(groups),
        postings=postings,
        entry_shapes=shapes,
        lexicon=lexicon,
        lexicon_words=sorted(lexicon),
        scope=Scope(corpus.vocabulary),
    )


def _fuzzy_lexicon(corpus: Corpus, canonicaliser: Canonicaliser, idf: dict[str, float]) -> dict[str, str]:
    """Words as written in the corpus and its vocabulary, each with its term.

    A typo is made on a written word ("weding"), so it is compared with
    written words ("wedding") rather than with stems.
    """
    lexicon: dict[str, str] = {}
    texts = [text for entry in corpus.entries for text in (*entry.wordings, *entry.keywords)]
    for group in corpus.vocabulary:
        texts += [group.term, *group.variants]
    for word in {word for text in texts for word in words(text)}:
        if len(word) < FUZZY_MIN_LENGTH or word in STOPWORDS:
            continue
        terms = content_terms(word, canonicaliser)
        if len(terms) == 1 and terms[0] in idf:
            lexicon[word] = terms[0]
    return lexicon
