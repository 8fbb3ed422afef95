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
    """Compiled crisis patterns; `is_crisis` is cheap enough for every question."""

    def __init__(self, patterns: list[str], exclusions: list[str], support: CrisisSupport) -> None:
        self._pattern = re.compile("|".join(f"(?:{p})" for p in patterns))
        self._exclusion = re.compile("|".join(f"(?:{p})" for p in exclusions)) if exclusions else None
        self.support = support

    def is_crisis(self, question: str) -> bool:
        """Text longer than two windows is checked at its start and its end,
        where a person's own words are: a pasted megabyte then takes
        milliseconds, not seconds."""
        if len(question) > 2 * SCAN_WINDOW_CHARS:
            return self._search(question[:SCAN_WINDOW_CHARS]) or self._search(question[-SCAN_WINDOW_CHARS:])
        return self._search(question)

    def _search(self, question: str) -> bool:
        text = " " + " ".join(words(question)) + " "
        if self._exclusion is not None:
            text = self._exclusion.sub(" ", text)
        return self._pattern.search(text) is not None


@cache
def default_detector() -> CrisisDetector:
    """The detector built from the packaged crisis.json (loaded once)."""
    data = json.loads((PACKAGE_DIR / "crisis.json").read_text("utf-8"))
    support = CrisisSupport(
        title=data["title"],
        message=tuple(data["message"]),
        resources=tuple(Resource(**resource) for resource in data["resources"]),
    )
    return CrisisDetector(data["patterns"], data.get("exclusions", []), support)
