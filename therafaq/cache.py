"""A corpus and its index, kept on disk between runs.

Validating a corpus and building its index takes far longer than answering
a question, so both are kept in the user's cache directory, one file per
corpus file, written with marshal (the fastest format the standard library
reads). The file starts with what every question needs; after it comes one
record per entry (the entry and its index fields), read only when a question
reaches that entry, so a corpus of ten thousand entries is ready in a few
tens of milliseconds.

Whether the cache still fits the corpus file is decided as Git decides
whether a file changed: by its size, times and inode, and by its content
checksum when those cannot be trusted (the file changed too soon before the
cache was written for its timestamps to tell edits apart, or the times moved
while the size did not). The index format, this code and the Python version
are part of the file's name. A cache that cannot be read or written is
simply not used.
"""

from __future__ import annotations

import gc
import marshal
import mmap
import os
import struct
import sys
import time
import zlib
from array import array
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from therafaq import __version__
from therafaq.corpus import (
    Corpus,
    CorpusError,
    Entry,
    LazyEntries,
    Problem,
    Signpost,
    SignpostLine,
    Source,
    Topic,
    VocabularyGroup,
)
from therafaq.corpus_file import decode_corpus, read_corpus_bytes
from therafaq.index import Index, build_index
from therafaq.text import Canonicaliser

FORMAT = 8
# Timestamps closer than this to the cache's writing cannot prove the file
# unchanged (coarse clocks; FAT keeps two-second times).
RACY_NS = 2_000_000_000
# The per-entry index fields, stored in each entry's record.
PER_ENTRY = ("bags", "answer_only", "entry_shapes")
_LENGTH = struct.Struct("<Q")
_OFFSET = "q"
_POSITION = "i"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "therafaq"


def load_indexed(path: str | os.PathLike[str]) -> tuple[Corpus, Index]:
    """A corpus file and its index, from the cache when the file is unchanged.

    Raises CorpusError exactly as `corpus_file.load_corpus` does. What is loaded
    lives as long as the process, so the garbage collector is told to leave
    it alone (`gc.freeze`): walking millions of index objects after every
    few thousand allocations would cost more than answering.
    """
    name = str(path)
    place = f"{zlib.crc32(os.path.abspath(path).encode('utf-8', 'surrogatepass')):08x}"
    cache = cache_dir() / f"corpus-{place}-{_code_key()}.marshal"
    gc.disable()  # unmarshalling many small objects triggers needless collections
    try:
        loaded = _read(cache, path, name)
    finally:
        gc.freeze()
        gc.enable()
    if loaded is not None:
        return loaded
    raw = read_corpus_bytes(path)
    stamp = _stamp(path)
    corpus = decode_corpus(raw, name)
    index = build_index(corpus)
    for stale in cache.parent.glob(f"corpus-{place}-*.marshal"):
        stale.unlink(missing_ok=True)
    if stamp is not None:
        _store(cache, _to_bytes(corpus, index, (*stamp, zlib.crc32(raw))))
    gc.freeze()
    return corpus, index


def to_data(corpus: Corpus, index: Index) -> tuple[Any, ...]:
    """Plain containers for marshal: the part every question needs, and one
    marshalled record per entry (the entry and its `PER_ENTRY` fields)."""
    entries = corpus.entries
    records = [
        marshal.dumps((_entry_data(entry), *(getattr(index, field)[n] for field in PER_ENTRY)))
        for n, entry in enumerate(entries)
    ]
    head = (
        corpus.version,
        [(t.id, t.title, t.description) for t in corpus.topics],
        [(g.term, g.variants) for g in corpus.vocabulary],
        [e.id for e in entries],
        [e.topic for e in entries],
        corpus.aliases(),
        [_signpost_data(s) for s in corpus.signposts],
    )
    shared = {field: value for field, value in index._asdict().items() if field not in PER_ENTRY}
    shared["canonicaliser"] = index.canonicaliser.to_data()
    shared["postings"] = {term: array(_POSITION, positions).tobytes() for term, positions in index.postings.items()}
    return head, shared, records


