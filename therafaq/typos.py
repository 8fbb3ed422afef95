"""Which corpus word did a person mean by a word the corpus does not have?

A typo is made on a written word ("weding"), so typed words are compared
with the corpus's written words (its lexicon), not with stems. Everyday
words the corpus lacks ("properly", "sure") and misspelt stopwords ("dose",
"thier") are recognised first, so they never turn into content.
"""

# No `from __future__ import annotations` here: NamedTuple compiles every string annotation
# at import, which over the six modules that define them cost 1.5 ms of each run.
import math
import re
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from therafaq.index import FUZZY_MIN_LENGTH
from therafaq.text import COMMON_WORDS, STOPWORDS, stem

FUZZY_MIN_SIMILARITY = 0.8
TYPO_CUTOFF = 0.7
DOUBLING_MIN_LENGTH = 6
SHORT_WORD = 6
LONG_WORD = 10
STOPWORD_LIST = sorted(word for word in STOPWORDS if len(word) >= 3)
_DOUBLED = re.compile(r"(.)\1+")


class TermMatch(NamedTuple):
    """How one question term met the corpus: as itself, by typo, or not."""

    term: str
    corpus_term: str | None
    similarity: float
    common: bool = False
    # The corpus's written word a typo was taken for ("talk" for "tlak").
    word: str | None = None


class Typos:
    """The corpus lexicon (written word -> term), and what each unknown word
    was taken to mean, remembered for the whole session."""

    def __init__(self, terms: dict[str, str], words: list[str]) -> None:
        self._terms = terms
        self._words = words
        self._near_length: dict[int, list[str]] = {}
        self._by_undoubled: dict[str, str] | None = None
        self._resolved: dict[str, TermMatch | None] = {}

    def mended(self, surface: str, *, any_slip: bool = False) -> TermMatch | None:
        """The corpus word a word the corpus lacks is a slip of the fingers for.

        By default only letters swapped ("tlak") or doubled ("atached"): a
        changed letter is as often another word ("case", "cast"), so the
        matcher tries those (`any_slip`) only where they complete a phrase.
        """
        if surface in self._terms or surface in STOPWORDS:
            return None
        found = self.resolve(surface)
        if found is None or found.word is None:
            return None
        if any_slip or sorted(surface) == sorted(found.word) or _undoubled(surface) == _undoubled(found.word):
            return found
        return None

    def resolve(self, surface: str) -> TermMatch | None:
        """The corpus term `surface` stands for (similarity below 1), a weak
        or strong unknown (`corpus_term` None), or None for a misspelt stopword."""
        if surface not in self._resolved:
            self._resolved[surface] = self._lookup(surface)
        return self._resolved[surface]

    def _lookup(self, surface: str) -> TermMatch | None:
        if surface in COMMON_WORDS or stem(surface) in COMMON_WORDS:
            return TermMatch(surface, None, 0.0, common=True)
        if _misspelt_stopword(surface):
            return None
        if len(surface) < FUZZY_MIN_LENGTH or not self._words:
            return TermMatch(surface, None, 0.0)
        doubled = self._doubling_typo(surface)
        if doubled is not None:
            return doubled
        candidates = process.extract(
            surface,
            self._words_near_length(len(surface)),
            scorer=OSA.normalized_similarity,
            processor=None,
            score_cutoff=TYPO_CUTOFF,
            limit=5,
        )
        return self._best_typo(surface, [(word, score) for word, score, _ in candidates])

    def _doubling_typo(self, surface: str) -> TermMatch | None:
        """A word that differs from a corpus word only in doubled letters
        ("dissapear", "atached", "reccomend"), the commonest misspelling,
        however many letters it changes."""
        if len(surface) < DOUBLING_MIN_LENGTH:
            return None
        if self._by_undoubled is None:
            # The first word of each undoubled form wins. One substitution over the
            # whole lexicon, not one per word: a third of the time, in every run's first question.
            undoubled = _undoubled("\n".join(self._words)).split("\n")
            self._by_undoubled = dict(zip(reversed(undoubled), reversed(self._words), strict=True))
        word = self._by_undoubled.get(_undoubled(surface))
        if word is None:
            return None
        similarity = max(OSA.normalized_similarity(surface, word), FUZZY_MIN_SIMILARITY)
        return TermMatch(surface, self._terms[word], similarity, word=word)

    def _words_near_length(self, length: int) -> list[str]:
        """The corpus words long or short enough to be within `TYPO_CUTOFF` of a
        word of `length` (each letter of difference is an edit), in lexicon order."""
        near = self._near_length.get(length)
        if near is None:
            shortest, longest = math.floor(TYPO_CUTOFF * length), math.ceil(length / TYPO_CUTOFF)
            near = [word for word in self._words if shortest <= len(word) <= longest]
            self._near_length[length] = near
        return near

    def _best_typo(self, surface: str, candidates: list[tuple[str, float]]) -> TermMatch:
        """Accept a near word as a typo.

        Long words: one edit in five letters. Short words: only a swapped pair
        or one letter missing or extra, since one changed letter in a short
        word is usually another word (catch/watch, cost/most).
        """
        for word, similarity in sorted(candidates, key=lambda c: -c[1]):
            if _is_typo(surface, word, similarity):
                return TermMatch(surface, self._terms[word], max(similarity, FUZZY_MIN_SIMILARITY), word=word)
        return TermMatch(surface, None, 0.0)


def _is_typo(typed: str, word: str, similarity: float) -> bool:
    if OSA.distance(typed, word) == 1:
        if len(typed) != len(word) or sorted(typed) == sorted(word):
            return True
        return len(typed) >= 5 and typed[0] == word[0]
    needed = FUZZY_MIN_SIMILARITY - (0.05 if len(typed) >= LONG_WORD else 0.0)
    return len(typed) >= SHORT_WORD and similarity >= needed


def _undoubled(word: str) -> str:
    return _DOUBLED.sub(r"\1", word)


def _misspelt_stopword(typed: str) -> bool:
    """A misspelt stopword ("dose", "thier", "wat", "thwey"): one letter missing,
    extra or swapped. A letter added in front makes another word ("fever",
    "lover", "tour"), not a slip, so that never counts."""
    found = process.extractOne(typed, STOPWORD_LIST, scorer=OSA.distance, processor=None, score_cutoff=1)
    if found is None:
        return False
    word = found[0]
    if len(typed) == len(word) + 1 and typed[1:] == word:
        return False
    return len(typed) != len(word) or sorted(typed) == sorted(word)
