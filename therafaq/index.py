"""The matching index: built once per corpus file, cached on disk between runs.

Validating a corpus and normalising every wording, answer and vocabulary
variant takes far longer than answering a question, so both results are kept
in the user's cache directory (marshal, the fastest format the standard
library reads), keyed by the corpus file's size and checksum, the index
format, therafaq's version and Python's. A changed corpus gets a new key and
is rebuilt; a cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import gc
import marshal
import math
import os
import sys
import zlib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from therafaq import __version__
from therafaq.corpus import (
    Corpus,
    Entry,
    LazyEntries,
    Source,
    Topic,
    VocabularyGroup,
    decode_corpus,
    read_corpus_bytes,
)
from therafaq.text import STOPWORDS, Canonicaliser, content_terms, stemmed_words, words

INDEX_FORMAT = 6
FUZZY_MIN_LENGTH = 4
UNKNOWN_RATIO = 2.0
UBIQUITY_SHARE = 0.75
UBIQUITY_MIN_ENTRIES = 10
MAX_POSTINGS = 1000
# A wording's weight is at least this when it divides recall, so a one-word
# wording ("Boundaries?") is not fully covered by any question that says it.
MIN_WORDING_WEIGHT = 3.5


class Index(NamedTuple):
    """Everything the matcher needs, in plain containers that load fast.

    Wordings are parallel lists by position: the entry they belong to, their
    number among its wordings, the inverse of their weight and which set of
    ubiquitous terms they have (an index into `ubiquitous_groups`).
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
    postings: dict[str, list[int]]
    entry_shapes: Sequence[list[str]]
    lexicon: dict[str, str]
    lexicon_words: list[str]


# The per-entry fields, stored with each entry's record in the cache.
_PER_ENTRY = ("bags", "answer_only", "entry_shapes")


def build_index(corpus: Corpus) -> Index:
    canonicaliser = Canonicaliser((g.term, g.variants) for g in corpus.vocabulary)

    def terms_of(text: str) -> frozenset[str]:
        return frozenset(content_terms(text, canonicaliser))

    raw = [
        (index, number, text, terms_of(text))
        for index, entry in enumerate(corpus.entries)
        for number, text in enumerate(entry.wordings)
    ]
    bags: list[set[str]] = [set() for _ in corpus.entries]
    for index, _, _, terms in raw:
        bags[index] |= terms
    for index, entry in enumerate(corpus.entries):
        for keyword in entry.keywords:
            bags[index] |= terms_of(keyword)
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
    for position, (index, _, text, terms) in enumerate(kept):
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
        wording_inverse=[1 / max(sum(idf[t] for t in sorted(terms)), MIN_WORDING_WEIGHT) for *_, terms in kept],
        wording_group=wording_group,
        ubiquitous_groups=list(groups),
        postings=postings,
        entry_shapes=shapes,
        lexicon=lexicon,
        lexicon_words=sorted(lexicon),
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


def _code_key() -> str:
    """What else the cached data depends on: this code, the normaliser, Python.

    The two source files are hashed, so an edited normaliser or index
    builder never meets an index it did not build.
    """
    code = b"".join((Path(__file__).parent / name).read_bytes() for name in ("index.py", "text.py"))
    python = f"{sys.version_info[0]}{sys.version_info[1]}"
    return f"{INDEX_FORMAT}-{__version__}-py{python}-{zlib.crc32(code):08x}"


