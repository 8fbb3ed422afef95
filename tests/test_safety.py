"""What a person at risk is shown, in every command and output, whatever else goes wrong."""

import json
import os
from pathlib import Path

import pytest

from therafaq import risk, word_model
from therafaq.answering import Answerer
from therafaq.cli import app
from therafaq.signposts import RegionError, normal_region, region_from

from .conftest import MINI, flat, golden, json_lines, run

CRISIS_TITLE = "You don't have to go through this alone"
CONCERN_TITLE = "Support, if you want it"
CONCERN_QUESTION = "I feel like a burden to everyone. How often should I walk my dog?"


# The two tiers, in plain text ---------------------------------------------------------


def test_a_crisis_reply_leads_with_support_and_shows_no_fuzzy_answer(runner):
    result = run(runner, "ask", "--region", "US", "i'm going to hang myself", *MINI)
    assert result.exit_code == 3
    out = flat(result.stdout)
    assert out.startswith(CRISIS_TITLE)
    for said in ("Help is there now", "can pass", "stay near a person you trust", "tell your therapist"):
        assert said in out
    assert out.index("988 Suicide & Crisis Lifeline") < out.index("Crisis Text Line") < out.index("Emergency services")
    assert "text HOME to 741741" in out and "call 911" in out and "findahelpline.com" in out
    assert "Sources:" not in out and "No confident answer" not in out and "Try other words" not in out
    assert "!" not in result.stdout.split("therafaq gives")[0], "calm: no exclamation marks"


def test_a_crisis_that_also_asks_a_covered_question_gets_the_answer_second(runner):
    result = run(runner, "ask", "I want to die. How often should I walk my dog?", *MINI)
    assert result.exit_code == 3
    out = flat(result.stdout)
    assert out.index(CRISIS_TITLE) < out.index("About your question:") < out.index("Most dogs enjoy two walks a day.")


def test_a_concern_reply_is_the_answer_with_a_short_support_block_first(runner):
    result = run(runner, "ask", "--region", "GB", CONCERN_QUESTION, *MINI)
    assert result.exit_code == 3
    out = flat(result.stdout)
    assert out.startswith(CONCERN_TITLE)
    assert out.index("Samaritans") < out.index("Find A Helpline") < out.index("Most dogs enjoy two walks a day.")
    assert "Shout" not in out, "the concern block keeps to a few contacts"
    assert "Sources:" in out


def test_a_reply_without_an_answer_ends_with_where_to_get_help(runner):
    result = run(runner, "ask", "--region", "AU", "zzqx blorp", *MINI)
    assert result.exit_code == 1
    before_footer = flat(result.stdout.split("therafaq gives general information")[0])
    assert before_footer.endswith(
        "Need to talk to someone now? Lifeline (Australia): call 13 11 14; elsewhere, findahelpline.com."
    )


def test_every_answer_footer_names_help_beside_the_disclaimer(runner):
    result = run(runner, "ask", "walk my dog", *MINI, env={"LANG": "en_IE.UTF-8"})
    assert result.exit_code == 0
    assert flat(result.stdout).endswith("Need help now? Samaritans: call 116 123, or run: therafaq help-now")


# JSON -----------------------------------------------------------------------------------


def test_json_carries_the_tier_and_exactly_the_support_shown(runner):
    questions = "walk my dog\ni want to kill myself\n" + CONCERN_QUESTION + "\nzzqx blorp\n"
    result = run(runner, "ask", "--json", "--region", "US", "-", *MINI, input=questions)
    assert result.exit_code == 3
    ordinary, crisis, concern, unanswered = json_lines(result.stdout)
    assert (ordinary["risk"], ordinary["crisis"], "support" in ordinary) == (None, False, False)
    assert (crisis["risk"], crisis["crisis"], crisis["matches"], crisis["answered"]) == ("crisis", True, [], False)
    support = crisis["support"]
    assert support["title"] == CRISIS_TITLE and support["message"][0].startswith("Thank you for telling us")
    assert support["resources"][0] == {
        "name": "988 Suicide & Crisis Lifeline",
        "contact": "call or text 988, or chat at 988lifeline.org",
        "region": "US",
        "ways": ["call", "text", "chat"],
        "hours": "24/7",
    }
    assert crisis["resources"] == support["resources"]
    assert (concern["risk"], concern["crisis"], concern["answered"]) == ("concern", False, True)
    assert concern["support"]["title"] == CONCERN_TITLE
    assert [c["name"] for c in concern["support"]["resources"]] == ["988 Suicide & Crisis Lifeline", "Find A Helpline"]
    assert unanswered["help"].startswith("Need to talk to someone now? 988")


