"""The second look at an entry a question's terms found: how it is put.

Terms are a bag; the rerank looks at the question as written. rapidfuzz's
`ratio` between the question and the entry's wordings as normalised text
keeps word order ("I have a crush on my therapist" is not "my therapist has
a crush on me"), and the sides of the room (`roles`) keep whose feeling it
is ("should I worry about my therapist" is not "does my therapist worry
about me"). Both only lower a score.
"""

from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz, process

from therafaq.roles import agreed_sides

SHAPE_WEIGHT = 0.3
# How far a question is lowered when all its weight is on the other side from the entry's wordings.
SIDE_WEIGHT = 0.5


class Reranker:
    """The index's normalised wordings of each entry, and the sides they agree on, worked out on
    first use: a large corpus loads faster without them, and one question looks at a few entries."""

    def __init__(self, entry_shapes: Sequence[list[str]], idf: Mapping[str, float]) -> None:
        self._entry_shapes = entry_shapes
        self._idf = idf
        self._sides: dict[int, dict[str, bool]] = {}

    def rescore(
        self, entry_index: int, f_score: float, shape: str, question_sides: dict[str, bool], total: float
    ) -> tuple[float, float]:
        """The final score, and the shape similarity (0-100) that went into it.

        `total` is the question's weight, of which the words put on the other side are a share.
        """
        # An entry found only by a keyword may have no wording left to compare (all stopwords): nothing alike.
        closest = process.extractOne(shape, self._entry_shapes[entry_index], scorer=fuzz.ratio, processor=None)
        similarity = closest[1] if closest is not None else 0.0
        crossed = self._crossed(entry_index, question_sides) / total if question_sides and total else 0.0
        shaped = f_score * (1 - SHAPE_WEIGHT + SHAPE_WEIGHT * similarity / 100)
        return round(shaped * (1 - SIDE_WEIGHT * min(1.0, crossed)), 1), similarity

    def _crossed(self, entry_index: int, question_sides: dict[str, bool]) -> float:
        """The weight of the question's words on the other side from every wording of the entry."""
        agreed = self._sides.get(entry_index)
        if agreed is None:
            agreed = self._sides[entry_index] = agreed_sides(self._entry_shapes[entry_index])
        return sum(self._idf[term] for term, side in question_sides.items() if agreed.get(term, side) != side)