def load_indexed(path: str | os.PathLike[str]) -> tuple[Corpus, Index]:
    """A corpus file and its index, from the cache when the file is unchanged.

    Raises CorpusError exactly as `corpus.load_corpus` does. What is loaded
    lives as long as the process, so the garbage collector is told to leave
    it alone (`gc.freeze`): walking millions of index objects after every
    few thousand allocations would cost more than answering.
    """
    raw = read_corpus_bytes(path)
    name = str(path)
    # One cache file per corpus file: named by the file's location, then by
    # its content, so an edited corpus replaces its old index.
    place = f"{zlib.crc32(os.path.abspath(path).encode('utf-8', 'surrogatepass')):08x}"
    cache = cache_dir() / f"corpus-{place}-{len(raw)}-{zlib.crc32(raw):08x}-{_code_key()}.marshal"
    gc.disable()  # unmarshalling millions of small objects triggers needless collections
    try:
        loaded = from_data(marshal.loads(cache.read_bytes()), name)
    except (OSError, EOFError, ValueError, TypeError, IndexError, KeyError):
        loaded = None
    finally:
        gc.freeze()
        gc.enable()
    if loaded is not None:
        return loaded
    corpus = decode_corpus(raw, name)
    index = build_index(corpus)
    for stale in cache.parent.glob(f"corpus-{place}-*.marshal"):
        stale.unlink(missing_ok=True)
    _store(cache, marshal.dumps(to_data(corpus, index)))
    gc.freeze()
    return corpus, index


def to_data(corpus: Corpus, index: Index) -> tuple[Any, ...]:
    """Plain containers for marshal: what every question needs, then one
    marshalled record per entry (the entry and its `_PER_ENTRY` fields),
    decoded only when a question reaches that entry."""
    entries = corpus.entries
    records = [
        marshal.dumps((_entryto_data(entry), *(getattr(index, name)[n] for name in _PER_ENTRY)))
        for n, entry in enumerate(entries)
    ]
    head = (
        corpus.version,
        [(t.id, t.title, t.description) for t in corpus.topics],
        [(g.term, g.variants) for g in corpus.vocabulary],
        [e.id for e in entries],
        [e.topic for e in entries],
    )
    shared = {name: value for name, value in index._asdict().items() if name not in _PER_ENTRY}
    shared["canonicaliser"] = index.canonicaliser.to_data()
    return head, shared, records


def from_data(data: tuple[Any, ...], name: str) -> tuple[Corpus, Index]:
    (version, topics, vocabulary, ids, entry_topics), shared, records = data
    store = _Records(records)
    entries = LazyEntries(ids, entry_topics, store.entry)
    corpus = Corpus(
        name,
        version,
        tuple(Topic(*t) for t in topics),
        entries,
        tuple(VocabularyGroup(*g) for g in vocabulary),
    )
    shared["canonicaliser"] = Canonicaliser.from_data(shared["canonicaliser"])
    columns = {field: _Column(store, column) for column, field in enumerate(_PER_ENTRY, start=1)}
    return corpus, Index(**shared, **columns)


def _entryto_data(e: Entry) -> tuple[Any, ...]:
    sources = tuple((source.title, source.publisher, source.file) for source in e.sources)
    return e.id, e.topic, e.question, e.alternates, e.answer, sources, e.related, e.keywords


class _Records:
    """The cache's per-entry records, unmarshalled once each, when first asked for."""

    def __init__(self, records: list[bytes]) -> None:
        self._records = records
        self._decoded: dict[int, tuple[Any, ...]] = {}

    def __len__(self) -> int:
        return len(self._records)

    def get(self, position: int) -> tuple[Any, ...]:
        record = self._decoded.get(position)
        if record is None:
            record = self._decoded[position] = marshal.loads(self._records[position])
        return record

    def entry(self, position: int) -> Entry:
        i, t, q, a, answer, sources, related, keywords = self.get(position)[0]
        return Entry(i, t, q, a, answer, tuple(Source(*s) for s in sources), related, keywords)


class _Column(Sequence[Any]):
    """One per-entry field of the index, read from the entries' records."""

    def __init__(self, records: _Records, column: int) -> None:
        self._store = records
        self._column = column

    def __len__(self) -> int:
        return len(self._store)

    def __getitem__(self, position: int) -> Any:  # type: ignore[override]
        return self._store.get(position)[self._column]


def _store(path: Path, data: bytes) -> None:
    """Write atomically, so a concurrent run never reads half a file."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as handle:
            handle.write(data)
    except OSError:
        return
    try:
        os.replace(handle.name, path)
    except OSError:
        Path(handle.name).unlink(missing_ok=True)
