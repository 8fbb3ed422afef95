"""Every command and output mode, through Typer's test runner."""

import json

import pytest

from therafaq import __version__
from therafaq.cli import app
from therafaq.matching import CLOSE_CALL_EXTRA, DEFAULT_MIN_SCORE
from therafaq.render import DISCLAIMER

from .conftest import ENTRY_KEYS, MINI, MINI_CORPUS, flat, json_lines, run


def test_ask_prints_answer_sources_score_and_related(runner):
    result = run(runner, "ask", "how", "often", "should", "I", "walk", "my", "dog?", *MINI)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("How often should I walk my dog?\n[dog-walks, match ")
    assert "Most dogs enjoy two walks a day." in out
    assert "\n- Short ones for small dogs\n" in out
    assert "Sources:\n  - Dog basics. Test Press" in out
    assert "Related questions:\n  1. Why does my cat scratch the sofa? [cat-scratching]" in out
    assert " ".join(out.split()).count("not professional advice") == 1
    assert "\x1b[" not in out


def test_ask_json_contract(runner):
    result = run(runner, "ask", "--json", "fern watering", *MINI)
    assert result.exit_code == 0
    [record] = json_lines(result.stdout)
    assert set(record) == {"query", "answered", "crisis", "risk", "matches"}
    assert record["query"] == "fern watering"
    assert record["answered"] is True and record["crisis"] is False and record["risk"] is None
    [match] = record["matches"]
    assert set(match) == {"id", "topic", "question", "answer", "score", "sources", "signposts", "related"}
    assert match["id"] == "fern-water"
    assert match["sources"] == [{"title": "Fern care", "publisher": "Green Test Press", "file": ""}]
    assert 0 <= match["score"] <= 100


def test_ask_top_gives_that_many_matches_best_first(runner):
    record = json_lines(run(runner, "ask", "--json", "-n", "3", "fern", *MINI).stdout)[0]
    scores = [m["score"] for m in record["matches"]]
    assert len(scores) == 2 or len(scores) == 3
    assert scores == sorted(scores, reverse=True)


def test_ask_unanswered_suggests_and_exits_1(runner):
    result = run(runner, "ask", "what soil for a fern", *MINI)
    assert result.exit_code == 1
    assert "No confident answer for: 'what soil for a fern'" in result.stdout
    assert "Did you mean:\n  1. How often should I water a fern? [fern-water]" in result.stdout
    assert "ask again with --save to keep it" in result.stdout
    record = json_lines(run(runner, "ask", "--json", "what soil for a fern", *MINI).stdout)[0]
    assert record["answered"] is False and "unknown_words" not in record  # an answer mentions soil
    assert len(record["matches"]) == 1


def test_suggestions_below_the_floor_are_not_offered(runner):
    record = json_lines(run(runner, "ask", "--json", "repotting a fern", *MINI).stdout)[0]
    assert record["matches"] == [] and record["unknown_words"] == ["repotting"]


@pytest.mark.parametrize(
    ("question", "lists_topics"),
    [
        ("repotting a fern", True),  # a word no article uses
        ("how are you today", True),  # no suggestion either: nothing else to go on
        ("what soil for a fern", False),  # a suggestion says where to look
    ],
)
def test_a_reply_with_nothing_to_offer_lists_the_topics_covered(runner, question, lists_topics):
    result = run(runner, "ask", "--plain", question, *MINI)
    assert result.exit_code == 1
    assert ("therafaq covers: Pets, Plants." in flat(result.stdout)) is lists_topics


def test_a_topic_that_filters_out_the_answer_says_where_it_is(runner):
    result = run(runner, "ask", "--json", "--topic", "pets", "how often should I water a fern", *MINI)
    record = json_lines(result.stdout)[0]
    assert record["answered"] is False
    assert record["elsewhere"] == {
        "id": "fern-water",
        "topic": "plants",
        "question": "How often should I water a fern?",
    }
    plain = run(runner, "ask", "--plain", "--topic", "pets", "how often should I water a fern", *MINI).stdout
    assert 'Another topic has an answer in "Plants": How often should I water a fern? [fern-water]' in " ".join(
        plain.split()
    )


