"""Where to get help now: therafaq's own contacts, ordered for where the person is.

The contacts, messages and emergency numbers are data (`signposts.json`),
kept apart from the articles and checked by hand (README, "Safety"). Like
the risk check, this needs no corpus, so it works when nothing else does.
A person's region comes from `--region`, then `THERAFAQ_REGION`, then the
locale (`LC_ALL`, `LC_MESSAGES`, `LANG`, the first one set, as POSIX reads
them); with none, the lines that serve most places come first.
"""

# No `from __future__ import annotations` here: NamedTuple compiles every string annotation
# at import, which over the six modules that define them cost 1.5 ms of each run.
import json
import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from therafaq.corpus import Entry
from therafaq.risk import CONCERN, CRISIS, Risk

DATA_FILE = Path(__file__).resolve().parent / "signposts.json"
CONCERN_CONTACTS = 3
EVERYWHERE = "findahelpline"
_LOCALE_REGION = re.compile(r"^[a-z]{2,3}_([a-z]{2})(?:[.@]|$)", re.ASCII | re.IGNORECASE)
_REGION = re.compile(r"^[a-z]{2}$", re.ASCII | re.IGNORECASE)  # ASCII: compiles in a sixth of the time


class RegionError(ValueError):
    """A region that is not a two-letter country code."""


class Contact(NamedTuple):
    name: str
    contact: str
    where: str
    ways: tuple[str, ...]
    hours: str
    short: str


class Support(NamedTuple):
    """What a person is shown: for `tier` "crisis" before anything else, for "concern" above the answer."""

    tier: str
    title: str
    message: tuple[str, ...]
    resources: tuple[Contact, ...]


class Route(NamedTuple):
    """One of an entry's corpus signposts as a person sees it: the lines for
    their region (all lines when it is unknown) and, when the signpost asks
    for them, crisis contacts ordered for that region."""

    id: str
    title: str
    text: tuple[str, ...]
    lines: tuple[str, ...]
    contacts: tuple[Contact, ...]


class Signposts:
    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        self._contacts = {item["id"]: item for item in data["contacts"]}
        self._eu = frozenset(data["eu_regions"])

    def support(self, risk: Risk, region: str | None) -> Support:
        """The support block for `risk`, its contacts ordered for `region`."""
        texts = self._data[CRISIS if risk.crisis else CONCERN]
        if risk.crisis:
            chosen = self._crisis_contacts(region, other_language="other_language" in risk.kinds)
        else:
            chosen = self._concern_contacts(region, young="unsafe_abuse" in risk.kinds)
        return Support(risk.tier, texts["title"], tuple(texts["message"]), tuple(chosen))

    def help_now(self, region: str | None) -> Support:
        """The full crisis block, asked for by name (`therafaq help-now`)."""
        return self.support(Risk(CRISIS, frozenset()), region)

    def routes(self, entry: Entry, region: str | None) -> tuple[Route, ...]:
        """Where to turn, for an entry that names signposts (most name none)."""
        return tuple(
            Route(
                signpost.id,
                signpost.title,
                signpost.text,
                tuple(
                    line.text for line in signpost.lines if region is None or not line.regions or region in line.regions
                ),
                tuple(self._concern_contacts(region, young=False)) if signpost.crisis_lines else (),
            )
            for signpost in entry.signposts
        )

    def help_line(self, region: str | None) -> str:
        """One calm line naming where to get help now, for replies with no answer and for footers."""
        regional = [c for c in self._regional(region) if not c.get("young")][:1]
        if regional:
            first = regional[0]
            return (
                f"Need to talk to someone now? {first['name']} ({first['where']}): {first['short']}; "
                "elsewhere, findahelpline.com."
            )
        return (
            "Need to talk to someone now? findahelpline.com lists free lines in your country; "
            "in the US call or text 988, in the UK and Ireland call Samaritans on 116 123."
        )

    def footer_line(self, region: str | None) -> str:
        """The short help line under every answer, beside the not-professional-advice note."""
        regional = [c for c in self._regional(region) if not c.get("young")][:1]
        first = f"{regional[0]['name']}: {regional[0]['short']}" if regional else "findahelpline.com"
        return f"Need help now? {first}, or run: therafaq help-now"

    # Ordering ----------------------------------------------------------------

    def _regional(self, region: str | None) -> list[dict[str, Any]]:
        return [c for c in self._data["contacts"] if region is not None and region in c["regions"]]

    def _crisis_contacts(self, region: str | None, *, other_language: bool) -> list[Contact]:
        regional = self._regional(region)
        if regional:
            adults = [c for c in regional if not c.get("young")]
            young = [c for c in regional if c.get("young")]
            ordered = [*adults, self._emergency(region), *young, self._contacts[EVERYWHERE]]
        else:
            ordered = [self._contacts[key] for key in self._data["unknown_region_order"]]
            ordered.insert(1, self._emergency(region))
        if other_language:  # someone writing in another language is most likely elsewhere
            ordered.sort(key=lambda c: c is not self._contacts[EVERYWHERE])
        return [_contact(item) for item in ordered]

    def _concern_contacts(self, region: str | None, *, young: bool) -> list[Contact]:
        regional = self._regional(region)
        adults = [c for c in regional if not c.get("young")]
        first = [c for c in regional if c.get("young")] if young else []
        ordered = [*first, *adults[:1]] if regional else [self._contacts["988-us"], self._contacts["samaritans"]]
        ordered = [*ordered[: CONCERN_CONTACTS - 1], self._contacts[EVERYWHERE]]
        return [_contact(item) for item in ordered]

    def _emergency(self, region: str | None) -> dict[str, Any]:
        numbers: dict[str, str] = self._data["emergency"]
        if region is not None and region in numbers:
            number, where = f"call {numbers[region]}", self._data["region_names"][region]
        elif region is not None and region in self._eu:
            number, where = "call 112", region
        else:
            number, where = f"call {self._data['emergency_anywhere']}", "anywhere"
        return {
            "name": "Emergency services",
            "contact": number,
            "short": number,
            "where": where,
            "ways": ["call"],
            "hours": "24/7",
        }


def _contact(item: Mapping[str, Any]) -> Contact:
    return Contact(item["name"], item["contact"], item["where"], tuple(item["ways"]), item["hours"], item["short"])


def normal_region(value: str) -> str:
    """A region as a country code ("uk" and "gb" both GB); RegionError for anything else."""
    typed = value.strip().upper()
    code: str = default_signposts()._data["region_aliases"].get(typed, typed)
    if not _REGION.match(code):
        raise RegionError(f"region {value!r} is not a two-letter country code such as US, GB, IE, CA, AU or NZ")
    return code


def region_from(option: str | None, environ: Mapping[str, str] = os.environ) -> str | None:
    """--region, else THERAFAQ_REGION, else the locale's country; None when none says."""
    if option:
        return normal_region(option)
    if environ.get("THERAFAQ_REGION"):
        try:
            return normal_region(environ["THERAFAQ_REGION"])
        except RegionError:
            return None
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable)
        if value:
            found = _LOCALE_REGION.match(value)
            return found.group(1).upper() if found else None
    return None


@cache
def default_signposts() -> Signposts:
    return Signposts(json.loads(DATA_FILE.read_text("utf-8")))