def from_data(
    head: tuple[Any, ...], shared: dict[str, Any], records: Sequence[bytes], name: str, source: Path | None = None
) -> tuple[Corpus, Index]:
    version, topics, vocabulary, ids, entry_topics, aliases, signposts = head
    routes = {
        i: Signpost(i, title, text, tuple(SignpostLine(*line) for line in lines), crisis)
        for i, title, text, lines, crisis in signposts
    }
    store = _Records(records, source, routes)
    corpus = Corpus(
        name,
        version,
        tuple(Topic(*t) for t in topics),
        LazyEntries(ids, entry_topics, store.entry, aliases),
        tuple(VocabularyGroup(*g) for g in vocabulary),
        tuple(routes.values()),
    )
    shared["canonicaliser"] = Canonicaliser.from_data(shared["canonicaliser"])
    shared["postings"] = _Postings(shared["postings"])
    columns = {field: _Column(store, column) for column, field in enumerate(PER_ENTRY, start=1)}
    return corpus, Index(**shared, **columns)


# The file -------------------------------------------------------------------


def _to_bytes(corpus: Corpus, index: Index, stamp: tuple[int, ...]) -> bytes:
    """Length of the head, the head (stamp, corpus head, shared index, record
    offsets), then the records."""
    head, shared, records = to_data(corpus, index)
    offsets = [0]
    for record in records:
        offsets.append(offsets[-1] + len(record))
    top = marshal.dumps((stamp, head, shared, array(_OFFSET, offsets).tobytes()))
    return b"".join([_LENGTH.pack(len(top)), top, *records])


