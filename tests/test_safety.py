"""Crisis routing: every crisis message flagged, ordinary questions left alone."""

import json

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
