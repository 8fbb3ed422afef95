"""Load and validate a therafaq corpus into frozen dataclasses.

A corpus is untrusted input (clinics bring their own), so validation
collects every problem it finds, each naming the file, the entry, the field
and what was expected, and raises one `CorpusError` that the CLI turns into
a readable message and exit code 2.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

FORMAT_VERSION = 1
MAX_CORPUS_BYTES = 256 * 1024 * 1024
ENV_VAR = "THERAFAQ_CORPUS"
# Files are found next to this module rather than through importlib.resources,
# whose import alone costs more than answering a question.
PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    description: str


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    publisher: str
    file: str


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    topic: str
    question: str
    alternates: tuple[str, ...]
    answer: str
    sources: tuple[Source, ...]
    related: tuple[str, ...]
    keywords: tuple[str, ...] = ()

    @property
    def wordings(self) -> tuple[str, ...]:
        """Every phrasing a question may be matched against."""
        return (self.question, *self.alternates)


@dataclass(frozen=True, slots=True)
class VocabularyGroup:
    """Words a person may use for one idea, e.g. counsellor for therapist."""

    term: str
    variants: tuple[str, ...]


class LazyEntries(Sequence[Entry]):
    """A corpus's entries, each built on first use.

    A cached corpus of ten thousand entries is ready in milliseconds this
    way, and answering one question builds only the entries it looks at.
    Ids and topics are known up front, for lookups and topic listings.
    """

    def __init__(self, ids: list[str], topics: list[str], build: Callable[[int], Entry]) -> None:
        self.ids = ids
        self.topics = topics
        self._build = build
        self._built: list[Entry | None] = [None] * len(ids)

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, position: int) -> Entry: ...

    @overload
    def __getitem__(self, position: slice) -> tuple[Entry, ...]: ...

    def __getitem__(self, position: int | slice) -> Entry | tuple[Entry, ...]:
        if isinstance(position, slice):
            return tuple(self[n] for n in range(*position.indices(len(self))))
        entry = self._built[position]
        if entry is None:
            entry = self._built[position] = self._build(position % len(self))
        return entry

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Corpus:
    path: str
    version: int
    topics: tuple[Topic, ...]
    entries: Sequence[Entry]
    vocabulary: tuple[VocabularyGroup, ...] = ()
    _by_id: dict[str, int] = field(init=False, repr=False, compare=False)
    # Each entry's topic by position, known without building the entry.
    entry_topics: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.entries, LazyEntries):
            ids, topics = self.entries.ids, self.entries.topics
        else:
            ids, topics = [entry.id for entry in self.entries], [entry.topic for entry in self.entries]
        object.__setattr__(self, "_by_id", {entry_id: n for n, entry_id in enumerate(ids)})
        object.__setattr__(self, "entry_topics", tuple(topics))

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def entry(self, entry_id: str) -> Entry | None:
        position = self._by_id.get(entry_id)
        return None if position is None else self.entries[position]

    def topic(self, topic_id: str) -> Topic | None:
        return next((topic for topic in self.topics if topic.id == topic_id), None)

    def entries_in(self, topic_id: str | None) -> tuple[Entry, ...]:
        if topic_id is None:
            return tuple(self.entries)
        return tuple(self.entries[n] for n, topic in enumerate(self.entry_topics) if topic == topic_id)

    def count_in(self, topic_id: str) -> int:
        return self.entry_topics.count(topic_id)


@dataclass(frozen=True, slots=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class CorpusError(Exception):
    """A corpus file that cannot be used; carries every problem found."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(str(p) for p in problems[:3]))


class UnknownTopic(ValueError):
    """A --topic the corpus does not have; `known` lists the ones it does."""

    def __init__(self, topic: str, known: list[str]) -> None:
        super().__init__(topic)
        self.topic = topic
        self.known = known


def require_topic(corpus: Corpus, topic: str | None) -> None:
    """Raise UnknownTopic unless `topic` is None or one of the corpus's topics."""
    if topic is not None and corpus.topic(topic) is None:
        raise UnknownTopic(topic, [t.id for t in corpus.topics])


