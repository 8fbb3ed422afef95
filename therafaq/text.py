"""Text normalisation shared by the corpus index and incoming questions.

Both sides of a match go through the same pipeline, so that "I'm", "im" and
"I am", "favourite" and "favorite", "hugging" and "hug" meet as the same
tokens. General English lives here; the domain vocabulary (therapist =
counsellor = shrink ...) lives in the corpus data and is applied through
`Canonicaliser`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u0060": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
    }
)

# Latin letters that Unicode does not decompose into a base letter and a mark: without
# these, a Turkish word with a dotless i or a Polish one with l-stroke falls apart into pieces.
_UNDECOMPOSED = str.maketrans(
    {
        "\u0131": "i",  # dotless i
        "\u0142": "l",  # l with stroke
        "\u0141": "l",
        "\u00f8": "o",  # o with stroke
        "\u00d8": "o",
        "\u00e6": "ae",
        "\u00c6": "ae",
        "\u0153": "oe",
        "\u0152": "oe",
        "\u0111": "d",  # d with stroke
        "\u0110": "d",
        "\u00f0": "d",  # eth
        "\u00d0": "d",
        "\u00fe": "th",  # thorn
        "\u00de": "th",
    }
)

_FOLDED = {**_QUOTES, **_UNDECOMPOSED}  # both in one pass over text that is not plain ASCII

# Apostrophe-less forms people type ("dont", "im") and their expansions.
_CONTRACTIONS = {
    "can't": "can not",
    "cant": "can not",
    "cannot": "can not",
    "won't": "will not",
    "wont": "will not",
    "shan't": "shall not",
    "ain't": "is not",
    "i'm": "i am",
    "im": "i am",
    "ive": "i have",
    "youre": "you are",
    "theyre": "they are",
    "theyve": "they have",
    "whats": "what is",
    "thats": "that is",
    "hes": "he is",
    "shes": "she is",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "kinda": "kind of",
    "sorta": "sort of",
    "u": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "cuz": "because",
    "bc": "because",
    "abt": "about",
    "w": "with",
    "ppl": "people",
    "cn": "can",
    "becuz": "because",
    "dosnt": "does not",
    "dosent": "does not",
    "doesent": "does not",
    "dnt": "do not",
    "thx": "thanks",
    "ty": "thank you",
    "rn": "right now",
    "tho": "though",
    "smth": "something",
    "sth": "something",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "til": "until",
    "till": "until",
}
_NOT_WORDS = (
    "dont doesnt didnt isnt arent wasnt werent hasnt havent hadnt wouldnt shouldnt couldnt mustnt neednt"
).split()
_CONTRACTIONS.update({word: word[:-2] + " not" for word in _NOT_WORDS})
_SUFFIXES = (("n't", " not"), ("'re", " are"), ("'ve", " have"), ("'ll", " will"), ("'d", " would"))

# British spellings that differ from the American ones the corpus uses.
_SPELLINGS = {
    "favourite": "favorite",
    "favourites": "favorites",
    "favour": "favor",
    "counsellor": "counselor",
    "counsellors": "counselors",
    "counselling": "counseling",
    "behaviour": "behavior",
    "behaviours": "behaviors",
    "colour": "color",
    "honour": "honor",
    "humour": "humor",
    "recognise": "recognize",
    "realise": "realize",
    "apologise": "apologize",
    "socialise": "socialize",
    "organise": "organize",
    "judgement": "judgment",
    "behavioural": "behavioral",
    "wellbeing": "well-being",
    "analyse": "analyze",
    "analysed": "analyzed",
    "organisation": "organization",
    "recognised": "recognized",
    "realised": "realized",
    "apologised": "apologized",
    "favourable": "favorable",
    "labour": "labor",
    "judgemental": "judgmental",
    "practise": "practice",
    "neighbour": "neighbor",
    "centre": "center",
    "programme": "program",
    "defence": "defense",
    "offence": "offense",
    "mum": "mom",
}

STOPWORDS = frozenset(
    """
    a about above after again all also am an and any are as at be because been before
    being both but by can could did do does doing done down during each either else
    even ever every few for from get gets getting got had has have having he her here
    hers herself him himself his how i if in into is it its itself just lot may
    maybe me might mine more most much must my myself no nor not now of off often
    oh on once only or other our ours ourselves out over own please quite
    rather really same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up upon
    us very was we were what whatever when where whether which while who whom whose
    why will with would yet you your yours yourself yourselves
    anyone anything someone something thing things way still already always
    lol lmao lmfao rofl haha omg idk tbh ngl fr btw imo smh ugh nah yeah yes hey hi hello
    hmm um uh thanks thank literally basically honestly seriously actually
    """.split()
)

# Everyday words that say little about which question was asked. When the
# corpus lacks one it counts as a weak unknown, not as evidence that the
# question is off-topic (that is left to words like "insurance" or "EMDR").
COMMON_WORDS = frozenset(
    """
    able absolutely across actual add ago almost alone along amount another anymore anyway around away awful
    awkward back bad badly basic begin behind believe best better big biggest bit bother bring brought call
    came certain chance change clear close come completely constant couple course crazy current day days
    decide deal definitely different difficult doing dumb during early easy either end enough entire
    especially eventually everyone everybody everything exact exactly example except expect face fact fair
    far fast feel feeling felt few final finally fine first five follow forward four free full funny
    general gets give given glad go goes going gone good great group guess half happen happened hard hear
    heard help high hold home honest hope hour huge idea important instead interest keep kept kind kinds
    knew know known last late lately least leave left less let life little live long longer look lost lot
    lots love low made main make matter matters mean means meant met middle mind mine minute minutes
    moment month months morning move much name need needs never new next nice night nothing notice number
    odd often old once open order part particular pass past people perfect person pick place plain point
    possible pretty probably problem properly pull put quick quickly quite rare rarely ready real reason
    recent recently remember rest right run said saw say second see seem seen self send sense serious set
    several short show side simple since single sit six small smile so somehow sometimes soon sort sound
    speak spend spent stand start started stay step still stop story strange stuff sure take taken talk
    team tell ten terrible than thing think third though thought three time times tiny today together
    told tomorrow took top total totally toward true truly try trying turn twice two type under
    understand unless upset use used usual usually wait want wanted watch way week weekly weeks weird
    went whole wish without wonder word words work world worse worst year years yesterday young
    everyone someone somebody nobody anybody scared afraid nervous embarrassed ashamed confused curious
    silly stupid dumb worried anxious wondering honestly ill id
    hate hated hates hating uneasy guilt mortified terrified horrified humiliated humiliating flattered proud relieved
    grateful thankful jealous envious lonely desperate impatient hopeful hopeless unsettled disturbed stunned surprised
    startled thrilled excited creepy tense insecure insulted stung bummed relief calm calmer unsafe sorry furious
    irritable cringe cringey cringing
    within among amongst beyond throughout whereas despite via positive negative
    constitute constitutes constituted particular particularly suggest suggests suggested indicate indicates
    recommend recommends recommended recommendation recommendations advisable advised
    indicative typical typically generally commonly frequently occasionally experience experiences experienced
    assess assessing evaluate regarding concerning phenomenon recognised recognized extent manner aspect
    aspects nature context circumstance circumstances tend tends tendency considered consider likely unlikely
    whereby therefore however perceive perceived perception respective specific specifically instance
    demonstrate demonstrates exhibit exhibits manifest occur occurs occurring individual individuals
    factor factors contribute contributes contributing contribution element elements characteristic characteristics
    feature features outcome outcomes process processes procedure procedures approach approaches framework structure
    structured standard standards proceed initiate initiated undergo undergoing confer advantage advantages
    disadvantage disadvantages predict predicts predictor relevant relevance significant significantly substantial
    substantially principal potential potentially establish established maintain maintaining involve involves
    involved involving obtain achieve role impact influence influences implication implications status sufficient
    adequate consequence consequences address addressed addressing utilise utilize facilitate ensure determine
    determined identify identified whilst thereby hence thus furthermore moreover nonetheless nevertheless
    respectively prior subsequent subsequently initially ongoing commence fundamental fundamentally inherent
    inherently consideration considerations uniformly consistently excessive excessively problematic clinically
    arrangement arrangements engagement conduct conducted interpret interpretation replicate replicates affinity
    elicit elicits evoke evokes attribute attributes warrant warranted appears apparent apparently practising
    practicing manage managed managing rationale notion concept perspective perspectives viewpoint distinct
    distinction distinguish differentiate criterion criteria component components mechanism mechanisms dimension
    domain domains variable variables parameter parameters scenario scenarios settings daily monthly annually upper
    lower primarily regardless irrespective pertaining pertain pertains entail entails entailed enable enables
    enhance enhanced adverse detrimental beneficial emerge emerges emerging arise arises arising display displays
    commonplace prevalent prevalence incidence routinely customary conventional conventionally normative atypical
    unusual widespread broadly largely predominantly essentially ultimately merely solely purely
    monday tuesday wednesday thursday friday saturday sunday weekend january february march april june july
    august september october november december
    """.split()
)

_TOKEN = re.compile(r"[a-z0-9]+")
_APOSTROPHE_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_VOWELS = frozenset("aeiou")
_SELVES_OWNERS = frozenset(("our", "your", "them"))


def fold(text: str) -> str:
    """Lower-case, unify quotes and compatibility characters, drop accents."""
    if text.isascii():
        return text.translate(_QUOTES).casefold()
    text = unicodedata.normalize("NFKD", text.translate(_FOLDED))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold()


@lru_cache(maxsize=1 << 16)
def _expand(word: str) -> str:
    if word in _CONTRACTIONS:
        return _CONTRACTIONS[word]
    if "'" in word:
        if word.endswith("'s"):
            return word[:-2]
        for suffix, replacement in _SUFFIXES:
            if word.endswith(suffix):
                return word[: -len(suffix)] + replacement
        return word.replace("'", "")
    return _SPELLINGS.get(word, word)


@lru_cache(maxsize=64)
def words(text: str) -> tuple[str, ...]:
    """Folded words with contractions expanded and spellings unified.

    Cached for the last few texts: the crisis check and the matcher both
    read every question.
    """
    found: list[str] = []
    for word in _APOSTROPHE_WORD.findall(fold(text)):
        found.extend(_expanded_tokens(word))
    if "selves" in found:
        _join_reflexives(found)
    return tuple(found)


def _join_reflexives(found: list[str]) -> None:
    """ "them selves" -> "themselves", as people often split it. Only the plural:
    "my self" often starts a compound ("my self harm") that must stay whole."""
    for position in range(len(found) - 1, 0, -1):
        if found[position] == "selves" and found[position - 1] in _SELVES_OWNERS:
            found[position - 1 : position + 1] = [found[position - 1] + "selves"]


@lru_cache(maxsize=1 << 16)
def _expanded_tokens(word: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(_expand(word)))


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light suffix stripper: enough that cry/cries/cried/crying meet.

    Deliberately conservative; fuzzy token matching covers what it misses.
    """
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("eeing"):  # seeing, agreeing
        return word[:-3]
    if word.endswith("ing") and len(word) > 5:
        return _restore(word[:-3])
    if word.endswith("ed") and len(word) > 4 and not word.endswith("eed"):
        return _restore(word[:-2])
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return stem(word[:-1])  # a plural meets its singular: feelings, feeling -> feel
    if word.endswith("e") and len(word) > 4 and not word.endswith("ee"):
        return word[:-1]
    return word