# Where the person is -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "region"),
    [
        ({"LANG": "en_GB.UTF-8"}, "GB"),
        ({"LC_ALL": "en_AU.UTF-8", "LANG": "en_US.UTF-8"}, "AU"),
        ({"LC_MESSAGES": "fr_CA", "LANG": "en_US"}, "CA"),
        ({"LANG": "C.UTF-8"}, None),
        ({"THERAFAQ_REGION": "uk", "LANG": "en_US"}, "GB"),
        ({"THERAFAQ_REGION": "nowhere", "LANG": "en_US"}, None),
        ({}, None),
    ],
)
def test_region_comes_from_the_variable_then_the_locale(environ, region):
    assert region_from(None, environ) == region


def test_the_option_wins_and_must_be_a_country_code():
    assert region_from("ie", {"THERAFAQ_REGION": "US"}) == "IE"
    with pytest.raises(RegionError):
        normal_region("Britain")


@pytest.mark.parametrize(
    ("region", "first"),
    [
        ("US", "988 Suicide & Crisis Lifeline"),
        ("CA", "9-8-8 Suicide Crisis Helpline"),
        ("GB", "Samaritans"),
        ("IE", "Samaritans"),
        ("AU", "Lifeline"),
        ("NZ", "Need to talk? 1737"),
        ("DE", "Find A Helpline"),
        (None, "Find A Helpline"),
    ],
)
def test_help_now_orders_the_lines_for_the_region(runner, region, first):
    args = ["help-now", "--json"] + (["--region", region] if region else [])
    result = run(runner, *args, env={"LANG": "C"})
    assert result.exit_code == 0
    shown = json.loads(result.stdout)
    assert shown["resources"][0]["name"] == first
    assert shown["title"] == CRISIS_TITLE


def test_eu_countries_get_112_and_unknown_ones_the_list_of_numbers(mini):
    german = Answerer(mini, region="DE").answer("I want to die").support
    assert any(c.contact == "call 112" for c in german.resources)
    nowhere = Answerer(mini, region="BR").answer("I want to die").support
    assert any("112 in the EU" in c.contact and "000 in Australia" in c.contact for c in nowhere.resources)


def test_young_people_and_abuse_get_their_own_line_first(mini):
    support = Answerer(mini, region="GB").answer("my stepdad hits me and I'm scared to go home").support
    assert support.tier == "concern" and support.resources[0].name == "Childline"
    us = Answerer(mini, region="US").answer("I want to kill myself").support
    assert "Childhelp National Child Abuse Hotline" in [c.name for c in us.resources]


def test_a_message_in_another_language_puts_the_worldwide_directory_first(mini):
    support = Answerer(mini, region="US").answer("je veux mourir").support
    assert support.resources[0].name == "Find A Helpline"


def test_a_bad_region_is_a_usage_error(runner):
    result = runner.invoke(app, ["ask", "--region", "Narnia", "hi", *MINI])
    assert result.exit_code == 2 and "two-letter country code" in result.stderr


def test_help_now_in_plain_text(runner):
    result = run(runner, "help-now", "--region", "GB")
    assert result.exit_code == 0
    out = flat(result.stdout)
    assert out.startswith(CRISIS_TITLE) and "call 116 123" in out and "text SHOUT to 85258" in out
    assert "call 0800 1111" in out


# Support survives every fault ----------------------------------------------------------------


def _broken_corpus(tmp_path: Path) -> Path:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "corpus", [lambda tmp: tmp / "deleted.json", _broken_corpus, lambda tmp: tmp], ids=["missing", "broken", "dir"]
)
def test_a_risk_message_gets_support_and_exit_3_whatever_the_corpus(runner, tmp_path, corpus):
    result = runner.invoke(app, ["ask", "I want to die", "--corpus", str(corpus(tmp_path))])
    assert result.exit_code == 3, result.output
    assert flat(result.stdout).startswith(CRISIS_TITLE) and "findahelpline.com" in result.stdout
    assert "error: " in result.stderr.lower(), "and then the fault is reported"
    assert "Traceback" not in result.output


@pytest.mark.parametrize("mistake", [["--top", "99"], ["--no-such-option"]])
def test_a_command_line_that_cannot_be_parsed_still_shows_support(runner, mistake):
    result = runner.invoke(app, ["ask", *mistake, "I want to kill myself"])
    assert result.exit_code == 3
    assert flat(result.stdout).startswith(CRISIS_TITLE) and "Error" in result.stderr


def test_an_ordinary_question_on_a_broken_corpus_is_still_a_usage_error(runner, tmp_path):
    result = runner.invoke(app, ["ask", "walk my dog", "--corpus", str(_broken_corpus(tmp_path))])
    assert result.exit_code == 2 and result.stdout == ""
    assert "cannot use corpus" in result.stderr


