"""How a question's written words become the corpus's terms, the same way for every part of it.

Typos are mended to the corpus's own words before the phrase vocabulary runs,
words the corpus has are taken as they are, others are looked up as typos,
everyday words or misspelt stopwords (`typos`), and what is left over is what
a reply can honestly say the corpus does not cover.
"""

from __future__ import annotations

from collections.abc import Iterable

from therafaq.corpus import Corpus
from therafaq.index import Index
from therafaq.segments import Text, unique
from therafaq.text import STOPWORDS, stem_all, words
from therafaq.typos import TermMatch, Typos


class QuestionReader:
    """Reads questions against one corpus's index; lookups are cached for the reader's life."""

    def __init__(self, corpus: Corpus, index: Index) -> None:
        self._corpus = corpus
        self._index = index
        self._canonicalise = index.canonicaliser
        self._idf = index.idf
        self._typos = Typos(index.lexicon, index.lexicon_words)
        self._known: dict[str, TermMatch] = {}
        self._answer_terms: frozenset[str] | None = None  # every term some answer uses, gathered on first use
        self._written: dict[str, str] | None = None  # each vocabulary term's stem, as its group writes it

    def analyse(self, text: str) -> Text:
        """Typos are mended to the corpus's words first, so a phrase of the
        vocabulary is found even with a slip in it ("tlak about clients",
        "go to therepy"): swapped and doubled letters always, another kind of
        slip only when the mended word completes a phrase."""
        written = words(text)
        mended = [self._typos.mended(word) for word in written]
        corrected = [found.word if found and found.word else word for found, word in zip(mended, written, strict=True)]
        stemmed = stem_all(corrected)
        canonical = self._canonicalise(stemmed)
        for position, word in enumerate(written):
            if mended[position] is not None:
                continue
            found = self._typos.mended(word, any_slip=True)
            if found is None or found.word is None:
                continue
            trial = [*stemmed[:position], *stem_all([found.word]), *stemmed[position + 1 :]]
            phrased = self._canonicalise(trial)
            if len(phrased) < len(canonical):  # the mended word joined a phrase
                stemmed, canonical, mended[position] = trial, phrased, found
        surfaces = {s: w for s, w in zip(stemmed, written, strict=True) if w not in STOPWORDS}
        typos = {s: found.similarity for s, found in zip(stemmed, mended, strict=True) if found is not None}
        return Text(text, tuple(canonical), surfaces, typos)

    def resolve(self, pairs: Iterable[tuple[str, str]], typos: dict[str, float]) -> list[TermMatch]:
        """Corpus terms as they are; other words by typo lookup (both cached).

        A misspelt stopword ("dose", "thier") is dropped; a common English
        word the corpus lacks ("properly", "sure") weighs little.
        """
        resolved = []
        for term, surface in pairs:
            if term in typos and term in self._idf:
                resolved.append(TermMatch(surface, term, typos[term]))
                continue
            if term in self._idf:
                known = self._known.get(term)
                if known is None:
                    known = self._known[term] = TermMatch(term, term, 1.0)
                resolved.append(known)
                continue
            found = self._typos.resolve(surface)
            if found is not None:
                resolved.append(TermMatch(term, found.corpus_term, found.similarity, found.common))
        return resolved

    def unknown(self, whole: Text) -> tuple[str, ...]:
        """The question's distinctive words that no entry's wording or answer has, as typed."""
        unknown = [t.term for t in self.resolve(whole.terms, whole.typos) if t.corpus_term is None and not t.common]
        if not unknown:
            return ()
        if self._answer_terms is None:
            self._answer_terms = frozenset(term for terms in self._index.answer_only for term in terms)
        written = [
            whole.surfaces.get(term) or self._written_term(term) for term in unknown if term not in self._answer_terms
        ]
        return tuple(unique(written))

    def _written_term(self, term: str) -> str:
        """A term the vocabulary made of another word ("copay" -> insurance), as its
        group writes it: "insurance", not the stem "insuranc" (the table made on first use)."""
        if self._written is None:
            self._written = {}
            for group in self._corpus.vocabulary:
                typed = words(group.term)
                for stemmed, word in zip(stem_all(typed), typed, strict=True):
                    self._written.setdefault(stemmed, word)
        return self._written.get(term, term)
