"""Crisis routing: every crisis message flagged, ordinary questions left alone."""

import itertools
import json
import re._constants as sre
import re._parser as sre_parse

import pytest

from therafaq.cli import app
from therafaq.safety import default_detector

from .conftest import DATA, MINI_CORPUS, json_lines

CASES = [json.loads(line) for line in (DATA / "crisis_cases.jsonl").read_text(encoding="utf-8").splitlines()]
CRISIS = [c["q"] for c in CASES if c["crisis"]]
ORDINARY = [c["q"] for c in CASES if not c["crisis"]]
REQUIRED = [
    "I want to kill myself",
    "thinking about suicide",
    "I've been cutting myself",
    "how do I end my life",
    "I want to die",
    "I don't want to be alive anymore",
    "everyone would be better off without me",
    "there's no reason to live",
    "i want to unalive myself",
    "kms",
    "I WANT TO KILL MYSELF",
    "I\u2019m going to kill myself",
]


def every_match(pattern: str) -> set[str]:
    """Every string `pattern` can match, for patterns made of literals,
    groups, alternatives and bounded repeats (anything else fails the test:
    a new kind of pattern needs a new argument that triggers stay sound)."""
    return set(_sequence(sre_parse.parse(pattern)))


def _sequence(items):
    for combination in itertools.product(*(_choices(op, argument) for op, argument in items)):
        yield "".join(combination)


def _choices(op, argument):
    if op is sre.LITERAL:
        return [chr(argument)]
    if op is sre.SUBPATTERN:
        return list(_sequence(argument[-1]))
    if op is sre.BRANCH:
        return [text for branch in argument[1] for text in _sequence(branch)]
    if op is sre.MAX_REPEAT and argument[1] <= 3:
        low, high, body = argument
        inner = list(_sequence(body))
        return ["".join(parts) for n in range(low, high + 1) for parts in itertools.product(inner, repeat=n)]
    raise AssertionError(f"crisis pattern construct {op} {argument} cannot be listed")


@pytest.mark.parametrize("pattern", default_detector().patterns)
def test_every_match_of_every_pattern_has_a_trigger(pattern):
    matches = every_match(pattern)
    assert matches
    assert [m for m in matches if not any(trigger in m for trigger in default_detector().triggers)] == []


def test_triggers_cannot_be_joined_by_an_exclusion():
    """An exclusion turns " ... " into one space; a trigger with no space inside it
    (one in front is fine) that is found after that was there before it."""
    assert all(" " not in trigger.lstrip(" ") for trigger in default_detector().triggers)
    assert all(p.startswith(" ") and p.endswith(" ") for p in default_detector().exclusions)


def test_every_match_lists_alternatives_and_optional_parts():
    assert every_match(" kill?(?:ing)? my ?self ") == {
        f" kil{second}{ing} my{space}self " for second in ("", "l") for ing in ("", "ing") for space in ("", " ")
    }


def test_the_labelled_list_is_big_enough():
    assert len(CRISIS) >= 40 and len(ORDINARY) >= 40


@pytest.mark.parametrize("question", CRISIS + REQUIRED)
def test_every_crisis_message_is_flagged(question):
    assert default_detector().is_crisis(question)


def test_at_most_one_false_alarm():
    alarms = [q for q in ORDINARY if default_detector().is_crisis(q)]
    assert len(alarms) <= 1, alarms


@pytest.mark.parametrize(
    "question",
    ["I'd die of embarrassment if my therapist saw me", "do therapists cry", "my therapist is killing it"],
)
def test_light_uses_are_not_crises(question):
    assert not default_detector().is_crisis(question)


def test_crisis_leads_with_resources_and_exits_3(runner):
    result = runner.invoke(app, ["ask", "I want to die", "--corpus", str(MINI_CORPUS)])
    assert result.exit_code == 3
    out = result.stdout
    assert out.startswith("YOU DESERVE SUPPORT RIGHT NOW")
    for expected in ("988", "116 123", "findahelpline.com", "112", "999", "911", "therapist"):
        assert expected in out
    assert "Sources:" not in out, "no fuzzy match is shown to a person in crisis"


def test_crisis_in_json_and_batches(runner):
    questions = "walk my dog\nnobody would even notice if i was gone for good\nfern light\n"
    result = runner.invoke(app, ["ask", "--json", "-", "--corpus", str(MINI_CORPUS)], input=questions)
    records = json_lines(result.stdout)
    assert [r["crisis"] for r in records] == [False, True, False]
    crisis = records[1]
    assert crisis["matches"] == [] and crisis["answered"] is False
    assert {"name", "contact", "region"} == set(crisis["resources"][0])
    assert any("988" in r["contact"] for r in crisis["resources"])
    assert result.exit_code == 3


def test_a_repeated_question_gets_the_same_answer_object_and_crisis_is_never_cached_away(mini):
    from therafaq.answering import Answerer

    answerer = Answerer(mini)
    first = answerer.answer("walk my dog")
    assert answerer.answer("walk my dog") is first
    assert answerer.answer("walk my dog", top=2) is not first
    assert answerer.answer("I want to die").crisis is not None
    assert answerer.answer("I want to die").crisis is not None