def test_fewer_matches_than_asked_for_says_why(runner):
    record = json_lines(run(runner, "ask", "--json", "-n", "3", "--topic", "plants", "fern light", *MINI).stdout)[0]
    assert len(record["matches"]) == 2
    assert record["notes"] == ["Only 2 entries matched this question in topic 'plants', so fewer than 3 are shown."]


def test_ask_reads_many_questions_from_stdin_in_order(runner):
    questions = "fern light\n\n   \nwalk my dog\nrepot a cactus\n"
    result = run(runner, "ask", "--json", "-", *MINI, input=questions)
    records = json_lines(result.stdout)
    assert [r["query"] for r in records] == ["fern light", "walk my dog", "repot a cactus"]
    assert [r["answered"] for r in records] == [True, True, False]
    assert result.exit_code == 1


def test_ask_stdin_replaces_bad_bytes(runner):
    result = run(runner, "ask", "--json", "-", *MINI, input=b"walk my dog \xff\xfe\n")
    [record] = json_lines(result.stdout)
    assert "\ufffd" in record["query"] and record["answered"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask"], "no questions on standard input"),  # not a terminal: a bare ask reads stdin
        (["ask", "   "], "needs a question"),
        (["ask", ""], "needs a question"),
    ],
)
def test_ask_without_a_question_is_a_usage_error(runner, args, message):
    result = run(runner, *args, *MINI)
    assert result.exit_code == 2
    assert message in result.stderr


def test_ask_with_empty_stdin_is_a_usage_error(runner):
    result = run(runner, "ask", "-", *MINI, input="\n\n")
    assert result.exit_code == 2 and "no questions" in result.stderr


@pytest.mark.parametrize("top", ["0", "-3", "100000", "many"])
def test_absurd_top_is_a_usage_error(runner, top):
    assert run(runner, "ask", "--top", top, "fern", *MINI).exit_code == 2


def test_topic_filter_and_unknown_topic(runner):
    record = json_lines(run(runner, "ask", "--json", "-t", "plants", "-n", "5", "water or walk my dog", *MINI).stdout)[
        0
    ]
    assert {m["topic"] for m in record["matches"]} == {"plants"}
    result = run(runner, "ask", "-t", "cars", "fern", *MINI)
    assert result.exit_code == 2 and "unknown topic 'cars'; topics: pets, plants" in result.stderr


def test_explain_shows_wording_and_score_parts(runner):
    result = run(runner, "ask", "--explain", "wlak my dog", *MINI)
    assert "Why this match:" in result.stdout and "wlak->walk" in result.stdout
    record = json_lines(run(runner, "ask", "--json", "--explain", "wlak my dog", *MINI).stdout)[0]
    explain = record["matches"][0]["explain"]
    assert explain["wording"] and {"recall", "precision", "terms"} <= set(explain)


def test_min_score_option(runner):
    assert run(runner, "ask", "--min-score", "0", "dog", *MINI).exit_code == 0
    assert run(runner, "ask", "--min-score", "100", "dog", *MINI).exit_code == 1


def test_topics_plain_and_json(runner):
    result = run(runner, "topics", *MINI)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split()[:3] == ["pets", "2", "Pets:"]
    data = json.loads(run(runner, "topics", "--json", *MINI).stdout)
    assert data == [
        {"id": "pets", "title": "Pets", "description": "Questions about animals at home.", "count": 2},
        {"id": "plants", "title": "Plants", "description": "Questions about growing things.", "count": 2},
    ]


def test_list_groups_by_topic_and_filters(runner):
    out = run(runner, "list", *MINI).stdout
    assert out.index("Pets (pets)") < out.index("  dog-walks: How often") < out.index("Plants (plants)")
    data = json.loads(run(runner, "list", "--json", "--topic", "plants", *MINI).stdout)
    assert [e["id"] for e in data] == ["fern-light", "fern-water"]
    assert set(data[0]) == ENTRY_KEYS


