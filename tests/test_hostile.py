"""Hostile and broken input: blank, huge and undecodable questions, broken
corpus files, markup and escape sequences, and property-based tests.

Ctrl-C and closed pipes are covered in test_process.py.
"""

from __future__ import annotations

import copy
import io
import json
import operator
import os
import pty
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rich.console import Console

from therafaq import corpus_file as corpus_module
from therafaq import rich_render
from therafaq.answering import MAX_QUESTION_CHARS, Answerer
from therafaq.corpus import Corpus, CorpusError
from therafaq.corpus_file import load_corpus
from therafaq.json_render import answer_dict, answer_json, to_json
from therafaq.render import plain_answer, plain_entry, plain_list, plain_topics
from therafaq.risk import MAX_CHECKED_CHARS, _between_words, default_check

from .conftest import MINI, MINI_CORPUS, json_lines, run

COMMAND = [sys.executable, "-m", "therafaq"]
MINI_DOCUMENT = json.loads(MINI_CORPUS.read_text(encoding="utf-8"))
# 6 MB of filler ("word" itself leans a little towards crisis in the word model: "last words").
HUGE = "lorem " * 1_000_000 + "walk my dog"
CUT_WARNING = f"therafaq: warning: question cut to its first {MAX_QUESTION_CHARS} characters"

ANSWER_KEYS = {"query", "answered", "crisis", "risk", "matches"}
OPTIONAL_ANSWER_KEYS = {
    "resources",
    "support",
    "help",
    "truncated",
    "also_close",
    "unknown_words",
    "elsewhere",
    "notes",
    "min_score",  # these two with --explain
    "outside",
}
MATCH_KEYS = {"id", "topic", "question", "answer", "score", "sources", "signposts", "related"}

# Escape sequences a hostile corpus or question may carry, and what must show instead.
ESCAPES = {
    "\x1b[31m": "\u241b[31m",  # colour
    "\x1b[2J": "\u241b[2J",  # clear the screen
    "\x1b]8;;http://evil.example\x07": "\u241b]8;;http://evil.example\u2407",  # OSC 8 hyperlink
    "\x07": "\u2407",  # bell
    "\x9b1A": "<U+009B>1A",  # C1 control sequence introducer: cursor up
    "\u202e": "<U+202E>",  # right-to-left override
    "\u2067": "<U+2067>",  # right-to-left isolate
    "\u200b": "<U+200B>",  # zero-width space, hides a word's change
    "\u200f": "<U+200F>",  # right-to-left mark
    "\ufeff": "<U+FEFF>",  # zero-width no-break space
}
PAYLOAD = "".join(ESCAPES)
MARKUP = ("[bold]", "[link=http://evil.example]", "[/link]", ":warning:")


def write_corpus(path: Path, document) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def assert_inert(output: str) -> None:
    """No payload sequence reached the output; its visible form did."""
    for sequence in ESCAPES:
        assert sequence not in output, repr(sequence)
    assert "\x07" not in output and "\x9b" not in output
    assert ESCAPES["\x1b[31m"] in output and ESCAPES["\x07"] in output


# Questions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["ask", " ", "\t", "\n"], None),
        (["ask", "--json", "\u3000\u00a0"], None),
        (["ask", "--plain", "-"], " \n\t\r\n\u3000\n"),
        (["ask", "--json", "-"], ""),
    ],
)
def test_blank_questions_are_usage_errors(runner, args, stdin):
    result = run(runner, *args, *MINI, input=stdin)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("therafaq: error: ") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("mode", ["--json", "--plain"])
def test_a_question_of_megabytes_is_cut_with_a_warning(runner, mode):
    result = run(runner, "ask", mode, HUGE, *MINI)
    assert result.exit_code in (0, 1)
    assert result.stderr.splitlines() == [CUT_WARNING]
    if mode == "--json":
        [record] = json_lines(result.stdout)
        assert record["truncated"] is True and len(record["query"]) == MAX_QUESTION_CHARS
    else:
        assert len(result.stdout) < 10_000