def test_a_batch_on_a_broken_corpus_still_answers_every_risk_line(runner, tmp_path):
    questions = "walk my dog\nI want to die\nwater a fern\n"
    result = runner.invoke(app, ["ask", "--json", "-", "--corpus", str(_broken_corpus(tmp_path))], input=questions)
    assert result.exit_code == 3
    [record] = json_lines(result.stdout)
    assert record["query"] == "I want to die" and record["risk"] == "crisis"
    assert result.stderr.count("therafaq: error: cannot use corpus") == 1


def test_an_unknown_topic_does_not_stand_between_a_person_and_support(runner):
    result = runner.invoke(app, ["ask", "-t", "nope", "I want to kill myself", *MINI])
    assert result.exit_code == 3 and flat(result.stdout).startswith(CRISIS_TITLE)
    assert "unknown topic 'nope'" in result.stderr


def _cache_files(isolated_user: Path) -> list[Path]:
    return sorted((isolated_user / "cache" / "therafaq").glob("corpus-*"))


@pytest.mark.parametrize("damage", ["garbage", "directory", "truncated"])
def test_a_damaged_or_unusable_cache_never_hides_support(runner, isolated_user, damage):
    assert run(runner, "ask", "walk my dog", *MINI).exit_code == 0  # writes the cache
    [cache] = _cache_files(isolated_user)
    if damage == "garbage":
        cache.write_bytes(os.urandom(4096))
    elif damage == "truncated":
        cache.write_bytes(cache.read_bytes()[:100])
    else:
        cache.unlink()
        cache.mkdir()
    result = runner.invoke(app, ["ask", "I want to kill myself. How often should I walk my dog?", *MINI])
    assert result.exit_code == 3, result.output
    assert flat(result.stdout).startswith(CRISIS_TITLE)
    assert "Traceback" not in result.output


def test_the_risk_check_runs_before_the_corpus_is_loaded(mini):
    def load():
        raise AssertionError("the corpus was needed")

    answer = Answerer(load=load).answer("i want to die")
    assert (
        answer.support is not None
        and answer.fault is not None
        and answer.fault.cause.args == ("the corpus was needed",)
    )


# Notes and history ----------------------------------------------------------------------------


def test_a_note_is_still_saved_after_a_risk_reply_and_says_support_was_shown(runner):
    from therafaq import notes

    result = run(runner, "ask", "I want to die", "--note", "talk about this first", *MINI)
    assert result.exit_code == 3
    kept = notes.read_notes()
    assert "## " in kept and "I want to die" in kept and "My thoughts: talk about this first" in kept
    assert "showed where to get support" in kept and "had no answer" not in kept


def test_history_clear_empties_the_file(runner):
    from therafaq.interactive import history_path

    history_path().parent.mkdir(parents=True)
    history_path().write_text("walk my dog\n", encoding="utf-8")
    assert run(runner, "history").stdout == "walk my dog\n"
    result = run(runner, "history", "--clear")
    assert result.exit_code == 0 and history_path().read_text() == ""
    assert "no history kept" in run(runner, "history").stderr


# What the support looks like, kept as golden files -------------------------------------------


@pytest.mark.parametrize(
    ("name", "message", "region"),
    [("crisis-gb", "I want to die", "GB"), ("concern-us", "I feel like a burden", "US"), ("crisis-none", "kms", None)],
)
def test_the_support_block_reads_as_its_golden_file(mini, name, message, region):
    """Regenerate with THERAFAQ_WRITE_GOLDEN=1 after changing signposts.json, then read the diff."""
    from therafaq.render import plain_support

    shown = plain_support(Answerer(mini, region=region).answer(message).support, 80) + "\n"
    assert shown == golden(f"support-{name}.txt", shown)


def test_the_support_block_in_rich_is_the_same_words_in_a_panel(mini):
    import io

    from rich.console import Console

    from therafaq.rich_render import support_panel

    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(support_panel(Answerer(mini, region="GB").answer("I want to die").support))
    drawn = flat(console.file.getvalue().replace("\u2502", " "))
    assert drawn.startswith("\u256d\u2500 " + CRISIS_TITLE)
    assert "Samaritans (UK and Ireland): call 116 123" in drawn and "Shout (UK): text SHOUT to 85258" in drawn


@pytest.mark.parametrize("damage", [b"", b"not a table\n", b"feature\tcounts\nrope\t1:2\n"])
def test_a_word_model_that_cannot_be_read_leaves_the_patterns_to_flag_a_crisis(monkeypatch, tmp_path, damage):
    weights = tmp_path / "risk_weights.tsv"
    weights.write_bytes(damage)
    monkeypatch.setattr(word_model, "WEIGHTS_FILE", weights)
    risk.default_check.cache_clear()
    try:
        check = risk.default_check()
        assert check.model is None
        found = check.assess("I want to kill myself tonight")
        assert found is not None and found.crisis
    finally:
        risk.default_check.cache_clear()