def test_show_entry_plain_and_json(runner):
    result = run(runner, "show", "fern-water", *MINI)
    assert result.exit_code == 0 and result.stdout.startswith("How often should I water a fern?\n[fern-water]")
    assert json.loads(run(runner, "show", "--json", "fern-water", *MINI).stdout)["id"] == "fern-water"


@pytest.mark.parametrize("bad_id", ["fern-wter", "../../etc/passwd", "FERN", "nothing-like-it-at-all"])
def test_show_unknown_id_exits_2_with_suggestions(runner, bad_id):
    result = run(runner, "show", bad_id, *MINI)
    assert result.exit_code == 2
    assert "no entry with id" in result.stderr
    if bad_id == "fern-wter":
        assert "did you mean: fern-water" in result.stderr


def test_version(runner):
    assert run(runner, "--version").stdout.strip() == f"therafaq {__version__}"


COMMANDS = [info.name or info.callback.__name__ for info in app.registered_commands]


def test_the_command_list_is_complete():
    assert set(COMMANDS) >= {"ask", "topics", "list", "show", "random", "chat", "saved", "eval", "validate", "schema"}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(runner, command):
    result = run(runner, command, "-h")
    assert result.exit_code == 0
    assert "Example" in result.stdout and "therafaq" in result.stdout


def test_help_carries_the_disclaimer(runner):
    assert "not professional advice" in " ".join(run(runner, "--help").stdout.split())


def test_no_arguments_without_a_terminal_prints_help(runner):
    result = run(runner)
    assert result.exit_code == 0 and "Commands" in result.stdout


def test_corpus_from_environment_variable(runner, monkeypatch):
    monkeypatch.setenv("THERAFAQ_CORPUS", str(MINI_CORPUS))
    assert "fern-water" in run(runner, "list").stdout


def test_broken_corpus_gives_one_message_and_exit_2(runner, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"version": 1, "entries": [')
    for command in (["ask", "fern"], ["topics"], ["list"], ["show", "x"], ["eval", str(broken)]):
        result = run(runner, *command, "--corpus", str(broken))
        assert result.exit_code == 2, command
        assert result.stderr.startswith(f"therafaq: error: cannot use corpus {broken}")
        assert "Traceback" not in result.output and result.stdout == ""


def test_validate_lists_every_problem(runner, tmp_path, mini_document):
    assert run(runner, "validate", str(MINI_CORPUS)).stdout.strip().endswith("valid, 4 entries in 2 topics")
    mini_document["entries"][0]["answer"] = ""
    mini_document["entries"][1]["related"] = ["ghost"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(mini_document))
    result = run(runner, "validate", str(path))
    assert result.exit_code == 2
    assert "2 problem(s)" in result.stdout
    assert "entry 'dog-walks' (#0) field 'answer'" in result.stdout
    assert "unknown entry id 'ghost'" in result.stdout


def test_schema_describes_the_format(runner):
    schema = json.loads(run(runner, "schema").stdout)
    assert schema["required"] == ["version", "topics", "entries"]
    entry = schema["properties"]["entries"]["items"]
    assert set(entry["required"]) == {"id", "topic", "question", "alternates", "answer", "sources"}


def test_eval_reports_figures_and_misses(runner, tmp_path):
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text(
        '{"q": "walk my dog", "expect": "dog-walks"}\n'
        '{"q": "fern light", "expect": "fern-water"}\n'
        '{"q": "best pizza", "expect": null}\n'
    )
    result = run(runner, "eval", str(labelled), *MINI)
    assert result.exit_code == 0
    assert result.stdout.startswith("Misses (1):\n  'fern light'\n    expected fern-water, got fern-light")
    report = json.loads(run(runner, "eval", "--json", str(labelled), *MINI).stdout)
    assert report["top1_accuracy"] == 0.5 and report["rejection"] == 1.0
    assert report["covered"] == 2 and report["uncovered"] == 1
    assert [m["q"] for m in report["misses"]] == ["fern light"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"q": "a", "expect": null}\nnot json\n', "line 2: not valid JSON"),
        ('{"q": "a", "expect": "no-such-id"}\n', "line 1: unknown entry id"),
        ('{"question": "a"}\n', "line 1: expected"),
        ('{"q": "walk my dog", "expect": "dog-walks"}\n{"q": "a"}\n', "line 2: no 'expect'"),
        ("\n\n", "no questions"),
    ],
)
def test_eval_bad_file_names_the_line(runner, tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    result = run(runner, "eval", str(path), *MINI)
    assert result.exit_code == 2 and message in result.stderr


def test_eval_says_n_a_for_figures_no_question_stands_behind(runner, tmp_path):
    path = tmp_path / "uncovered.jsonl"
    path.write_text('{"q": "best pizza", "expect": null}\n')
    plain = run(runner, "eval", str(path), *MINI).stdout
    assert "top-1 accuracy                  n/a" in plain and "rejection (uncovered)           1.000" in plain
    report = json.loads(run(runner, "eval", "--json", str(path), *MINI).stdout)
    assert report["top1_accuracy"] is None and report["rejection"] == 1.0


def test_markup_and_escape_sequences_stay_inert(runner, tmp_path, mini_document):
    mini_document["entries"][3]["answer"] = "Water it [bold red]now[/] \x1b[31mred\x1b[0m \x1b]8;;http://x\x07link\x07"
    mini_document["entries"][3]["question"] = "How often should I water a fern? [link=http://evil]x[/link]"
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(mini_document))
    for mode in (["--plain"], ["--json"]):
        result = run(runner, "ask", *mode, "water a fern", "--corpus", str(path))
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        assert "[bold red]now[/]" in result.stdout
        assert "[link=http://evil]" in result.stdout
    record = json_lines(run(runner, "ask", "--json", "water a fern", "--corpus", str(path)).stdout)[0]
    assert "\x1b[31m" in record["matches"][0]["answer"], "JSON keeps the data, escaped"