def test_megabyte_lines_on_stdin_are_cut_and_the_batch_goes_on(runner):
    result = run(runner, "ask", "--json", "-", *MINI, input=f"{HUGE}\nwalk my dog\n{HUGE}\n")
    records = json_lines(result.stdout)
    assert [r.get("truncated", False) for r in records] == [True, False, True]
    assert records[1]["answered"] is True
    assert result.stderr.splitlines() == [CUT_WARNING, CUT_WARNING]


def test_a_megabyte_stdin_line_in_a_real_process():
    process = subprocess.run(
        [*COMMAND, "ask", "--plain", "-", *MINI], input=HUGE.encode(), capture_output=True, timeout=60
    )
    assert process.returncode in (0, 1)
    assert process.stderr.decode().splitlines() == [CUT_WARNING]


@pytest.mark.parametrize(
    "question",
    [
        "I want to kill myself. " + "word " * 1_000_000,
        "word " * 1_000_000 + "I want to kill myself",
        "x" * 10_000_000 + " I want to die",
    ],
)
def test_a_crisis_at_either_end_of_a_huge_question_is_seen(runner, question):
    result = run(runner, "ask", "--json", question, *MINI)
    assert result.exit_code == 3
    [record] = json_lines(result.stdout)
    assert record["crisis"] is True and len(record["query"]) == MAX_QUESTION_CHARS