def _read(cache: Path, path: str | os.PathLike[str], name: str) -> tuple[Corpus, Index] | None:
    try:
        with cache.open("rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, unreadable or empty
        return None
    try:
        (length,) = _LENGTH.unpack_from(mapped)
        base = _LENGTH.size + length
        stamp, head, shared, packed_offsets = marshal.loads(mapped[_LENGTH.size : base])
        offsets = array(_OFFSET, packed_offsets)
        if len(mapped) == base + offsets[-1]:  # not cut short
            fits, restamp = _still_fits(stamp, path)
            if restamp:
                top = marshal.dumps(((*restamp, stamp[-1]), head, shared, packed_offsets))
                _store(cache, _LENGTH.pack(len(top)) + top + mapped[base:])
            if fits:
                return from_data(head, shared, _MappedRecords(mapped, base, offsets), name, cache)
    except (EOFError, ValueError, TypeError, IndexError, KeyError, struct.error):
        pass
    mapped.close()
    return None


def _stamp(path: str | os.PathLike[str]) -> tuple[int, int, int, int, int] | None:
    """What the file looked like, and when: size, mtime, ctime, inode, now."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, time.time_ns()


def _still_fits(stamp: tuple[int, ...], path: str | os.PathLike[str]) -> tuple[bool, tuple[int, ...] | None]:
    """Whether the cache was built from the file as it is now, and a new
    stamp when only the checksum could tell but the file's times can be
    trusted from now on (so later runs need not read the corpus)."""
    size, mtime, ctime, inode, written, checksum = stamp
    now = _stamp(path)
    if now is None or now[0] != size:
        return False, None
    if now[1:4] == (mtime, ctime, inode) and written - ctime >= RACY_NS:
        return True, None
    try:
        same = zlib.crc32(read_corpus_bytes(path)) == checksum
    except CorpusError:  # reported when the rebuild reads it
        return False, None
    return same, now if same and now[4] - now[2] >= RACY_NS else None


def _code_key() -> str:
    """What else the cached data depends on: this code, the normaliser, Python.

    The source files are hashed, so an edited normaliser or index builder
    never meets an index it did not build.
    """
    here = Path(__file__).parent
    code = b"".join((here / name).read_bytes() for name in ("cache.py", "index.py", "text.py"))
    python = f"{sys.version_info[0]}{sys.version_info[1]}"
    return f"{FORMAT}-{__version__}-py{python}-{zlib.crc32(code):08x}"


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


# Reading on demand --------------------------------------------------------------


class _MappedRecords(Sequence[bytes]):
    """Records read from the cache file mapped into memory: only the pages
    of entries a question reaches are ever read from disk."""

    def __init__(self, mapped: mmap.mmap, base: int, offsets: array[int]) -> None:
        self._mapped = mapped
        self._base = base
        self._offsets = offsets

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, position: int) -> bytes:  # type: ignore[override]
        start, end = self._offsets[position], self._offsets[position + 1]
        return self._mapped[self._base + start : self._base + end]


class _Records:
    """Each entry's record, unmarshalled once, when first asked for."""

    def __init__(
        self, records: Sequence[bytes], source: Path | None = None, signposts: Mapping[str, Signpost] | None = None
    ) -> None:
        self._records = records
        self._source = source
        self._signposts = signposts or {}
        self._decoded: dict[int, tuple[Any, ...]] = {}

    def __len__(self) -> int:
        return len(self._records)

    def get(self, position: int) -> tuple[Any, ...]:
        record = self._decoded.get(position)
        if record is None:
            try:
                record = self._decoded[position] = marshal.loads(self._records[position])
            except (EOFError, ValueError, TypeError) as error:
                raise self._damaged() from error
        return record

    def _damaged(self) -> CorpusError:
        """A record that cannot be read: the file is removed, so the next run rebuilds it."""
        name = str(self._source or "<records>")
        if self._source is not None:
            self._source.unlink(missing_ok=True)
        return CorpusError(name, [Problem("index cache", "is damaged; it was removed and is rebuilt on the next run")])

    def entry(self, position: int) -> Entry:
        try:
            i, t, q, a, answer, sources, related, keywords, aliases, signposts = self.get(position)[0]
            routes = tuple(self._signposts[s] for s in signposts)
            return Entry(i, t, q, a, answer, tuple(Source(*s) for s in sources), related, keywords, aliases, routes)
        except (ValueError, TypeError, KeyError) as error:  # a record of the wrong shape
            raise self._damaged() from error


class _Column(Sequence[Any]):
    """One per-entry field of the index, read from the entries' records."""

    def __init__(self, records: _Records, column: int) -> None:
        self._store = records
        self._column = column

    def __len__(self) -> int:
        return len(self._store)

    def __getitem__(self, position: int) -> Any:  # type: ignore[override]
        if not 0 <= position < len(self._store):
            raise IndexError(position)
        return self._store.get(position)[self._column]


class _Postings(Mapping[str, list[int]]):
    """Each term's wording positions, unpacked the first time a question has the term."""

    def __init__(self, packed: dict[str, bytes]) -> None:
        self._packed = packed
        self._unpacked: dict[str, list[int]] = {}

    def __getitem__(self, term: str) -> list[int]:
        positions = self._unpacked.get(term)
        if positions is None:
            positions = self._unpacked[term] = array(_POSITION, self._packed[term]).tolist()
        return positions

    def get(self, term: str, default: Any = None) -> Any:
        return self[term] if term in self._packed else default

    def __contains__(self, term: object) -> bool:
        return term in self._packed

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)


def _entry_data(e: Entry) -> tuple[Any, ...]:
    sources = tuple((source.title, source.publisher, source.file) for source in e.sources)
    return (
        e.id,
        e.topic,
        e.question,
        e.alternates,
        e.answer,
        sources,
        e.related,
        e.keywords,
        e.aliases,
        tuple(s.id for s in e.signposts),
    )


def _signpost_data(s: Signpost) -> tuple[Any, ...]:
    return s.id, s.title, s.text, tuple((line.regions, line.text) for line in s.lines), s.crisis_lines
