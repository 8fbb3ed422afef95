"""Whom a question is about: the corpus's subject, or only someone it does not cover.

"Is it weird to show my hairdresser photos of my kids?" shares every word but
one with "can I show my therapist photos?", and that word weighs little:
nearly every entry is about a therapist, so its absence costs a match almost
nothing. A vocabulary group's `scope` names the words that decide it:
"subject" groups say what the corpus is about (therapist, therapy),
"outside" groups the people it is not about (a hairdresser, a landlord), and
"setting" groups where the subject is met (a session, an appointment), which
name it only when no one outside is named: "my hairdresser's appointment" is
the hairdresser's. A question that names someone outside and nothing of the
subject is not covered, however well its other words match. Clients are not the subject:
a hairdresser's clients are the hairdresser's.

Only the scoped groups are applied here, so a phrase of another group that
holds a subject word ("contact my therapist", filed under availability)
still counts as naming the therapist.
"""

from __future__ import annotations

from collections.abc import Iterable

from therafaq.corpus import VocabularyGroup
from therafaq.text import Canonicaliser, stem_all, stemmed_words

SUBJECT = "subject"
OUTSIDE = "outside"
SETTING = "setting"
_LONGEST = 3  # the most words of an outside variant whose written form a reply quotes


def _terms(groups: Iterable[VocabularyGroup], scope: str) -> frozenset[str]:
    return frozenset(term for group in groups if group.scope == scope for term in stemmed_words(group.term))


class Scope:
    """The scoped groups of one corpus, applied on their own."""

    def __init__(self, groups: Iterable[VocabularyGroup]) -> None:
        scoped = [group for group in groups if group.scope in (SUBJECT, OUTSIDE, SETTING)]
        self._canonicalise = Canonicaliser((group.term, group.variants) for group in scoped)
        self._subject = _terms(scoped, SUBJECT)
        self._outside = _terms(scoped, OUTSIDE)
        self._named = self._subject | _terms(scoped, SETTING)

    def about(self, written: list[str]) -> tuple[bool, tuple[str, ...]]:
        """Whether the words name the subject (always, for a corpus that has none), and the words,
        as written, that name someone outside when none names the subject."""
        terms = set(self._canonicalise(stem_all(written)))
        named = bool(terms & self._named) or not self._named
        if terms & self._subject or not terms & self._outside:
            return named, ()
        found: list[str] = []
        position = 0
        while position < len(written):
            for length in range(_LONGEST, 0, -1):
                piece = written[position : position + length]
                if len(piece) == length and self._names_outside(piece):
                    found.append(" ".join(piece))
                    position += length
                    break
            else:
                position += 1
        return named, tuple(dict.fromkeys(found))

    def _names_outside(self, piece: list[str]) -> bool:
        canonical = self._canonicalise(stem_all(piece))
        return len(canonical) == 1 and canonical[0] in self._outside
