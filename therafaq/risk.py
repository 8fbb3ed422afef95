"""The risk check: does a message show that its writer, or someone they name, may be at risk?

It runs before anything else and needs nothing but the packaged `risk.json`
(no corpus, no cache), so no fault there can keep support from a person who
needs it. People at risk write in every register, so the text is prepared
before any pattern sees it:

- case, accents and curly quotes folded; pill, knife, rope and coffin emoji
  read as tokens (`xpills` ...); "s/h", "sewer slide" and the like spelled out;
- digits and symbols inside words read as letters ("su1cide", "d!e"), and
  spaced or dotted letters joined ("k m s", "k.m.s");
- contractions and text-speak expanded as the matcher does (`text.words`);
- a misspelt key word read as that word ("sucidal", "wnat", "kil"), with the
  matcher's own typo rules (`typos`): a changed letter counts only in long
  words, and everyday words are never "corrected";
- sentences kept apart by " . ", so a phrase never spans two of them.

Patterns are in two tiers. `crisis`: intent, plans, means, preparation,
attempts, self-harm now, asking for a crisis line. `concern`: passive wishes,
hopelessness, someone else at risk, abuse. A crisis pattern may be reframed as
concern by what comes before it in its sentence (a hypothetical "if I tell
her I want to die", a negation, someone else as the subject, self-harm in the
past). Benign idioms ("I'd die of embarrassment") are removed before the
patterns run, but never before the help-request patterns: asking for a crisis
line is never explained away. Last, `word_model` scores the words themselves,
for the wordings no pattern names; it can raise a message to concern, or to
crisis when its evidence is strong.
"""

# No `from __future__ import annotations` here: NamedTuple compiles every string annotation
# at import, which over the six modules that define them cost 1.5 ms of each run.
import json
import operator
import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache, cached_property
from pathlib import Path
from typing import Any, NamedTuple

from therafaq.text import words
from therafaq.typos import SHORT_WORD, Typos
from therafaq.word_model import WordModel, load_model

DATA_FILE = Path(__file__).resolve().parent / "risk.json"
# The whole message is read up to this many characters (a pasted story of a
# few hundred kilobytes is read in full); of a longer one, its first and last
# halves of this, where a person's own words are.
MAX_CHECKED_CHARS = 400_000
CRISIS = "crisis"
CONCERN = "concern"
HELP_REQUEST = "help_request"
WORDING = "wording"  # the kind of a sign found by the word model rather than a pattern
MAX_REMEMBERED_WORDS = 50_000

_SENTENCE_BREAK = re.compile(r"[.!?;:\n\r\u2026]+|\s[-\u2013\u2014]+\s")
_SPACED_LETTERS = re.compile(r"(?<![a-z0-9])[a-z](?:[ .\-_*][a-z](?![a-z0-9])){2,}")
_LEET_INSIDE = re.compile(r"(?<=[a-z])[0-9@$!|]+(?=[a-z])")
_CENSORED = re.compile(r"[a-z]{0,24}\*[a-z*]{0,24}")  # bounded: a long run of letters costs no backtracking
_LEADING_DOLLAR = re.compile(r"(?<![a-z0-9])\$(?=[a-z])")
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i", "|": "i"}
)
_MACRO = re.compile(r"<([a-z0-9_]+)>")
_ORDER = operator.attrgetter("order")


class Risk(NamedTuple):
    """What the check found: its tier and the kinds of sign behind it."""

    tier: str
    kinds: frozenset[str]

    @property
    def crisis(self) -> bool:
        return self.tier == CRISIS


class _Frame(NamedTuple):
    """What around a match changes its meaning. Sources, not compiled patterns: most
    messages match nothing a frame is needed for, and `re` keeps what it compiles."""

    before: str | None
    within: str | None
    sentence: str | None
    unless: str | None
    unless_within: str | None

    def applies(self, prefix: str, matched: str, sentence: str) -> bool:
        if self.unless is not None and re.search(self.unless, prefix):
            return False
        if self.unless_within is not None and re.search(self.unless_within, matched):
            return False
        return bool(
            (self.before is not None and re.search(self.before, prefix))
            or (self.within is not None and re.search(self.within, matched[1:]))
            or (self.sentence is not None and re.search(self.sentence, sentence))
        )


class _Pattern:
    """One pattern, compiled on first need: only once a text holds one of its anchors.

    Every string the pattern can match contains one of `anchors` (derived from
    its parse tree and kept in risk.json; tests/risk_data.py derives them
    again), so a text without any cannot match and need not wait for the
    regular expression to compile: a single `ask` compiles a handful, not hundreds.
    """

    __slots__ = ("_compiled", "_expand", "anchors", "order", "written")

    def __init__(self, written: str, anchors: list[str], order: int, expand: Callable[[str], str]) -> None:
        self.written = written  # as risk.json writes it, macros and all
        self.anchors = tuple(anchors)
        self.order = order
        self._expand = expand
        self._compiled: re.Pattern[str] | None = None

    @property
    def source(self) -> str:
        return self._expand(self.written)

    @property
    def regex(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source)
        return self._compiled


