"""The matching index: built once per corpus, cached on disk between runs.

Normalising every wording, answer and vocabulary variant of a corpus takes
far longer than answering a question, so the result is kept as JSON in the
user's cache directory, keyed by a hash of the corpus file and of this code's
index format. A changed corpus gets a new key, so it is rebuilt; a cache that
cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from therafaq import __version__
from therafaq.corpus import Corpus
from therafaq.text import STOPWORDS, Canonicaliser, content_terms, stemmed_words, words

INDEX_FORMAT = 1
FUZZY_MIN_LENGTH = 4
UNKNOWN_RATIO = 2.0
UBIQUITY_SHARE = 0.75
UBIQUITY_MIN_ENTRIES = 10


@dataclass(frozen=True, slots=True)
class Wording:
    """One phrasing of an entry, as the matcher sees it."""

    entry_index: int
    text: str
    terms: frozenset[str]
    weight: float
    shape: str
    ubiquitous: frozenset[str]


@dataclass(frozen=True)
class Index:
    """Everything the matcher needs, in plain containers.

    `ubiquitous` terms ("therapist", in three quarters of all entries) keep
    their weight but get no wording postings: walking them would touch
    nearly every wording for every question.
    """

    canonicaliser: Canonicaliser
    idf: dict[str, float]
    unknown_idf: float
    ubiquitous: frozenset[str]
    bag_postings: dict[str, list[int]]
    answer_postings: dict[str, list[int]]
    wordings: list[Wording]
    lexicon: dict[str, str]
    postings: dict[str, list[int]] = field(init=False)
    entry_shapes: list[list[str]] = field(init=False)
    lexicon_words: list[str] = field(init=False)

    def __post_init__(self) -> None:
        postings: dict[str, list[int]] = {}
        shapes: list[list[str]] = [[] for _ in range(1 + max((w.entry_index for w in self.wordings), default=-1))]
        for position, wording in enumerate(self.wordings):
            shapes[wording.entry_index].append(wording.shape)
            for term in wording.terms - self.ubiquitous:
                postings.setdefault(term, []).append(position)
        object.__setattr__(self, "postings", postings)
        object.__setattr__(self, "entry_shapes", shapes)
        object.__setattr__(self, "lexicon_words", sorted(self.lexicon))

    def to_data(self) -> dict[str, Any]:
        return {
            "format": INDEX_FORMAT,
            "canonicaliser": self.canonicaliser.to_data(),
            "idf": self.idf,
            "unknown_idf": self.unknown_idf,
            "ubiquitous": sorted(self.ubiquitous),
            "bag_postings": self.bag_postings,
            "answer_postings": self.answer_postings,
            "wordings": [
                [w.entry_index, w.text, sorted(w.terms), w.weight, w.shape, sorted(w.ubiquitous)] for w in self.wordings
            ],
            "lexicon": self.lexicon,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Index:
        if data.get("format") != INDEX_FORMAT:
            raise ValueError("index format changed")
        return cls(
            canonicaliser=Canonicaliser.from_data(data["canonicaliser"]),
            idf=data["idf"],
            unknown_idf=data["unknown_idf"],
            ubiquitous=frozenset(data["ubiquitous"]),
            bag_postings=data["bag_postings"],
            answer_postings=data["answer_postings"],
            wordings=[Wording(i, t, frozenset(ts), w, s, frozenset(u)) for i, t, ts, w, s, u in data["wordings"]],
            lexicon=data["lexicon"],
        )


def build_index(corpus: Corpus) -> Index:
    canonicaliser = Canonicaliser((g.term, g.variants) for g in corpus.vocabulary)

    def terms_of(text: str) -> frozenset[str]:
        return frozenset(content_terms(text, canonicaliser))

    raw = [(i, text, terms_of(text)) for i, entry in enumerate(corpus.entries) for text in entry.wordings]
    bags: list[set[str]] = [set() for _ in corpus.entries]
    for index, _, terms in raw:
        bags[index] |= terms
    for index, entry in enumerate(corpus.entries):
        for keyword in entry.keywords:
            bags[index] |= terms_of(keyword)
    count = len(corpus.entries)
    frequency = Counter(term for bag in bags for term in bag)
    ubiquitous = frozenset(
        term for term, df in frequency.items() if count >= UBIQUITY_MIN_ENTRIES and df > UBIQUITY_SHARE * count
    )
    idf = {term: math.log(1 + count / df) for term, df in frequency.items()}
    bag_postings: dict[str, list[int]] = {}
    answer_postings: dict[str, list[int]] = {}
    for index, entry in enumerate(corpus.entries):
        for term in bags[index]:
            bag_postings.setdefault(term, []).append(index)
        for term in terms_of(entry.answer) - bags[index]:
            answer_postings.setdefault(term, []).append(index)
    wordings = [
        Wording(
            index,
            text,
            terms,
            sum(idf[t] for t in terms),
            " ".join(canonicaliser(stemmed_words(text))),
            terms & ubiquitous,
        )
        for index, text, terms in raw
        if terms - ubiquitous
    ]
    return Index(
        canonicaliser=canonicaliser,
        idf=idf,
        unknown_idf=math.log(1 + UNKNOWN_RATIO * count),
        ubiquitous=ubiquitous,
        bag_postings=bag_postings,
        answer_postings=answer_postings,
        wordings=wordings,
        lexicon=_fuzzy_lexicon(corpus, canonicaliser, idf),
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


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "therafaq"


def cached_index(corpus: Corpus) -> Index:
    """The corpus's index from the cache, building and storing it if needed."""
    if not corpus.digest:
        return build_index(corpus)
    key = hashlib.sha256(f"{corpus.digest}:{INDEX_FORMAT}:{__version__}".encode()).hexdigest()[:32]
    path = cache_dir() / f"index-{key}.json"
    try:
        return Index.from_data(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    index = build_index(corpus)
    _store(path, index)
    return index


def _store(path: Path, index: Index) -> None:
    """Write atomically, so a concurrent run never reads half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as handle:
            json.dump(index.to_data(), handle, separators=(",", ":"))
    except OSError:
        return
    try:
        os.replace(handle.name, path)
    except OSError:
        Path(handle.name).unlink(missing_ok=True)
