"""The risk check's word model: for signs of risk that no pattern names.

Patterns are precise but only know the phrasings someone wrote down; the
weights pool the evidence of many words ("pills", "tonight", "burden",
"anymore"), so an unseen wording of a familiar sign is still noticed. It
reads the text `risk.RiskCheck` has prepared, and `risk` decides the tier
from its two scores.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

MODEL_FILE = Path(__file__).resolve().parent / "risk_model.json"
SCALE = 1000  # weights are kept in thousandths


class WordModel:
    """Two logistic models over a message's words and word pairs: at risk (either tier), and crisis.

    Fitted by bench/risk_model.py on labelled messages, ordinary therapy
    questions and ordinary prose; its thresholds were chosen there on
    messages it was not fitted on.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        """`data`: the features in one list and each model's weights, in thousandths, in
        a list beside it (a list of integers parses in half the time of decimals, and
        every run reads it). Both models look a feature up by its place in one dict:
        building a second dict of 8,000 features cost every run 0.7 ms."""
        features: list[str] = data["features"]
        self._place = {feature: n for n, feature in enumerate(features)}
        self._at_risk: list[int] = data["at_risk"]["weights"]
        self._crisis: list[int] = data["crisis"]["weights"]
        if not len(self._place) == len(features) == len(self._at_risk) == len(self._crisis):
            raise ValueError("a word model needs one weight per feature in each model, and no feature twice")
        self._bias = (data["at_risk"]["bias"], data["crisis"]["bias"])
        self._whole = (data["at_risk"]["threshold"], data["crisis"]["threshold"])
        self._alone = (data["at_risk"]["sentence_threshold"], data["crisis"]["sentence_threshold"])
        self._plainly_ordinary = data["plainly_ordinary"]

    def flags(self, text: str) -> tuple[bool, bool]:
        """Whether the prepared `text` shows risk, and whether it shows a crisis.

        The whole message is read, and then each sentence alone against a
        threshold of its own: in a long post about something else, the
        sentence that tells of risk would be outweighed by the rest.
        """
        whole = self.scores(text)
        flagged = [score >= threshold for score, threshold in zip(whole, self._whole, strict=True)]
        if not all(flagged):
            for sentence in sentences(text):
                alone = self.scores(sentence)
                flagged = [f or s >= t for f, s, t in zip(flagged, alone, self._alone, strict=True)]
        return flagged[0], flagged[1]

    def plainly_ordinary(self, text: str) -> bool:
        """Whether the at-risk model reads the whole prepared `text` as plainly ordinary: where it
        does, the crisis model's word alone is not trusted (see `RiskCheck.assess`)."""
        return self.scores(text)[0] < self._plainly_ordinary

    def scores(self, text: str) -> tuple[float, float]:
        """Log-odds that the prepared `text` shows risk, and that it shows a crisis."""
        places = [n for n in map(self._place.get, features(text)) if n is not None]
        at_risk, crisis = self._at_risk, self._crisis
        return (
            self._bias[0] + sum(at_risk[n] for n in places) / SCALE,
            self._bias[1] + sum(crisis[n] for n in places) / SCALE,
        )


def sentences(text: str) -> list[str]:
    """The sentences of prepared text that holds more than one; none for a single sentence,
    which the whole message's reading already covers."""
    parts = text.split(" . ")
    return parts if len(parts) > 1 else []


def features(text: str) -> set[str]:
    """The words of prepared text and the pairs of neighbours within a sentence."""
    found: set[str] = set()
    for sentence in text.split(" . "):
        tokens = sentence.split()
        found.update(tokens)
        found.update(f"{a} {b}" for a, b in itertools.pairwise(tokens))
    return found