def test_disclaimer_text():
    assert "not professional advice" in DISCLAIMER and "therapist" in DISCLAIMER


def test_a_runner_up_within_a_few_points_is_shown_as_also_close(runner):
    question = "how much light and water does a fern need"
    record = json.loads(run(runner, "ask", "--json", question, *MINI).stdout)
    assert record["matches"][0]["id"] == "fern-light"
    assert record["also_close"] == {"id": "fern-water", "question": "How often should I water a fern?", "score": 75.1}
    plain = run(runner, "ask", "--plain", question, *MINI).stdout
    assert "Also close: How often should I water a fern? [fern-water, match 75/100]" in plain
    assert "also_close" not in json.loads(run(runner, "ask", "--json", "fern light", *MINI).stdout)


def test_a_close_call_between_two_entries_offers_both_instead_of_answering(runner):
    record = json.loads(run(runner, "ask", "--json", "fern water light", *MINI).stdout)
    assert record["answered"] is False and record["close_call"] is True
    assert [m["id"] for m in record["matches"]] == ["fern-light"], "the best, as with any suggestion at --top 1"
    plain = run(runner, "ask", "--plain", "fern water light", *MINI).stdout
    assert "The first two are too close to choose between. Did you mean:\n  1. How much light" in plain
    assert "[fern-light]\n  2. How often should I water a fern? [fern-water]" in plain
    clear = json.loads(run(runner, "ask", "--json", "how much light and water does a fern need", *MINI).stdout)
    assert clear["answered"] is True and "close_call" not in clear, "a close call that scores high enough"
    assert "close_call" not in json.loads(
        run(runner, "ask", "--json", "fern sunlight", "--min-score", "90", *MINI).stdout
    )


def test_explain_names_the_unknown_words_and_the_margin(runner):
    record = json.loads(run(runner, "ask", "--json", "--explain", "how much light does a fern need", *MINI).stdout)
    explained = record["matches"][0]["explain"]
    assert explained["unknown_words"] == [] and explained["margin"] > 0
    plain = run(runner, "ask", "--plain", "--explain", "how much sunlight does a potted fern need", *MINI).stdout
    assert "words the corpus does not have: pot" in plain and "ahead of the next entry by" in plain