def test_the_risk_check_reads_a_whole_message_up_to_its_bound_and_both_ends_beyond():
    check = default_check()
    phrase = "I want to die"
    story = "We talked about my week and my job. " * (100_000 // 36)
    assert check.assess(story + phrase + ". " + story).crisis, "a pasted 200 kB story is read in full"
    filler = "word " * (MAX_CHECKED_CHARS // 5)
    middle = filler[: MAX_CHECKED_CHARS // 2 - 50] + phrase + " " + filler[: MAX_CHECKED_CHARS // 2 - 50]
    assert len(middle) < MAX_CHECKED_CHARS and check.assess(middle).crisis
    assert check.assess(phrase + " " + filler * 3).crisis and check.assess(filler * 3 + " " + phrase).crisis
    assert check.assess(filler * 3) is None


@pytest.mark.parametrize(
    ("head", "tail", "read"),
    [
        ("ab cd lor", "em ef gh", "ab cd\nef gh"),  # "lor" and "em" are not words anyone wrote
        ("ab\ncd", "ef\tgh", "ab\ngh"),
        ("abcdef", "ghij", "abcdef\nghij"),  # no space to cut at: kept whole
    ],
)
def test_a_message_too_long_to_read_whole_is_cut_between_words(head, tail, read):
    assert _between_words(head, tail) == read


UNDECODABLE = b"walk my dog \xff\xfe \xc3( \xed\xa0\x80"


@pytest.mark.parametrize("encoding", ["utf-8:strict", "utf-8:surrogateescape"])
def test_undecodable_bytes_in_a_real_process_are_replaced(encoding):
    """stdin is read as bytes; argv arrives with lone surrogates. Either way
    the output is valid UTF-8 JSON Lines, whatever the locale's error mode."""
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    from_stdin = subprocess.run(
        [*COMMAND, "ask", "--json", "-", *MINI], input=UNDECODABLE + b"\n", capture_output=True, env=env, timeout=30
    )
    from_argv = subprocess.run(
        [*COMMAND, "ask", "--json", UNDECODABLE, *MINI], capture_output=True, env=env, timeout=30
    )
    for process in (from_stdin, from_argv):
        assert process.returncode == 0, process.stderr.decode(errors="replace")
        [record] = json_lines(process.stdout.decode("utf-8"))
        assert record["query"].startswith("walk my dog \ufffd") and record["answered"] is True
        assert not re.search("[\ud800-\udfff]", record["query"])


def test_undecodable_argv_in_plain_and_rich_output_is_shown_not_crashed():
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    question = b"zzqx \xff"
    process = subprocess.run([*COMMAND, "ask", "--plain", question, *MINI], capture_output=True, env=env, timeout=30)
    assert process.returncode == 1, process.stderr.decode(errors="replace")
    assert "No confident answer for: 'zzqx \ufffd'" in process.stdout.decode("utf-8")


def test_lone_surrogates_in_a_question_become_replacement_characters(mini):
    answer = Answerer(mini).answer("walk my dog \udcff \ud800")
    assert answer.query == "walk my dog \ufffd \ufffd" and answer.answered
    to_json(answer_dict(answer)).encode("utf-8")


def test_json_escapes_delete_and_other_characters_a_terminal_acts_on():
    line = to_json({"q": "a\x7f b\x85 c\u2028 d\u202e"})
    assert "\x7f" not in line and "\\u007f" in line
    assert json.loads(line) == {"q": "a\x7f b\x85 c\u2028 d\u202e"}


@pytest.mark.parametrize(
    "question", ["walk my dog " * 400, "I want to kill myself", "zzqx", "walk my dog \u2028\x85 \u202e fern"]
)
def test_batch_json_is_the_same_text_as_the_answer_dict(mini, question):
    answer = Answerer(mini).answer(question, top=3)
    assert answer_json(answer) == to_json(answer_dict(answer))


@pytest.mark.parametrize("top", ["-1", "21", "9" * 30, "1e3", "1.5", "nan", ""])
def test_negative_or_absurd_top_is_a_usage_error(runner, top):
    result = run(runner, "ask", "--top", top, "walk my dog", *MINI)
    assert result.exit_code == 2 and result.stdout == ""
    assert "--top" in result.stderr


def test_nan_min_score_is_a_usage_error(runner):
    assert run(runner, "ask", "--min-score", "nan", "walk my dog", *MINI).exit_code == 2


@pytest.mark.parametrize(
    "entry_id",
    ["/etc/passwd", "..", "./fern-water", "fern-water/", "C:\\corpus.json", "", "x" * 100_000, "\x1b[2J\x07"],
)
def test_show_with_a_path_like_or_unknown_id_exits_2(runner, entry_id):
    result = run(runner, "show", entry_id, *MINI)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("therafaq: error: no entry with id ")
    if "\x1b" in entry_id:
        assert "\u241b[2J\u2407" in result.stderr, "shown, not stripped"


def test_show_does_not_read_a_file_named_as_the_id(runner, tmp_path):
    other = write_corpus(tmp_path / "fern-water", MINI_DOCUMENT)
    result = run(runner, "show", str(other), *MINI)
    assert result.exit_code == 2 and "no entry with id" in result.stderr


# Broken corpus files --------------------------------------------------------------------


def _mutated(change):
    document = copy.deepcopy(MINI_DOCUMENT)
    change(document)
    return json.dumps(document).encode()


BROKEN_CORPORA = {
    "truncated": (MINI_CORPUS.read_bytes()[:300], "not valid JSON"),
    "empty file": (b"", "not valid JSON"),
    "not JSON": (b"version = 1\n[entries]\n", "not valid JSON"),
    "not text": (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8"),
    "a list": (b"[1, 2, 3]", "expected a JSON object"),
    "a string": (b'"corpus"', "expected a JSON object"),
    "no entries or topics": (b'{"version": 1}', "expected a list of entry objects"),
    "entries not a list": (_mutated(lambda d: d.update(entries={"a": 1})), "expected a list of entry objects"),
    "wrong version": (_mutated(lambda d: d.update(version="1")), "expected 1, got '1'"),
    "version true": (_mutated(lambda d: d.update(version=True)), "expected 1, got True"),
    "duplicate entry ids": (_mutated(lambda d: d["entries"].append(d["entries"][0])), "duplicate entry id"),
    "duplicate topic ids": (_mutated(lambda d: d["topics"].append(d["topics"][0])), "duplicate topic id"),
    "dangling related id": (_mutated(lambda d: d["entries"][0].update(related=["ghost"])), "unknown entry id 'ghost'"),
    "empty answer": (_mutated(lambda d: d["entries"][2].update(answer="")), "field 'answer': expected non-empty"),
    "blank answer": (_mutated(lambda d: d["entries"][2].update(answer=" \n\t")), "field 'answer': expected non-empty"),
    "nested too deeply": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
}
COMMANDS = [["ask", "walk my dog"], ["list"], ["topics"], ["show", "dog-walks"], ["ask", "--json", "-"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
@pytest.mark.parametrize("case", BROKEN_CORPORA)
def test_a_broken_corpus_gives_one_message_naming_the_file(runner, tmp_path, case, command):
    content, problem = BROKEN_CORPORA[case]
    path = tmp_path / "clinic-faq.json"
    path.write_bytes(content)
    result = run(runner, *command, "--corpus", str(path), input="walk my dog\n")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"therafaq: error: cannot use corpus {path}:\n")
    assert result.stderr.count("therafaq:") == 1
    assert problem in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("case", BROKEN_CORPORA)
def test_validate_names_the_file_and_the_problem(runner, tmp_path, case):
    content, problem = BROKEN_CORPORA[case]
    path = tmp_path / "clinic-faq.json"
    path.write_bytes(content)
    result = run(runner, "validate", str(path))
    assert result.exit_code == 2
    assert result.output.startswith(f"{path}: ") and problem in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [*COMMANDS, ["validate"]], ids=lambda c: " ".join(c))
def test_a_huge_corpus_is_refused_before_it_is_read(runner, tmp_path, monkeypatch, command):
    monkeypatch.setattr(corpus_module, "MAX_CORPUS_BYTES", 1000)
    path = write_corpus(tmp_path / "huge.json", MINI_DOCUMENT)
    if command == ["validate"]:
        result = run(runner, "validate", str(path))
        assert result.exit_code == 2 and "the limit is" in result.output
        return
    result = run(runner, *command, "--corpus", str(path), input="walk my dog\n")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"therafaq: error: cannot use corpus {path}:\n")
    assert "bytes; the limit is" in result.stderr


@pytest.mark.parametrize("where", ["option", "environment"])
@pytest.mark.parametrize("name", ["missing.json", "a-directory"])
def test_a_missing_corpus_or_a_directory_is_a_clear_error(runner, tmp_path, monkeypatch, where, name):
    path = tmp_path / name
    if name == "a-directory":
        path.mkdir()
    if where == "environment":
        monkeypatch.setenv("THERAFAQ_CORPUS", str(path))
        result = run(runner, "list")
    else:
        result = run(runner, "list", "--corpus", str(path))
    assert result.exit_code == 2 and result.stdout == ""
    assert str(path) in result.stderr and "Traceback" not in result.stderr


def test_a_corpus_with_hundreds_of_problems_shows_a_bounded_message(runner, tmp_path):
    document = copy.deepcopy(MINI_DOCUMENT)
    document["entries"] = [{"id": f"e{n}"} for n in range(500)]
    path = write_corpus(tmp_path / "many.json", document)
    result = run(runner, "list", "--corpus", str(path))
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) <= 25
    assert f"see: therafaq validate {path}" in result.stderr
    assert run(runner, "validate", str(path)).stdout.count("\n") > 500


def test_a_corpus_with_a_byte_order_mark_loads(tmp_path):
    path = tmp_path / "notepad.json"
    path.write_bytes(b"\xef\xbb\xbf" + MINI_CORPUS.read_bytes())
    assert len(load_corpus(path).entries) == 4


# Markup and control sequences stay inert ------------------------------------------------------


@pytest.fixture
def hostile(tmp_path) -> Corpus:
    """The mini corpus with markup and escape sequences in every kind of text."""
    document = copy.deepcopy(MINI_DOCUMENT)
    document["topics"][1]["title"] = f"Plants {MARKUP[0]} {PAYLOAD}"
    document["topics"][1]["description"] = f"About plants {MARKUP[1]}x{MARKUP[2]} {PAYLOAD}"
    fern = document["entries"][3]
    fern["question"] = f"How often should I water a fern? {MARKUP[1]}click{MARKUP[2]} {PAYLOAD}"
    fern["answer"] = f"Water it {MARKUP[0]}now[/bold] {MARKUP[3]} {PAYLOAD} done.\n\n- a bullet {PAYLOAD}"
    fern["sources"] = [{"title": f"Fern {PAYLOAD}", "publisher": f"{MARKUP[0]}Press"}]
    document["entries"][2]["answer"] = f"Bright light. {PAYLOAD}"
    return load_corpus(write_corpus(tmp_path / "hostile.json", document))


@pytest.mark.parametrize(
    "command",
    [["ask", "--plain", "water a fern"], ["show", "fern-water"], ["topics"], ["list"]],
    ids=lambda c: " ".join(c),
)
@pytest.mark.parametrize("mode", [[], ["--json"]])
def test_lone_surrogates_in_a_corpus_are_shown_not_crashed(runner, tmp_path, command, mode):
    """JSON may escape a lone surrogate ("\\ud800"), which no stream can encode."""
    document = copy.deepcopy(MINI_DOCUMENT)
    document["topics"][1]["title"] = "Plants \udcff"
    document["entries"][3]["question"] = "How often should I water a fern \ud800?"
    path = write_corpus(tmp_path / "surrogates.json", document)
    result = run(runner, *command, *mode, "--corpus", str(path))
    assert result.exit_code == 0
    if mode:
        assert "\\ud800" in result.stdout or "\\udcff" in result.stdout
    else:
        assert "<U+D800>" in result.stdout or "<U+DCFF>" in result.stdout
    corpus = load_corpus(path)
    render_rich(rich_render.entries_table(corpus, corpus.topics), rich_render.topics_table(corpus)).encode("utf-8")


def render_rich(*renderables) -> str:
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor", width=200)
    for renderable in renderables:
        console.print(renderable)
    return console.file.getvalue()


def test_rich_views_show_markup_literally_and_escapes_visibly(hostile):
    answerer = Answerer(hostile)
    answered = answerer.answer("how often should I water a fern", top=3)
    unanswered = answerer.answer(f"zzqx {PAYLOAD} {MARKUP[1]}qq{MARKUP[2]}", topic="pets")
    crisis = answerer.answer("I want to die")
    assert answered.answered and not unanswered.answered and crisis.crisis
    output = render_rich(
        rich_render.answer_view(answered, hostile, explain=True),
        rich_render.answer_view(unanswered, hostile),
        rich_render.answer_view(crisis, hostile),
        rich_render.topics_table(hostile),
        rich_render.entries_table(hostile, hostile.topics),
        *(rich_render.entry_panel(entry, hostile) for entry in hostile.entries),
        rich_render.disclaimer(answerer.footer_line()),
    )
    assert "\x1b[" in output, "Rich styles its own output"
    assert_inert(output)
    for markup in MARKUP:
        assert markup in output
    assert "\u26a0" not in output, "no emoji codes"
    without_styling = re.sub(r"\x1b\[[0-9;]*m", "", output)
    assert "\x1b" not in without_styling


@pytest.mark.parametrize(
    "command",
    [["ask", "water a fern"], ["ask", "--explain", "water a fern"], ["list"], ["topics"], ["show", "fern-water"]],
    ids=lambda c: " ".join(c),
)
@pytest.mark.parametrize("mode", ["--plain", "--json"])
def test_plain_and_json_output_of_a_hostile_corpus_is_inert(runner, hostile, command, mode):
    result = run(runner, *command, mode, "--corpus", hostile.path)
    assert result.exit_code == 0
    for sequence in ESCAPES:
        assert sequence not in result.stdout
    if mode == "--plain":
        assert_inert(result.stdout)
        assert MARKUP[0] in result.stdout
    else:
        json.loads(result.stdout)
        assert "\\u001b[31m" in result.stdout and "\\u009b1A" in result.stdout, "JSON keeps the data, escaped"


@pytest.mark.parametrize("mode", ["--plain", "--json"])
def test_a_hostile_question_and_topic_stay_inert(runner, mode):
    result = run(runner, "ask", mode, f"zzqx {PAYLOAD} {MARKUP[1]}", *MINI)
    assert result.exit_code == 1
    for sequence in ESCAPES:
        assert sequence not in result.stdout
    assert MARKUP[1] in result.stdout
    result = run(runner, "ask", "--topic", PAYLOAD, "walk my dog", *MINI)
    assert result.exit_code == 2
    assert_inert(result.stderr)


def run_in_terminal(args: list[str]) -> tuple[int, str]:
    """Run therafaq with a pseudo-terminal as stdout and stderr, so it
    chooses Rich and nothing strips escape sequences on the way."""
    primary, secondary = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", "COLUMNS": "200"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen([*COMMAND, *args], stdin=subprocess.DEVNULL, stdout=secondary, stderr=secondary, env=env)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the terminal is gone once the process has exited
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    return process.wait(timeout=30), b"".join(chunks).decode("utf-8")


@pytest.mark.parametrize(
    "command",
    [
        ["ask", "water a fern"],
        ["ask", "--topic", "pets", f"zzqx {PAYLOAD} {MARKUP[1]}"],
        ["list"],
        ["topics"],
        ["show", "fern-water"],
    ],
    ids=["answer", "hostile question", "list", "topics", "show"],
)
def test_rich_output_on_a_real_terminal_is_inert(hostile, command):
    code, output = run_in_terminal([*command, "--corpus", hostile.path])
    assert code == (1 if "zzqx" in command[-1] else 0) and "Traceback" not in output
    assert "\x1b[" in output, "a terminal gets Rich output"
    assert_inert(output)
    assert any(markup in output for markup in MARKUP)


def test_a_corpus_path_with_escape_sequences_reaches_the_terminal_inert(tmp_path):
    path = tmp_path / "evil\x1b[2J.json"
    path.write_text("not json")
    code, output = run_in_terminal(["list", "--corpus", str(path)])
    assert code == 2 and "cannot use corpus" in output
    assert "\x1b[2J" not in output


# Property-based tests ------------------------------------------------------------------------

ANSWERER = Answerer(load_corpus(MINI_CORPUS))
BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

_CHARS = st.characters(exclude_categories=("Cs",))
_WORDS = [
    *"how often should i walk my dog water a fern cat scratch sofa light".split(),
    "kill myself",
    "die",
    "I'd",
    "\x1b[31m",
    "\x1b]8;;http://x\x07",
    "[bold]",
    "\u202e",
    "\r",
    "\n",
    "\x00",
    "\u2028",
    "\x85",
    "-",
    "--",
    ".",
    "?",
]
QUESTIONS = st.one_of(
    st.text(_CHARS, max_size=300),
    st.lists(st.sampled_from(_WORDS), max_size=40).map(" ".join),
    st.builds(operator.mul, st.text(_CHARS, min_size=1, max_size=12), st.integers(1, 3000)),
)


def check_record(record: dict, question: str) -> None:
    assert set(record) - OPTIONAL_ANSWER_KEYS == ANSWER_KEYS
    assert ("resources" in record) is ("support" in record) is (record["risk"] is not None)
    assert record["crisis"] is (record["risk"] == "crisis")
    assert record.get("truncated", False) is (len(question.strip()) > MAX_QUESTION_CHARS)
    assert len(record["query"]) <= MAX_QUESTION_CHARS
    for match in record["matches"]:
        assert set(match) - {"explain"} == MATCH_KEYS and 0 <= match["score"] <= 100


@BOUNDED
@given(question=QUESTIONS, top=st.integers(1, 20))
def test_any_question_gets_an_answer_in_every_output(question, top):
    answer = ANSWERER.answer(question, top=top)
    line = to_json(answer_dict(answer, explain=True))
    assert len(line.splitlines()) == 1
    check_record(json.loads(line), question)
    assert answer_json(answer) == to_json(answer_dict(answer))
    assert len(answer.matches) <= top
    plain = plain_answer(answer, ANSWERER.corpus, 80, explain=True)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", plain)
    assert "\x1b" not in re.sub(r"\x1b\[[0-9;]*m", "", render_rich(rich_render.answer_view(answer, ANSWERER.corpus)))


@BOUNDED
@given(question=QUESTIONS)
def test_ask_json_gives_one_valid_json_line_per_question(runner, question):
    assume(question != "-")
    result = run(runner, "ask", "--json", *MINI, "--", question)
    if not question.strip():
        assert result.exit_code == 2 and result.stdout == ""
        return
    assert result.exit_code in (0, 1, 3)
    assert result.stdout.endswith("\n") and result.stdout.count("\n") == len(result.stdout.splitlines()) == 1
    check_record(json.loads(result.stdout), question)


@BOUNDED
@given(text=QUESTIONS)
def test_ask_json_from_stdin_gives_one_line_per_non_blank_input_line(runner, text):
    result = run(runner, "ask", "--json", "-", *MINI, input=text.encode("utf-8"))
    lines = [line for line in text.replace("\r", "\n").split("\n") if line.strip()]  # a bare CR ends a line too
    if not lines:
        assert result.exit_code == 2 and result.stdout == ""
        return
    assert result.exit_code in (0, 1, 3)
    records = [json.loads(line) for line in result.stdout.split("\n")[:-1]]
    assert len(records) == len(result.stdout.splitlines()) == len(lines)
    for record, line in zip(records, lines, strict=True):
        check_record(record, line)


# Corpus mutations.

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)


def _paths(value, prefix=()):
    """Every place in a JSON document that can be changed or deleted."""
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield (*prefix, key)
        yield from _paths(child, (*prefix, key))


@st.composite
def mutated_documents(draw):
    document = copy.deepcopy(MINI_DOCUMENT)
    for _ in range(draw(st.integers(1, 4))):
        paths = list(_paths(document))
        if not paths:
            break
        *parents, key = draw(st.sampled_from(paths))
        container = document
        for parent in parents:
            container = container[parent]
        action = draw(st.sampled_from(["delete", "replace", "retype", "duplicate", "add key"]))
        if action == "delete":
            del container[key]
        elif action == "replace":
            container[key] = draw(JSON_VALUES)
        elif action == "retype":
            old = container[key]
            container[key] = draw(st.sampled_from([str(old), [old], {"value": old}, None, 0, True, ""]))
        elif action == "duplicate" and isinstance(container, list):
            container.insert(key, copy.deepcopy(container[key]))
        elif action == "add key" and isinstance(container[key], dict):
            container[key][draw(st.text(max_size=8))] = draw(JSON_VALUES)
    return document


def check_loaded_corpus_works(corpus: Corpus) -> None:
    """A corpus that loads must also answer, render and list without error."""
    answerer = Answerer(corpus)
    for question in ("how often should I water a fern", "walk my dog", "zzqx"):
        answer = answerer.answer(question, top=3)
        json.loads(to_json(answer_dict(answer, explain=True)))
        assert answer_json(answer) == to_json(answer_dict(answer))
        plain_answer(answer, corpus, 60, explain=True)
        render_rich(rich_render.answer_view(answer, corpus, explain=True))
    plain_topics(corpus)
    plain_list(corpus, corpus.topics)
    for entry in corpus.entries:
        plain_entry(entry, corpus, 60)
    render_rich(rich_render.topics_table(corpus), rich_render.entries_table(corpus, corpus.topics))


@BOUNDED
@given(document=mutated_documents())
def test_a_mutated_corpus_loads_or_is_rejected_with_a_corpus_error(document):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        try:
            corpus = load_corpus(path)
        except CorpusError as error:
            assert error.path == str(path) and error.problems
            assert all(problem.where and problem.message for problem in error.problems)
            return
    check_loaded_corpus_works(corpus)


@BOUNDED
@given(data=st.data())
def test_a_cut_or_corrupted_corpus_file_is_rejected_with_a_corpus_error(data):
    original = json.dumps(MINI_DOCUMENT).encode()
    cut = data.draw(st.integers(0, len(original) - 1))
    content = bytearray(original[:cut])
    for _ in range(data.draw(st.integers(0, 3))):
        if content:
            content[data.draw(st.integers(0, len(content) - 1))] = data.draw(st.integers(0, 255))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cut.json"
        path.write_bytes(bytes(content))
        with pytest.raises(CorpusError) as raised:
            load_corpus(path)
    assert raised.value.path == str(path)