def _restore(base: str) -> str:
    """Undo the spelling changes of -ing/-ed: hugg -> hug, car -> care."""
    if len(base) >= 3 and base[-1] == base[-2] and base[-1] not in "lsz":
        return base[:-1]
    if len(base) == 3 and base[0] not in _VOWELS and base[1] in _VOWELS and base[2] not in _VOWELS | {"w", "x", "y"}:
        return base + "e"
    return base


class Canonicaliser:
    """Rewrites domain variants ("counsellor", "fall in love") to one term.

    Built once from the corpus vocabulary. Phrases are looked up by their
    first two words and tried longest first, before single words, so
    "physical touch" wins over "touch" alone; this stays fast with
    thousands of phrases, many of which start with "my" or "to". Phrases
    are kept as joined strings, not tuples of words: every run unpickles
    this from the cache, and a third as many objects load in a third of
    the time.
    """

    def __init__(self, groups: Iterable[tuple[str, Iterable[str]]]) -> None:
        self._single: dict[str, tuple[str, ...]] = {}
        self._phrases: dict[str, tuple[str, ...]] = {}
        lengths: dict[str, set[int]] = {}
        for term, variants in groups:
            canonical = tuple(stemmed_words(term))
            for variant in variants:
                key = stemmed_words(variant)
                if len(key) == 1:
                    self._single[key[0]] = canonical
                elif key:
                    self._phrases.setdefault(" ".join(key), canonical)
                    lengths.setdefault(f"{key[0]} {key[1]}", set()).add(len(key))
        self._lengths = {start: tuple(sorted(found, reverse=True)) for start, found in lengths.items()}
        self._starts = frozenset(start.split(" ")[0] for start in lengths)

    def __call__(self, tokens: list[str]) -> list[str]:
        result: list[str] = []
        position, size = 0, len(tokens)
        starts, phrases = self._starts, self._phrases
        while position < size:
            token = tokens[position]
            if token in starts and position + 1 < size:
                for length in self._lengths.get(f"{token} {tokens[position + 1]}", ()):
                    canonical = phrases.get(" ".join(tokens[position : position + length]))
                    if canonical is not None and position + length <= size:  # a phrase cut short is not it
                        result.extend(canonical)
                        position += length
                        break
                else:
                    result.extend(self._single.get(token, (token,)))
                    position += 1
            else:
                result.extend(self._single.get(token, (token,)))
                position += 1
        return result


