"""A therafaq corpus as frozen dataclasses, and the errors about one.

Reading and validating a corpus file is `corpus_file`'s job; this module is
what the rest of therafaq holds once a corpus is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

# Every dataclass here has a docstring, and not only for readers: without one,
# `dataclass` computes the class's signature to write one, 0.1 ms a class each run.


class _Fields:
    """What the corpus records share.

    Equality, hashing and repr are written once here, over the fields in
    order, as `dataclass` would write them: it compiles each method for each
    class at import, and three of them for six classes made importing this
    module take 6.4 ms instead of 3.4. Pickled as the class and its field
    values: loading a cached corpus of thousands of entries then takes a third
    less time than the default, which sets each frozen field one by one.
    """

    __slots__ = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__dataclass_fields__)  # type: ignore[attr-defined]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__dataclass_fields__)  # type: ignore[attr-defined]
        return f"{self.__class__.__qualname__}({shown})"

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return type(self), self._values()


@dataclass(frozen=True, slots=True, eq=False, repr=False)  # equality and repr: `_Fields`
class Topic(_Fields):
    """One of the subjects entries are grouped under, as `topics` lists them."""

    id: str
    title: str
    description: str


@dataclass(frozen=True, slots=True, eq=False, repr=False)  # equality and repr: `_Fields`
class Source(_Fields):
    """An article an answer draws on: its real title, who published it, and the seed file it came from."""

    title: str
    publisher: str
    file: str


@dataclass(frozen=True, slots=True, eq=False, repr=False)  # equality and repr: `_Fields`
class SignpostLine(_Fields):
    """One line of a signpost for some regions (two-letter codes); no regions means everywhere else."""

    regions: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True, eq=False, repr=False)  # equality and repr: `_Fields`
class Signpost(_Fields):
    """Where to turn when something is wrong: the corpus maintainer's own
    guidance, never drawn from the articles, so it is kept and shown apart
    from answers. `crisis_lines` asks for the crisis contacts as well."""

    id: str
    title: str
    text: tuple[str, ...]
    lines: tuple[SignpostLine, ...] = ()
    crisis_lines: bool = False


@dataclass(frozen=True, slots=True, eq=False, repr=False)  # equality and repr: `_Fields`
class Entry(_Fields):
    """One curated question: its wordings, its answer in therafaq's words, and where the answer comes from."""

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


@dataclass(frozen=True, slots=True, eq=False, repr=False)  # equality and repr: `_Fields`
class VocabularyGroup(_Fields):
    """Words a person may use for one idea, e.g. counsellor for therapist.

    `scope` marks the groups that say whom a question is about: "subject"
    (the therapist, therapy), "outside" (a hairdresser, a landlord) or
    "setting" (a session: the subject's, unless someone outside is named); a
    question naming only someone outside is not one the corpus answers.
    """

    term: str
    variants: tuple[str, ...]
    scope: str | None = None


@dataclass(frozen=True)
class Corpus:
    """A whole validated corpus, with its entries found by id or by an id merged into one."""

    path: str
    version: int
    topics: tuple[Topic, ...]
    entries: tuple[Entry, ...]
    vocabulary: tuple[VocabularyGroup, ...] = ()
    signposts: tuple[Signpost, ...] = ()
    _by_id: dict[str, int] = field(init=False, repr=False, compare=False)
    # Each entry's topic by position, for topic listings.
    entry_topics: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ids, topics = [entry.id for entry in self.entries], [entry.topic for entry in self.entries]
        aliases = {alias: entry.id for entry in self.entries for alias in entry.aliases}
        by_id = {entry_id: n for n, entry_id in enumerate(ids)}
        by_id.update((alias, by_id[target]) for alias, target in aliases.items() if alias not in by_id)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "entry_topics", tuple(topics))

    @property
    def ids(self) -> tuple[str, ...]:
        """Every entry's own id, in order (aliases are not listed)."""
        return tuple(entry.id for entry in self.entries)

    def entry(self, entry_id: str) -> Entry | None:
        """The entry with this id, or the one an old id was merged into (ids are lower case,
        so "Hugs-And-Touch" finds hugs-and-touch)."""
        position = self._by_id.get(entry_id)
        if position is None:
            position = self._by_id.get(entry_id.strip().lower())
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
        wanted = topic_id.strip().lower()
        return next((topic for topic in self.topics if topic.id == wanted), None)

    def entries_in(self, topic_id: str | None) -> tuple[Entry, ...]:
        if topic_id is None:
            return tuple(self.entries)
        return tuple(self.entries[n] for n, topic in enumerate(self.entry_topics) if topic == topic_id)

    def count_in(self, topic_id: str) -> int:
        return self.entry_topics.count(topic_id)


class Problem(NamedTuple):
    """One thing wrong with a corpus file, and where (a named tuple: a frozen dataclass
    costs half a millisecond of every run to define, and this is not corpus data)."""

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