def bundled_corpus_path() -> Path:
    """The corpus shipped with the package (the repo's data/ in a checkout)."""
    packaged = PACKAGE_DIR / "data" / "corpus.json"
    if packaged.is_file():
        return packaged
    return PACKAGE_DIR.parent / "data" / "corpus.json"


def resolve_corpus_path(option: str | os.PathLike[str] | None) -> Path:
    """--corpus first, then $THERAFAQ_CORPUS, then the bundled corpus."""
    if option:
        return Path(option)
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env) if env else bundled_corpus_path()


def load_corpus(path: str | os.PathLike[str]) -> Corpus:
    """Read and validate a corpus file, raising CorpusError on any problem."""
    return decode_corpus(read_corpus_bytes(path), str(path))


def read_corpus_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, refusing directories, unreadable and oversized files."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_CORPUS_BYTES:
            limit = MAX_CORPUS_BYTES // (1024 * 1024)
            raise CorpusError(name, [Problem("file", f"is {size:,} bytes; the limit is {limit} MiB")])
        return path.read_bytes()
    except CorpusError:
        raise
    except IsADirectoryError:
        raise CorpusError(name, [Problem("file", "is a directory, not a corpus file")]) from None
    except OSError as error:
        raise CorpusError(name, [Problem("file", error.strerror or str(error))]) from None


def decode_corpus(raw: bytes, name: str) -> Corpus:
    """Decode and validate a corpus file's bytes."""
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        problem = Problem("file", f"is not UTF-8 text (byte {error.start})")
        raise CorpusError(name, [problem]) from None
    except json.JSONDecodeError as error:
        problem = Problem(f"line {error.lineno} column {error.colno}", f"not valid JSON: {error.msg}")
        raise CorpusError(name, [problem]) from None
    except RecursionError:
        raise CorpusError(name, [Problem("file", "JSON nested too deeply")]) from None
    return parse_corpus(document, name)


def parse_corpus(document: Any, name: str = "<corpus>") -> Corpus:
    """Validate an already-decoded JSON document and build the Corpus."""
    checker = _Checker()
    if not isinstance(document, dict):
        raise CorpusError(name, [Problem("top level", "expected a JSON object with 'entries'")])
    version = document.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):  # true == 1 in Python, not in JSON
        checker.add("version", f"expected {FORMAT_VERSION}, got {version!r}")
    checker.unknown_keys("top level", document, {"version", "topics", "entries", "vocabulary"})
    topics = tuple(checker.items(document, "topics", "topic", _parse_topic))
    vocabulary = tuple(checker.items(document, "vocabulary", "vocabulary group", _parse_group))
    entries = tuple(checker.items(document, "entries", "entry", _parse_entry))
    if "entries" in document and not entries and not checker.problems:
        checker.add("entries", "expected at least one entry")
    _check_references(
        checker, topics, entries, _declared_ids(document.get("entries")), _declared_ids(document.get("topics"))
    )
    if checker.problems:
        raise CorpusError(name, checker.problems)
    return Corpus(name, FORMAT_VERSION, topics, entries, vocabulary)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def unknown_keys(self, where: str, obj: dict[str, Any], allowed: set[str]) -> None:
        for key in sorted(set(obj) - allowed):
            self.add(where, f"unknown field {key!r}")

    def items(self, document: dict[str, Any], key: str, kind: str, parse: Callable[..., Any]) -> Iterator[Any]:
        value = document.get(key, [] if key == "vocabulary" else None)
        if not isinstance(value, list):
            self.add(key, f"expected a list of {kind} objects, got {_kind(value)}")
            return
        for index, item in enumerate(value):
            label = f"{kind} {index}"
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                label = f"{kind} {item['id']!r} (#{index})"
            if not isinstance(item, dict):
                self.add(label, f"expected an object, got {_kind(item)}")
                continue
            before = len(self.problems)
            built = parse(_Fields(self, label, item))
            if len(self.problems) == before:
                yield built


