"""How close an answer's wording is to its sources: the measures the content tests use.

Two measures, both over words (a source may be quoted, in double quotes;
quotations are left out before measuring):

- `shared_run`: the longest run of words an answer shares with a source;
  long runs are copying.
- `closest_sentence`: for one answer sentence, the source sentence whose
  content words (stemmed, without stop words, names and numbers, which an
  honest paraphrase has to keep; a name is a word the sources only ever
  capitalise) it shares most, with the share of the
  answer sentence they make up and the word pairs in the same order.
  A sentence that mostly re-uses one source sentence's words is a close
  paraphrase even when no long run is shared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

STOP_WORDS = frozenset(
    """a an the and or but if of to in on at for with by from as is are was were be been being am do does did
    doing have has had having i me my we our you your yours he she it its they them their this that these those
    there here not no so than then too very can could will would should may might must shall just also only even
    about into over out up down what which who whom when where why how all any some more most other such own same
    s t don isnt dont theyre youre im ive one therapist therapists therapy client clients patient patients session
    sessions blog confessions anonymous say says said writes article source page""".split()
)
NUMBER_WORDS = frozenset("two three four five six seven eight nine ten eleven twelve twenty hundred".split())
_SUFFIXES = ("ingly", "edly", "ing", "ed", "ies", "es", "s", "ly", "er", "est")
_QUOTED = re.compile(r"\u201c[^\u201d]*\u201d|\"[^\"]*\"")
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+|\n+")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-zA-Z]+)", re.MULTILINE)


def stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'").replace("'", ""))


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def unquoted(text: str) -> str:
    return _QUOTED.sub(" ", text)


def shared_run(answer: str, source: str, length: int) -> list[str] | None:
    """The first run of `length` words the answer shares with the source, if any."""
    theirs = words(source)
    runs = {tuple(theirs[i : i + length]) for i in range(len(theirs) - length + 1)}
    ours = words(answer)
    for i in range(len(ours) - length + 1):
        if tuple(ours[i : i + length]) in runs:
            return ours[i : i + length]
    return None


@dataclass(frozen=True)
class Closest:
    share: float  # of the answer sentence's content words found in the source sentence
    shared: int  # how many content words
    pairs: int  # content-word pairs shared in the same order
    source: str  # the source sentence


class Sources:
    """The seed articles, split into sentences of content words."""

    def __init__(self, texts: list[str]) -> None:
        capitalised = {m.group(1).lower() for text in texts for m in _CAPITALISED.finditer(text)}
        lower = {w for text in texts for w in re.findall(r"\b[a-z]+\b", text)}
        self.names = frozenset(stem(w) for w in capitalised - lower) | NUMBER_WORDS
        self.sentences = [(s, self.content(s)) for text in texts for s in sentences(text)]

    def content(self, text: str) -> list[str]:
        return [
            stem(w)
            for w in re.findall(r"[a-z]+", " ".join(words(text)))
            if w not in STOP_WORDS and stem(w) not in self.names
        ]

    def closest_sentence(self, sentence: str) -> Closest:
        """The closest source sentence to an answer sentence, its quotations left out."""
        ours = self.content(unquoted(sentence))
        mine, my_pairs = set(ours), set(pairwise(ours))
        best = Closest(0.0, 0, 0, "")
        for text, theirs in self.sentences:
            shared = len(mine & set(theirs))
            if shared and shared * shared / len(mine) > best.shared * best.share:
                best = Closest(shared / len(mine), shared, len(my_pairs & set(pairwise(theirs))), text)
        return best


@cache
def seed_sources(folder: Path) -> Sources:
    return Sources([p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))])