class _Patterns:
    """A group of patterns (a rule's, the help requests', the idioms') read as one.

    Each method takes the set of patterns whose anchors the text holds
    (`_Anchors.present`); only those are run, in the group's order.
    """

    def __init__(self, written: list[str], anchors: list[list[str]], expand: Callable[[str], str]) -> None:
        if len(written) != len(anchors):
            raise ValueError("risk.json: the anchors do not fit the patterns (run: python -m tests.risk_data)")
        self.patterns = tuple(
            _Pattern(pattern, found, order, expand)
            for order, (pattern, found) in enumerate(zip(written, anchors, strict=True))
        )
        self._members = frozenset(self.patterns)

    def _present(self, present: set[_Pattern]) -> list[_Pattern]:
        found = self._members.intersection(present)
        return sorted(found, key=_ORDER) if len(found) > 1 else list(found)

    def finditer(self, text: str, present: set[_Pattern]) -> Iterator[re.Match[str]]:
        for pattern in self._present(present):
            yield from pattern.regex.finditer(text)

    def search(self, text: str, present: set[_Pattern]) -> bool:
        return next(self.finditer(text, present), None) is not None

    def sub(self, replacement: str, text: str, present: set[_Pattern]) -> str:
        for pattern in self._present(present):
            text = pattern.regex.sub(replacement, text)
        return text


class _Anchors:
    """Which patterns a text could match, found without looking at each one.

    Anchors are filed under their first three characters; a text's
    three-character pieces pick out the few anchors worth a substring test.
    """

    KEY = 3

    def __init__(self, patterns: list[_Pattern]) -> None:
        self._by_key: dict[str, dict[str, list[_Pattern]]] = {}
        self._short: dict[str, list[_Pattern]] = {}
        for pattern in patterns:
            for anchor in pattern.anchors:
                filed = self._short if len(anchor) < self.KEY else self._by_key.setdefault(anchor[: self.KEY], {})
                filed.setdefault(anchor, []).append(pattern)
        self._keys = frozenset(self._by_key)

    def present(self, text: str) -> set[_Pattern]:
        pieces = {text[n : n + self.KEY] for n in range(len(text) - self.KEY + 1)}
        found: set[_Pattern] = set()
        for key in self._keys.intersection(pieces):
            for anchor, patterns in self._by_key[key].items():
                if anchor in text:
                    found.update(patterns)
        for anchor, patterns in self._short.items():
            if anchor in text:
                found.update(patterns)
        return found


class _Rule(NamedTuple):
    tier: str
    kind: str
    patterns: _Patterns
    reframes: tuple[_Frame, ...]
    dismissals: tuple[_Frame, ...]  # frames in which a match is no sign at all (a nurse on her ward's overdoses)
    raw: bool  # read the text before key-word typos are mended (other languages are not English typos)