def stem_all(written: Iterable[str]) -> list[str]:
    """Every non-stopword stemmed; stopwords are kept for vocabulary phrases.

    "like" is content when it is the verb ("does my therapist like me") and
    a stopword ("as") when it compares ("I feel like a burden", "someone like
    my therapist"), which is most of the time people type it.
    """
    written = list(written)
    return [
        "as" if word == "like" and _comparing_like(written, n) else word if word in STOPWORDS else stem(word)
        for n, word in enumerate(written)
    ]


# Words before "like" that make it a comparison ("feel like", "something like",
# "would like to"), and words after it that start the thing compared.
_LIKE_AFTER = frozenset(
    """feel feels felt feeling look looks looked looking seem seems seemed sound sounds sounded
    something anything nothing someone anyone people person thing things stuff just kind sort more less
    would is am are was were be been being act acts acting treat treats treated""".split()
)
_LIKE_BEFORE = frozenset(
    """a an the this that these those i it its when if how what we they he she
    normal regular""".split()
)


def _comparing_like(written: list[str], position: int) -> bool:
    before = written[position - 1] if position else ""
    after = written[position + 1] if position + 1 < len(written) else ""
    return before in _LIKE_AFTER or after in _LIKE_BEFORE


def stemmed_words(text: str) -> list[str]:
    return stem_all(words(text))


def content_terms(text: str, canonicalise: Canonicaliser) -> list[str]:
    """The stemmed, canonical, non-stopword terms of a text, in order."""
    return [term for term in canonicalise(stemmed_words(text)) if term not in STOPWORDS]
