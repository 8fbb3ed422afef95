"""Crisis routing: notice signs of suicidal thoughts or self-harm first.

A person who writes "I want to kill myself" must get crisis resources at
once, never a fuzzy match. The patterns, resources and message are data
(`crisis.json` in the package) so they can be reviewed without reading code;
they are matched against folded text with contractions expanded, so "I'm"
and "im", curly and straight quotes, and upper or lower case all meet.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import NamedTuple

from therafaq.corpus import PACKAGE_DIR
from therafaq.text import words

SCAN_WINDOW_CHARS = 50_000


class Resource(NamedTuple):
    name: str
    contact: str
    region: str


class CrisisSupport(NamedTuple):
    """What a person in crisis is shown, before anything else."""

    title: str
    message: tuple[str, ...]
    resources: tuple[Resource, ...]


class CrisisDetector:
    """Crisis patterns, compiled the first time a text has one of their trigger words.

    Every string a pattern can match contains a trigger (tests/test_safety.py
    proves it by listing each pattern's every match), so a text without any
    trigger cannot match and most questions never reach the regular
    expression; a single `ask` then never compiles it.
    """

    def __init__(self, patterns: list[str], exclusions: list[str], triggers: list[str], support: CrisisSupport) -> None:
        self.patterns = tuple(patterns)
        self.exclusions = tuple(exclusions)
        self.triggers = tuple(triggers)
        self.support = support
        self._compiled: tuple[re.Pattern[str], re.Pattern[str] | None] | None = None

    def is_crisis(self, question: str) -> bool:
        """Text longer than two windows is checked at its start and its end,
        where a person's own words are: a pasted megabyte then takes
        milliseconds, not seconds."""
        if len(question) > 2 * SCAN_WINDOW_CHARS:
            return self._search(question[:SCAN_WINDOW_CHARS]) or self._search(question[-SCAN_WINDOW_CHARS:])
        return self._search(question)

    def _search(self, question: str) -> bool:
        text = " " + " ".join(words(question)) + " "
        if not any(trigger in text for trigger in self.triggers):
            return False
        pattern, exclusion = self._compiled or self._compile()
        if exclusion is not None:
            text = exclusion.sub(" ", text)
        return pattern.search(text) is not None

    def _compile(self) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
        pattern = re.compile("|".join(f"(?:{p})" for p in self.patterns))
        exclusion = re.compile("|".join(f"(?:{p})" for p in self.exclusions)) if self.exclusions else None
        self._compiled = pattern, exclusion
        return self._compiled


@cache
def default_detector() -> CrisisDetector:
    """The detector built from the packaged crisis.json (loaded once)."""
    data = json.loads((PACKAGE_DIR / "crisis.json").read_text("utf-8"))
    support = CrisisSupport(
        title=data["title"],
        message=tuple(data["message"]),
        resources=tuple(Resource(**resource) for resource in data["resources"]),
    )
    return CrisisDetector(data["patterns"], data.get("exclusions", []), data["triggers"], support)
