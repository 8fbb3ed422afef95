"""Whose feeling is it? The side of the room a question's words are about.

"Should I worry about my therapist?" and "does my therapist worry about me?"
share every content word; what tells them apart is who does the worrying.
A word's side is the person named last before it (the subject, in most
short sentences): "I", "you" or "client" for the client; "therapist",
"she", "he" and the like for the therapist; "we" is both, so neither. An
entry whose wordings agree on a word's side (every "cry" of
"therapist-cries" follows the therapist) is a poorer answer to a question
that puts that word on the other side.
"""

from collections.abc import Iterable

from therafaq.text import STOPWORDS

CLIENT = frozenset(("i", "me", "my", "myself", "client", "you", "your", "yourself"))
THERAPIST = frozenset(("therapist", "she", "he", "her", "him", "his", "herself", "himself"))
BOTH = frozenset(("we", "us", "our"))
# An entry agrees on a word's side when at least this many of its wordings put it there, and none the other.
MIN_AGREEING = 2


def sides(tokens: Iterable[str]) -> dict[str, bool]:
    """Each content word with a person before it: True on the client's side, False on the therapist's."""
    found: dict[str, bool] = {}
    side: bool | None = None
    for token in tokens:
        if token in CLIENT:
            side = True
        elif token in THERAPIST:
            side = False
        elif token in BOTH:
            side = None
        elif side is not None and token not in STOPWORDS and token not in found:
            found[token] = side
    return found


def agreed_sides(wordings: Iterable[str]) -> dict[str, bool]:
    """The words an entry's wordings (normalised tokens, space-separated) all put on one side."""
    counts: dict[str, list[int]] = {}
    for wording in wordings:
        for term, client in sides(wording.split()).items():
            counts.setdefault(term, [0, 0])[client] += 1
    return {
        term: bool(client)
        for term, (therapist, client) in counts.items()
        if min(therapist, client) == 0 and max(therapist, client) >= MIN_AGREEING
    }