class RiskCheck:
    """The prepared patterns of one `risk.json`; `assess` is the one question it answers."""

    def __init__(self, data: dict[str, Any], model: WordModel | None = None) -> None:
        self.model = model
        macros: dict[str, str] = data["macros"]
        expand = _expander(macros)
        self._emoji = {key: f" {value} " for key, value in data["emoji"].items()}
        self._emoji_pattern = re.compile("|".join(map(re.escape, sorted(self._emoji, key=len, reverse=True))))
        self._spellings: dict[str, str] = data["spellings"]
        self._resolved: dict[str, str] = {}
        anchors: dict[str, list[list[str]]] = data["anchors"]
        self._help = _Patterns(data["help"], anchors["help"], expand)
        self._idioms = _Patterns(data["idioms"], anchors["idioms"], expand)
        frames = {name: _frame(spec, expand) for name, spec in data["frames"].items()}
        self._rules = tuple(
            _Rule(
                rule["tier"],
                rule["kind"],
                _Patterns(rule["patterns"], anchors[rule["kind"]], expand),
                tuple(frames[name] for name in rule.get("reframe", ())),
                tuple(frames[name] for name in rule.get("dismiss", ())),
                rule.get("raw", False),
            )
            for rule in data["rules"]
        )
        self._anchors = _Anchors([p for group in self.pattern_groups().values() for p in group.patterns])
        # The words the patterns are written in (`pattern_vocabulary`, kept in risk.json): what
        # run-together letters ("iwanttodie") are split into, and what misspellings are mended towards.
        self._vocabulary = frozenset(data["vocabulary"])
        # Misspellings are mended towards the patterns' words, except real words that sit one slip
        # from one of them ("loving" is not "living"): those are listed, from a dictionary, in risk.json.
        lexicon = sorted(word for word in self._vocabulary if len(word) >= 3)
        self._real_words = frozenset(data["real_words"])
        self._typos = Typos({word: word for word in lexicon}, lexicon)

    def pattern_groups(self) -> dict[str, _Patterns]:
        """Each anchored group of patterns by name ("help", "idioms" and each rule's kind)."""
        return {"help": self._help, "idioms": self._idioms, **{rule.kind: rule.patterns for rule in self._rules}}

    def assess(self, message: str) -> Risk | None:
        """The tier and kinds of risk `message` shows, or None."""
        if len(message) > MAX_CHECKED_CHARS:
            half = MAX_CHECKED_CHARS // 2
            message = _between_words(message[:half], message[-half:])
        raw, text = self._prepared(message)
        present = self._anchors.present(text)
        found: dict[str, str] = {}
        if self._help.search(text, present):
            found[HELP_REQUEST] = CRISIS
        read = self._idioms.sub(" . ", text, present)  # what the rules and the word model read
        if read != text:
            text, present = read, self._anchors.present(read)
        raw_present = present if raw == text else self._anchors.present(raw)
        for rule in self._rules:
            read, could = (raw, raw_present) if rule.raw else (text, present)
            if not could:
                continue
            for match in rule.patterns.finditer(read, could):
                if rule.dismissals and self._framed(rule.dismissals, read, match):
                    continue
                tier = CONCERN if rule.reframes and self._framed(rule.reframes, read, match) else rule.tier
                if found.get(rule.kind) != CRISIS:
                    found[rule.kind] = tier
                if tier == CRISIS:
                    break
        if self.model is not None and CRISIS not in found.values():
            at_risk, crisis = self.model.flags(text)
            # The crisis model alone, where no pattern saw a sign and the at-risk model not only
            # does not flag the message but reads it as plainly ordinary, makes a concern, not a
            # crisis: it read "I decided to see my therapist again on Sunday" as one.
            if crisis and (found or at_risk or not self.model.plainly_ordinary(text)):
                found[WORDING] = CRISIS
            elif crisis or at_risk:
                found[WORDING] = CONCERN
        if not found:
            return None
        tier = CRISIS if CRISIS in found.values() else CONCERN
        return Risk(tier, frozenset(found))

    def prepare(self, message: str) -> str:
        """The text the patterns read: ' word word . word ', see the module docstring."""
        return self._prepared(message)[1]

    def model_text(self, message: str) -> str:
        """The prepared text with benign idioms taken out: what the word model reads."""
        text = self.prepare(message)
        return self._idioms.sub(" . ", text, self._anchors.present(text))

    def _prepared(self, message: str) -> tuple[str, str]:
        """The message as words and sentences, before and after key-word typos are mended."""
        text = unicodedata.normalize("NFKC", message)
        text = self._emoji_pattern.sub(lambda m: self._emoji[m.group(0)], text).casefold()
        text = text.replace("\u2019", "'").replace("\u2018", "'")
        if any(spelling in text for spelling in self._spellings):
            text = self._spelling_pattern.sub(lambda m: self._spellings[m.group(0)], text)
        text = _LEADING_DOLLAR.sub("s", _LEET_INSIDE.sub(lambda m: m.group(0).translate(_LEET), text))
        text = _CENSORED.sub(lambda m: self._uncensored(m.group(0)), text)
        text = _SPACED_LETTERS.sub(lambda m: self._joined(re.sub(r"[ .\-_*]", "", m.group(0))), text)
        raw, mended = [], []
        for sentence in _SENTENCE_BREAK.split(text):
            tokens = _with_contractions(words(sentence))
            if tokens:
                raw.append(" ".join(tokens))
                mended.append(" ".join(self._key_word(token) for token in tokens))
        return " " + " . ".join(raw) + " ", " " + " . ".join(mended) + " "

    @cached_property
    def _spelling_pattern(self) -> re.Pattern[str]:
        """Built when a message first holds one of the spellings: the pattern takes
        longer to compile (0.5 ms) than most runs spend checking."""
        spellings = sorted(self._spellings, key=len, reverse=True)
        return re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, spellings)) + r")(?![a-z0-9])")

    def _uncensored(self, token: str) -> str:
        """A key word with letters starred out ("k*ll", "su*cide"), when just one fits."""
        shape = re.compile(token.replace("*", "[a-z]?") + "$")
        fits = [word for word in self._vocabulary if shape.match(word)]
        return fits[0] if len(fits) == 1 else token.replace("*", "")

    def _joined(self, letters: str) -> str:
        """Letters typed apart ("k m s", "i w a n t t o d i e"): one word, or the words they spell."""
        if len(letters) < 6:
            return letters
        best: list[list[str] | None] = [[]] + [None] * len(letters)  # fewest words spelling each prefix
        for end in range(1, len(letters) + 1):
            for start in range(max(0, end - 16), end):
                before, current = best[start], best[end]
                word = letters[start:end]
                if (
                    before is not None
                    and word in self._vocabulary
                    and (current is None or len(before) < len(current) - 1)
                ):
                    best[end] = [*before, word]
        return " ".join(best[-1]) if best[-1] else letters

    def _key_word(self, token: str) -> str:
        """`token`, or the key word it misspells; remembered, as a session repeats its words."""
        known = self._resolved.get(token)
        if known is None:
            if len(self._resolved) >= MAX_REMEMBERED_WORDS:
                self._resolved.clear()
            known = self._resolved[token] = self._resolve(token)
        return known

    def _resolve(self, token: str) -> str:
        if token in self._vocabulary or token in self._real_words or len(token) < 3 or not token.isalpha():
            return token
        if len(token) < SHORT_WORD:  # a short word missing a doubled letter ("kil"), which `Typos` leaves
            doubled = [token[:n] + token[n] + token[n:] for n in range(len(token))]
            found_word = next((word for word in doubled if word in self._vocabulary), None)
            if found_word is not None:
                return found_word
        found = self._typos.resolve(token)
        if found is None or not found.corpus_term or found.corpus_term[0] != token[0]:
            return token  # a typo keeps its first letter: "changing" is not "hanging"
        return found.corpus_term

    @staticmethod
    def _framed(frames: tuple[_Frame, ...], text: str, match: re.Match[str]) -> bool:
        start, end = match.span()
        sentence_start = text.rfind(" . ", 0, start + 1)
        sentence_start = 0 if sentence_start < 0 else sentence_start + 2
        sentence_end = text.find(" . ", end - 1)
        sentence_end = len(text) if sentence_end < 0 else sentence_end + 1
        prefix = text[sentence_start : start + 1]
        return any(frame.applies(prefix, match.group(0), text[sentence_start:sentence_end]) for frame in frames)


