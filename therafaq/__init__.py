"""therafaq: honest, sourced answers to the questions people ask about their therapist.

For programs that embed it::

    from therafaq import Answerer, load_corpus
    answerer = Answerer(load_corpus(bundled_corpus_path()))
    answer = answerer.answer("can I hug my therapist?")

The names below are the public API; they are imported when first used, so
`import therafaq` (and the command's start-up) stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_PUBLIC = {
    "Answer": "therafaq.answering",
    "Answerer": "therafaq.answering",
    "CorpusUnavailable": "therafaq.answering",
    "Corpus": "therafaq.corpus",
    "CorpusError": "therafaq.corpus",
    "Entry": "therafaq.corpus",
    "bundled_corpus_path": "therafaq.corpus_file",
    "load_corpus": "therafaq.corpus_file",
    "Match": "therafaq.matching",
    "Matcher": "therafaq.matching",
    "Risk": "therafaq.risk",
}
__all__ = ["__version__", *_PUBLIC]

if TYPE_CHECKING:
    from therafaq.answering import Answer as Answer
    from therafaq.answering import Answerer as Answerer
    from therafaq.answering import CorpusUnavailable as CorpusUnavailable
    from therafaq.corpus import Corpus as Corpus
    from therafaq.corpus import CorpusError as CorpusError
    from therafaq.corpus import Entry as Entry
    from therafaq.corpus_file import bundled_corpus_path as bundled_corpus_path
    from therafaq.corpus_file import load_corpus as load_corpus
    from therafaq.matching import Match as Match
    from therafaq.matching import Matcher as Matcher
    from therafaq.risk import Risk as Risk


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'therafaq' has no attribute {name!r}")
