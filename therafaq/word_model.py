"""The risk check's word model: for signs of risk that no pattern names.

Patterns are precise but only know the phrasings someone wrote down; the
weights pool the evidence of many words ("pills", "tonight", "burden",
"anymore"), so an unseen wording of a familiar sign is still noticed. It
reads the text `risk.RiskCheck` has prepared, and `risk` decides the tier
from its two scores.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from therafaq.sorted_lines import SortedLines

HERE = Path(__file__).resolve().parent
MODEL_FILE = HERE / "risk_model.json"  # the biases and thresholds
WEIGHTS_FILE = HERE / "risk_weights.tsv"  # one line per feature
WEIGHTS_HEADER = "feature\tat_risk\tcrisis"
SCALE = 1000  # weights are kept in thousandths


class WordModel:
    """Two logistic models over a message's words and word pairs: at risk (either tier), and crisis.

    Fitted by bench/risk_model.py on labelled messages, ordinary therapy
    questions and ordinary prose; its thresholds were chosen there on
    messages it was not fitted on.
    """

    def __init__(self, settings: dict[str, Any], weights: SortedLines) -> None:
        """`settings`: each model's bias and thresholds; `weights`: a weights file (`weight_lines`).
        A feature's line is found by bisection in the file's bytes and only the message's own
        lines are parsed (`sorted_lines`): parsing every feature into a dict first cost each
        one-question run several milliseconds."""
        if weights.header != WEIGHTS_HEADER:
            raise ValueError(f"a word model's weights start with the line {WEIGHTS_HEADER!r}")
        self._lines = weights
        self._bias = (settings["at_risk"]["bias"], settings["crisis"]["bias"])
        self._whole = (settings["at_risk"]["threshold"], settings["crisis"]["threshold"])
        self._alone = (settings["at_risk"]["sentence_threshold"], settings["crisis"]["sentence_threshold"])
        self._plainly_ordinary = settings["plainly_ordinary"]

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
        at_risk = crisis = 0
        for feature in features(text):
            found = self._weights(feature)
            if found is not None:
                at_risk += found[0]
                crisis += found[1]
        return self._bias[0] + at_risk / SCALE, self._bias[1] + crisis / SCALE

    def _weights(self, feature: str) -> tuple[int, int] | None:
        found = self._lines.find(feature)
        if found is None:
            return None
        at_risk, crisis = found.split("\t")
        return int(at_risk), int(crisis)


def load_model() -> WordModel:
    """The packaged word model."""
    return WordModel(json.loads(MODEL_FILE.read_text("utf-8")), SortedLines.read(WEIGHTS_FILE))


def weight_lines(weights: Mapping[str, tuple[int, int]]) -> list[str]:
    """A weights file's lines: the header, then each feature and its two weights (thousandths),
    in sorted order. A feature holds no tab (features are split on whitespace)."""
    return [
        WEIGHTS_HEADER,
        *sorted(f"{feature}\t{at_risk}\t{crisis}" for feature, (at_risk, crisis) in weights.items()),
    ]


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