def _expander(macros: dict[str, str]):
    def expand(pattern: str) -> str:
        for _ in range(3):  # macros may use macros, two levels deep at most
            if "<" not in pattern:
                break
            pattern = _MACRO.sub(lambda m: macros[m.group(1)], pattern)
        if pattern.endswith(" "):  # the closing space is the next match's opening one
            pattern = pattern[:-1] + "(?= )"
        return pattern

    return expand


def _frame(spec: dict[str, str], expand) -> _Frame:
    def part(key: str) -> str | None:
        return expand(spec[key]) if key in spec else None

    return _Frame(part("before"), part("within"), part("sentence"), part("unless"), part("unless_within"))


def _between_words(head: str, tail: str) -> str:
    """The start and end of a message too long to read whole, cut where a word ends: the halves of
    a word cut through are words nobody wrote, and the word model reads them as such."""
    end = max(head.rfind(space) for space in " \n\t")
    start = min((n for n in (tail.find(space) for space in " \n\t") if n >= 0), default=-1)
    return head[: end if end > 0 else len(head)] + "\n" + tail[start + 1 :]


def pattern_vocabulary(data: dict[str, Any]) -> list[str]:
    """Every word the help requests, rules and macros of a risk.json are written in, but for the
    rules that read the text unmended (other languages): English slips are mended towards these
    words, never towards a Turkish or a Dutch one."""
    patterns = (p for rule in data["rules"] if not rule.get("raw", False) for p in rule["patterns"])
    sources = [*data["help"], *patterns, *data["macros"].values()]
    return sorted(set(re.findall(r"[a-z]{2,}", " ".join(sources))) | {"i", "a"})


@cache
def default_check() -> RiskCheck:
    """The check built from the packaged risk.json and word model (built once). A word model
    that cannot be read leaves the patterns to read every message alone: they catch what is
    said plainly, and a person at risk must never meet a traceback instead of support."""
    try:
        model: WordModel | None = load_model()
    except (OSError, ValueError, KeyError, TypeError):
        model = None
    return RiskCheck(json.loads(DATA_FILE.read_text("utf-8")), model)


# "ill" and "id" are words to the matcher ("feel ill"); in a message about
# risk they are far more often "I'll" and "I'd" typed without the apostrophe.
_APOSTROPHE_LESS = {"ill": ("i", "will"), "id": ("i", "would")}


def _with_contractions(tokens: tuple[str, ...]) -> tuple[str, ...]:
    if "ill" not in tokens and "id" not in tokens:
        return tokens
    return tuple(part for token in tokens for part in _APOSTROPHE_LESS.get(token, (token,)))