@pytest.mark.parametrize(
    ("question", "more", "why"),
    [
        ("fern sunlight", ["--min-score", "90"], "  the closest entry scores 86.2; an answer needs 90\n"),
        (
            "fern water light",
            [],
            "  the closest entry scores 61.9, but the next is only 0.1 behind, and so close a call needs "
            f"{DEFAULT_MIN_SCORE + CLOSE_CALL_EXTRA:g}\n",
        ),
        ("zebra quantum", [], "  no entry scores 30 or more"),
        ("zebra quantum", ["--min-score", "10"], "  no entry scores 10 or more"),  # the line, when it is lower
        (
            "fern sunlight",
            ["--topic", "pets"],
            "  no entry in the topic asked for scores 30 or more\n  outside it, fern-light scores 86.2",
        ),
    ],
)
def test_explain_says_why_there_is_no_answer(runner, question, more, why):
    plain = run(runner, "ask", "--plain", "--explain", question, *more, *MINI).stdout
    assert "Why no answer:\n" + why in plain


@pytest.mark.parametrize("question", ["fern sunlight", "zebra quantum"])  # a close entry, and none at all
def test_explain_in_json_gives_the_line_an_answer_had_to_reach(runner, question):
    record = json.loads(run(runner, "ask", "--json", "--explain", question, "--min-score", "90", *MINI).stdout)
    assert record["answered"] is False
    assert record["min_score"] == 90.0 and record["outside"] == []


def test_plain_batch_output_leads_each_answer_with_its_question(runner):
    out = run(runner, "ask", "-", "--plain", *MINI, input="walk my dog\nfern light\n").stdout
    first, second = out.split("=" * 72 + "\n")
    assert first.startswith("Question: walk my dog\n") and "[dog-walks" in first
    assert second.startswith("Question: fern light\n") and "[fern-light" in second
    records = json_lines(run(runner, "ask", "-", "--json", *MINI, input="walk my dog\nfern light\n").stdout)
    assert [r["query"] for r in records] == ["walk my dog", "fern light"], "JSON unchanged"


def test_a_bare_ask_fed_by_a_pipe_reads_it_as_ask_dash(runner):
    result = run(runner, "ask", "--json", *MINI, input="walk my dog\n")
    assert result.exit_code == 0
    assert json_lines(result.stdout)[0]["matches"][0]["id"] == "dog-walks"


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version_flags(runner, flag):
    assert run(runner, flag).stdout == f"therafaq {__version__}\n"


def test_help_command_shows_the_app_or_one_command(runner):
    assert "Commands" in run(runner, "help").stdout
    assert run(runner, "help", "ask").stdout.startswith("Usage: therafaq ask [OPTIONS]")
    unknown = run(runner, "help", "aks")
    assert unknown.exit_code == 2 and "did you mean: ask" in unknown.stderr


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        (["--color", "always"], {}, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {}, False),  # piped, auto: plain text
    ],
)
def test_color_choice_and_force_color(runner, args, env, coloured):
    result = run(runner, *args, "ask", "walk my dog", *MINI, env=env)
    assert ("\x1b[" in result.stdout) is coloured
    assert ("\u256d" in result.stdout) is coloured  # Rich's panel, not plain text


def test_an_unknown_topic_suggests_the_nearest(runner):
    result = run(runner, "list", "--topic", "plnts", *MINI)
    assert result.exit_code == 2 and "did you mean: plants" in result.stderr


def test_ids_and_topics_are_case_insensitive(runner):
    assert json.loads(run(runner, "show", "Dog-Walks", "--json", *MINI).stdout)["id"] == "dog-walks"
    listed = json.loads(run(runner, "list", "--topic", "PLANTS", "--json", *MINI).stdout)
    assert [e["id"] for e in listed] == ["fern-light", "fern-water"]


def test_several_matches_show_the_best_in_full_and_the_rest_briefly(runner):
    brief = run(runner, "ask", "--plain", "-n", "3", "fern", *MINI, "--min-score", "10").stdout
    assert brief.count("Sources:") == 1, "only the best match in full"
    assert "[fern-light, match" in brief or "[fern-water, match" in brief
    full = run(runner, "ask", "--plain", "-n", "3", "--full", "fern", *MINI, "--min-score", "10").stdout
    assert full.count("Sources:") >= 2
