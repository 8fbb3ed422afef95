"""A therafaq corpus as frozen dataclasses, and the errors about one.

Reading and validating a corpus file is `corpus_file`'s job; this module is
what the rest of therafaq holds once a corpus is loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import overload


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
class SignpostLine:
    """One line of a signpost for some regions (two-letter codes); no regions means everywhere else."""

    regions: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class Signpost:
    """Where to turn when something is wrong: the corpus maintainer's own
    guidance, never drawn from the articles, so it is kept and shown apart
    from answers. `crisis_lines` asks for the crisis contacts as well."""

    id: str
    title: str
    text: tuple[str, ...]
    lines: tuple[SignpostLine, ...] = ()
    crisis_lines: bool = False


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
    # Ids of entries merged into this one, still answered by `Corpus.entry`.
    aliases: tuple[str, ...] = ()
    # The corpus's signposts shown under the answer.
    signposts: tuple[Signpost, ...] = ()

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

    def __init__(
        self, ids: list[str], topics: list[str], build: Callable[[int], Entry], aliases: dict[str, str]
    ) -> None:
        self.ids = ids
        self.topics = topics
        self.aliases = aliases
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
    signposts: tuple[Signpost, ...] = ()
    _by_id: dict[str, int] = field(init=False, repr=False, compare=False)
    # Each entry's topic by position, known without building the entry.
    entry_topics: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.entries, LazyEntries):
            ids, topics, aliases = self.entries.ids, self.entries.topics, self.entries.aliases
        else:
            ids, topics = [entry.id for entry in self.entries], [entry.topic for entry in self.entries]
            aliases = {alias: entry.id for entry in self.entries for alias in entry.aliases}
        by_id = {entry_id: n for n, entry_id in enumerate(ids)}
        by_id.update((alias, by_id[target]) for alias, target in aliases.items() if alias not in by_id)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "entry_topics", tuple(topics))

    @property
    def ids(self) -> tuple[str, ...]:
        """Every entry's own id, in order (aliases are not listed)."""
        if isinstance(self.entries, LazyEntries):
            return tuple(self.entries.ids)
        return tuple(entry.id for entry in self.entries)

    def entry(self, entry_id: str) -> Entry | None:
        """The entry with this id, or the one an old id was merged into."""
        position = self._by_id.get(entry_id)
        return None if position is None else self.entries[position]

    def aliases(self) -> dict[str, str]:
        """Old id to the id of the entry it was merged into."""
        own = set(self.ids)
        return {name: entry_id for name, entry_id in self.id_map().items() if name not in own}

    def id_map(self) -> dict[str, str]:
        """Every id `entry` accepts, to the id of the entry it finds."""
        ids = self.ids
        return {name: ids[n] for name, n in self._by_id.items()}

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
