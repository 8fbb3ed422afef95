"""Read and validate a corpus file into a `Corpus`.

A corpus is untrusted input (clinics bring their own), so validation
collects every problem it finds, each naming the file, the entry, the field
and what was expected, and raises one `CorpusError` that the CLI turns into
a readable message and exit code 2.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from therafaq.corpus import (
    Corpus,
    CorpusError,
    Entry,
    Problem,
    Signpost,
    SignpostLine,
    Source,
    Topic,
    VocabularyGroup,
)

FORMAT_VERSION = 1
MAX_CORPUS_BYTES = 256 * 1024 * 1024
ENV_VAR = "THERAFAQ_CORPUS"
OPTIONAL_LISTS = ("vocabulary", "signposts")
SCOPES = ("subject", "outside", "setting")  # a vocabulary group's `scope`
MAX_PHRASE_WORDS = 12
MAX_PHRASE_CHARS = 120
# Files are found next to this module rather than through importlib.resources,
# whose import alone costs more than answering a question.
PACKAGE_DIR = Path(__file__).resolve().parent


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
        reader = _StrictJSON()
        document = json.loads(
            raw.decode("utf-8-sig"),
            object_pairs_hook=reader.object,
            parse_int=reader.integer,
            parse_constant=reader.constant,
        )
        if reader.problems:
            raise CorpusError(name, reader.problems)
    except UnicodeDecodeError as error:
        problem = Problem("file", f"is not UTF-8 text (byte {error.start})")
        raise CorpusError(name, [problem]) from None
    except json.JSONDecodeError as error:
        problem = Problem(f"line {error.lineno} column {error.colno}", f"not valid JSON: {error.msg}")
        raise CorpusError(name, [problem]) from None
    except RecursionError:
        raise CorpusError(name, [Problem("file", "JSON nested too deeply")]) from None
    return parse_corpus(document, name)


class _StrictJSON:
    """What plain `json.loads` lets through but a corpus must not hold: a key given twice in one
    object (the second silently wins), integers too long to be real (Python refuses to convert
    thousands of digits, with a traceback), and NaN or Infinity, which are not JSON."""

    MAX_DIGITS = 18

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def object(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key, value in pairs:
            if key in found:
                where = f"object with id {found['id']!r}" if isinstance(found.get("id"), str) else "an object"
                self.problems.append(Problem(where, f"key {key!r} is given twice"))
            found[key] = value
        return found

    def integer(self, text: str) -> int:
        if len(text.lstrip("-")) > self.MAX_DIGITS:
            self.problems.append(Problem("a number", f"{text[:12]}... is {len(text)} digits long"))
            return 0
        return int(text)

    def constant(self, text: str) -> None:
        self.problems.append(Problem("a number", f"{text} is not valid JSON"))


def parse_corpus(document: Any, name: str = "<corpus>") -> Corpus:
    """Validate an already-decoded JSON document and build the Corpus."""
    checker = _Checker()
    if not isinstance(document, dict):
        raise CorpusError(name, [Problem("top level", "expected a JSON object with 'entries'")])
    version = document.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):  # true == 1 in Python, not in JSON
        checker.add("version", f"expected {FORMAT_VERSION}, got {version!r}")
    checker.unknown_keys("top level", document, {"version", "topics", "entries", "vocabulary", "signposts"})
    topics = tuple(checker.items(document, "topics", "topic", _parse_topic))
    vocabulary = tuple(checker.items(document, "vocabulary", "vocabulary group", _parse_group))
    signposts = tuple(checker.items(document, "signposts", "signpost", _parse_signpost))
    by_id = {signpost.id: signpost for signpost in signposts}
    entries = tuple(checker.items(document, "entries", "entry", lambda f: _parse_entry(f, by_id)))
    if "entries" in document and not entries and not checker.problems:
        checker.add("entries", "expected at least one entry")
    _check_references(
        checker, topics, entries, _declared_ids(document.get("entries")), _declared_ids(document.get("topics"))
    )
    _check_signposts(checker, signposts, entries)
    _check_vocabulary(checker, vocabulary)
    if checker.problems:
        raise CorpusError(name, checker.problems)
    return Corpus(name, FORMAT_VERSION, topics, entries, vocabulary, signposts)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def unknown_keys(self, where: str, obj: dict[str, Any], allowed: set[str]) -> None:
        for key in sorted(set(obj) - allowed):
            self.add(where, f"unknown field {key!r}")

    def items(self, document: dict[str, Any], key: str, kind: str, parse: Callable[..., Any]) -> Iterator[Any]:
        value = document.get(key, [] if key in OPTIONAL_LISTS else None)
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
        if key not in self.obj and optional:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.checker.add(f"{self.label} field {key!r}", f"expected non-empty text, got {_kind(value)}")
            return ""
        return value.strip()

    def texts(self, key: str, *, optional: bool = False) -> tuple[str, ...]:
        """An optional list may be left out, but not given as null (as the schema says)."""
        value = self.obj.get(key)
        if key not in self.obj and optional:
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

    def objects(self, key: str, allowed: set[str], *, required: bool = False) -> Iterator[_Fields]:
        """The fields of each object in a list: `sources` must hold at least one, `lines` may be left out."""
        value = self.obj.get(key, None if required else [])
        if not isinstance(value, list) or (required and not value):
            wanted = "a non-empty list" if required else "a list of objects"
            self.checker.add(f"{self.label} field {key!r}", f"expected {wanted}, got {_kind(value)}")
            return
        for index, item in enumerate(value):
            label = f"{self.label} field {key!r} item {index}"
            if not isinstance(item, dict):
                self.checker.add(label, f"expected an object, got {_kind(item)}")
                continue
            fields = _Fields(self.checker, label, item)
            fields.done(allowed)
            yield fields

    def slug(self, key: str) -> str:
        value = self.text(key)
        if value and not _is_slug(value):
            self.checker.add(f"{self.label} field {key!r}", "expected lower-case letters, digits and hyphens")
        return value

    def slugs(self, key: str) -> tuple[str, ...]:
        values = self.texts(key, optional=True)
        if not all(_is_slug(value) for value in values):
            self.checker.add(f"{self.label} field {key!r}", "expected ids of lower-case letters, digits and hyphens")
        return values

    def done(self, allowed: set[str]) -> None:
        self.checker.unknown_keys(self.label, self.obj, allowed)


def _parse_topic(f: _Fields) -> Topic:
    f.done({"id", "title", "description"})
    return Topic(f.text("id"), f.text("title"), f.text("description"))


def _parse_group(f: _Fields) -> VocabularyGroup:
    """A term and its variants are phrases, bounded so one question cannot expand without limit
    (a term of 20,000 words once took minutes and a gigabyte to answer with)."""
    f.done({"term", "variants", "scope"})
    scope = f.obj.get("scope")
    if "scope" in f.obj and scope not in SCOPES:
        shown = repr(scope) if isinstance(scope, str) else _kind(scope)
        f.checker.add(
            f"{f.label} field 'scope'", f"expected {', '.join(map(repr, SCOPES[:-1]))} or {SCOPES[-1]!r}, got {shown}"
        )
    group = VocabularyGroup(f.text("term"), f.texts("variants"), scope)
    for phrase in (group.term, *group.variants):
        if len(phrase.split()) > MAX_PHRASE_WORDS or len(phrase) > MAX_PHRASE_CHARS:
            where = f"{f.label} phrase {phrase[:40]!r}"
            f.checker.add(where, f"is longer than {MAX_PHRASE_WORDS} words or {MAX_PHRASE_CHARS} characters")
            break
    return group


def _check_vocabulary(checker: _Checker, vocabulary: tuple[VocabularyGroup, ...]) -> None:
    """A phrase names one term: in two groups, only the first would ever apply ("dislikes me" read
    as "judge" and never as "like me"), and which one is an accident of order."""
    first: dict[str, str] = {}
    for group in vocabulary:
        for phrase in dict.fromkeys(p.casefold() for p in (group.term, *group.variants)):
            other = first.setdefault(phrase, group.term)
            if other != group.term:
                checker.add(f"vocabulary phrase {phrase!r}", f"is in the groups {other!r} and {group.term!r}")


def _parse_signpost(f: _Fields) -> Signpost:
    f.done({"id", "title", "text", "lines", "crisis_lines"})
    signpost_id = f.slug("id")
    lines = []
    for line in f.objects("lines", {"regions", "text"}):
        regions = line.texts("regions", optional=True)
        if any(len(r) != 2 or not r.isascii() or not r.isupper() for r in regions):
            f.checker.add(
                f"{line.label} field 'regions'", "expected two-letter upper-case country codes, like US or GB"
            )
        lines.append(SignpostLine(regions, line.text("text")))
    crisis_lines = f.obj.get("crisis_lines", False)
    if not isinstance(crisis_lines, bool):
        f.checker.add(f"{f.label} field 'crisis_lines'", f"expected true or false, got {_kind(crisis_lines)}")
    text = f.texts("text")
    if not text and isinstance(f.obj.get("text"), list):
        f.checker.add(f"{f.label} field 'text'", "expected at least one paragraph")
    return Signpost(signpost_id, f.text("title"), text, tuple(lines), crisis_lines is True)


def _parse_entry(f: _Fields, signposts: dict[str, Signpost]) -> Entry:
    f.done(
        {"id", "topic", "question", "alternates", "keywords", "answer", "sources", "related", "aliases", "signposts"}
    )
    entry_id = f.slug("id")
    named = f.texts("signposts", optional=True)
    for signpost_id in named:
        if signpost_id not in signposts:
            f.checker.add(f"{f.label} field 'signposts'", f"unknown signpost id {signpost_id!r}")
    sources = [
        Source(source.text("title"), source.text("publisher"), source.text("file", optional=True))
        for source in f.objects("sources", {"title", "publisher", "file"}, required=True)
    ]
    return Entry(
        id=entry_id,
        topic=f.text("topic"),
        question=f.text("question"),
        alternates=f.texts("alternates"),
        answer=f.text("answer"),
        sources=tuple(sources),
        related=f.texts("related", optional=True),
        keywords=f.texts("keywords", optional=True),
        aliases=f.slugs("aliases"),
        signposts=tuple(signposts[s] for s in named if s in signposts),
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


def _check_signposts(checker: _Checker, signposts: tuple[Signpost, ...], entries: tuple[Entry, ...]) -> None:
    """Signpost ids are unique; aliases clash with no id or other alias."""
    seen: set[str] = set()
    for signpost in signposts:
        if signpost.id in seen:
            checker.add(f"signpost {signpost.id!r}", "duplicate signpost id")
        seen.add(signpost.id)
    claimed = {entry.id: "an entry" for entry in entries}
    for entry in entries:
        for alias in entry.aliases:
            if alias in claimed:
                checker.add(f"entry {entry.id!r} field 'aliases'", f"{alias!r} is already the id of {claimed[alias]}")
            claimed.setdefault(alias, f"an alias of {entry.id!r}")


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