class _Fields:
    """Typed field access that records a problem instead of raising."""

    def __init__(self, checker: _Checker, label: str, obj: dict[str, Any]) -> None:
        self.checker, self.label, self.obj = checker, label, obj

    def text(self, key: str, *, optional: bool = False) -> str:
        value = self.obj.get(key)
        if value is None and optional:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.checker.add(f"{self.label} field {key!r}", f"expected non-empty text, got {_kind(value)}")
            return ""
        return value.strip()

    def texts(self, key: str, *, optional: bool = False) -> tuple[str, ...]:
        value = self.obj.get(key)
        if value is None and optional:
            return ()
        where = f"{self.label} field {key!r}"
        if not isinstance(value, list):
            self.checker.add(where, f"expected a list of non-empty texts, got {_kind(value)}")
            return ()
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.checker.add(where, f"expected a list of non-empty texts, but item {index} is {_kind(item)}")
                return ()
        return tuple(v.strip() for v in value)

    def done(self, allowed: set[str]) -> None:
        self.checker.unknown_keys(self.label, self.obj, allowed)


def _parse_topic(f: _Fields) -> Topic:
    f.done({"id", "title", "description"})
    return Topic(f.text("id"), f.text("title"), f.text("description"))


def _parse_group(f: _Fields) -> VocabularyGroup:
    f.done({"term", "variants"})
    return VocabularyGroup(f.text("term"), f.texts("variants"))


def _parse_entry(f: _Fields) -> Entry:
    f.done({"id", "topic", "question", "alternates", "keywords", "answer", "sources", "related"})
    entry_id = f.text("id")
    if entry_id and not _is_slug(entry_id):
        f.checker.add(f"{f.label} field 'id'", "expected lower-case letters, digits and hyphens")
    sources = []
    raw_sources = f.obj.get("sources")
    if not isinstance(raw_sources, list) or not raw_sources:
        f.checker.add(f"{f.label} field 'sources'", f"expected a non-empty list, got {_kind(raw_sources)}")
    else:
        for index, raw in enumerate(raw_sources):
            label = f"{f.label} field 'sources' item {index}"
            if not isinstance(raw, dict):
                f.checker.add(label, f"expected an object, got {_kind(raw)}")
                continue
            source = _Fields(f.checker, label, raw)
            source.done({"title", "publisher", "file"})
            sources.append(Source(source.text("title"), source.text("publisher"), source.text("file", optional=True)))
    return Entry(
        id=entry_id,
        topic=f.text("topic"),
        question=f.text("question"),
        alternates=f.texts("alternates"),
        answer=f.text("answer"),
        sources=tuple(sources),
        related=f.texts("related", optional=True),
        keywords=f.texts("keywords", optional=True),
    )


def _declared_ids(items: Any) -> set[str]:
    """Ids written in the file, even on items that failed validation, so one
    broken entry does not also make every reference to it a problem."""
    if not isinstance(items, list):
        return set()
    return {item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)}


def _check_references(
    checker: _Checker,
    topics: tuple[Topic, ...],
    entries: tuple[Entry, ...],
    entry_ids: set[str],
    topic_ids: set[str],
) -> None:
    seen: set[str] = set()
    for topic in topics:
        if topic.id in seen:
            checker.add(f"topic {topic.id!r}", "duplicate topic id")
        seen.add(topic.id)
    seen = set()
    for entry in entries:
        if entry.id in seen:
            checker.add(f"entry {entry.id!r}", "duplicate entry id")
        seen.add(entry.id)
    for entry in entries:
        if entry.topic not in topic_ids:
            checker.add(f"entry {entry.id!r} field 'topic'", f"unknown topic {entry.topic!r}")
        for related in entry.related:
            if related not in entry_ids:
                checker.add(f"entry {entry.id!r} field 'related'", f"unknown entry id {related!r}")
            elif related == entry.id:
                checker.add(f"entry {entry.id!r} field 'related'", "an entry cannot be related to itself")


def _is_slug(text: str) -> bool:
    return text.replace("-", "").isalnum() and text.isascii() and text == text.lower()


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return "empty text" if not value.strip() else "text"
    if isinstance(value, bool):
        return "true/false"
    return {dict: "an object", list: "a list", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )
