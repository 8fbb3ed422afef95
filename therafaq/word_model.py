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
        every run reads it)."""
        features: list[str] = data["features"]
        self.at_risk: dict[str, int] = dict(zip(features, data["at_risk"]["weights"], strict=True))
        self.at_risk_bias: float = data["at_risk"]["bias"]
        self.at_risk_threshold: float = data["at_risk"]["threshold"]
        self.crisis: dict[str, int] = dict(zip(features, data["crisis"]["weights"], strict=True))
        self.crisis_bias: float = data["crisis"]["bias"]
        self.crisis_threshold: float = data["crisis"]["threshold"]

    def scores(self, text: str) -> tuple[float, float]:
        """Log-odds that the prepared `text` shows risk, and that it shows a crisis."""
        found = features(text)
        at_risk, crisis = self.at_risk.get, self.crisis.get
        return (
            self.at_risk_bias + sum(at_risk(f, 0) for f in found) / SCALE,
            self.crisis_bias + sum(crisis(f, 0) for f in found) / SCALE,
        )


def features(text: str) -> set[str]:
    """The words of prepared text and the pairs of neighbours within a sentence."""
    found: set[str] = set()
    for sentence in text.split(" . "):
        tokens = sentence.split()
        found.update(tokens)
        found.update(f"{a} {b}" for a, b in itertools.pairwise(tokens))
    return found
