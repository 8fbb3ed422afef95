"""Answering a file of questions on several CPUs: same output, in order, as one process."""

import io
import itertools
import json
import os
import subprocess
import sys
import textwrap

import pytest

from therafaq import batch

QUESTIONS = [
    "can I hug my therapist?",
    "do therapists have favorite clients",
    "how do I renew my passport",
    "why wont my therapist be my friend",
    "does my therapist think about me between sessions?",
    "is it ok to cry in therapy",
]

# Runs therafaq as its console script does, with the CPU count and part size
# made small enough that a short file is always split (whatever CI's CPUs).
SPLIT_RUN = textwrap.dedent(
    """
    import sys
    from therafaq import batch
    batch._cpus = lambda: 3
    batch.MIN_PART_BYTES = 2000
    assert len(batch.split(sys.stdin)) == 3, "the input was not split"
    {setup}
    from therafaq.cli import main
    sys.argv = ["therafaq", "ask", *{options!r}, "-"]
    main()
    """
)


def write_lines(path, lines, ending="\n"):
    path.write_bytes(ending.join(lines).encode("utf-8") + ending.encode())
    return path


def many_questions(count):
    return [f"{QUESTIONS[n % len(QUESTIONS)]} ({n})" for n in range(count)]


def run_therafaq(script_args, stdin_path, setup="", options=("--json",)):
    with open(stdin_path, "rb") as source:
        return subprocess.run(
            [sys.executable, "-c", SPLIT_RUN.format(setup=setup, options=list(options)), *script_args],
            stdin=source,
            capture_output=True,
            text=True,
            timeout=120,
        )


def run_piped(lines, options=("--json",), env=None):
    return subprocess.run(
        [sys.executable, "-m", "therafaq", "ask", *options, "-"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_split_refuses_streams_that_are_not_files():
    assert batch.split(io.BytesIO(b"a question\n" * 100_000)) == []


def test_split_keeps_a_small_file_whole(tmp_path):
    path = write_lines(tmp_path / "q.txt", many_questions(100))
    with path.open("rb") as stream:
        assert batch.split(stream) == []


@pytest.mark.parametrize("cpus", [2, 3, 8])
def test_split_cuts_at_line_ends_and_covers_the_whole_file(tmp_path, monkeypatch, cpus):
    monkeypatch.setattr(batch, "_cpus", lambda: cpus)
    monkeypatch.setattr(batch, "MIN_PART_BYTES", 1000)
    path = write_lines(tmp_path / "q.txt", many_questions(500))
    data = path.read_bytes()
    with path.open("rb") as stream:
        ranges = batch.split(stream)
    assert len(ranges) == cpus
    assert ranges[0][0] == 0 and ranges[-1][1] == len(data)
    for (_, end), (begin, _) in itertools.pairwise(ranges):
        assert end == begin and data[end - 1 : end] == b"\n"


def test_split_starts_where_reading_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "MIN_PART_BYTES", 1000)
    monkeypatch.setattr(batch, "_cpus", lambda: 2)
    path = write_lines(tmp_path / "q.txt", many_questions(500))
    with path.open("rb", buffering=0) as stream:
        first = stream.readline()  # as a process that ran before on the same stdin would
        ranges = batch.split(stream)
    assert ranges[0][0] == len(first) == len(many_questions(1)[0]) + 1


def test_lines_of_all_ranges_are_the_file_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "MIN_PART_BYTES", 1000)
    monkeypatch.setattr(batch, "_cpus", lambda: 4)
    questions = many_questions(400)
    path = write_lines(tmp_path / "q.txt", questions, ending="\r\n")
    with path.open("rb") as stream:
        ranges = batch.split(stream)
        read = [line for begin, end in ranges for line in batch.lines(stream.fileno(), begin, end)]
    assert read == questions


def test_lines_skips_blanks_and_replaces_bytes_that_are_not_utf8(tmp_path):
    path = tmp_path / "q.txt"
    path.write_bytes(b"  first  \n\n   \ncaf\xe9 question\nlast without newline")
    with path.open("rb") as stream:
        got = list(batch.lines(stream.fileno(), 0, path.stat().st_size))
    assert got == ["first", "caf\ufffd question", "last without newline"]


def test_split_run_writes_what_one_process_writes(tmp_path):
    questions = many_questions(300)
    split = run_therafaq([], write_lines(tmp_path / "q.txt", questions))
    piped = run_piped(questions)
    assert split.returncode == piped.returncode == 1  # the passport question is not covered
    assert split.stdout == piped.stdout
    assert [json.loads(line)["query"] for line in split.stdout.splitlines()] == questions


def test_crisis_in_a_workers_part_sets_the_exit_status(tmp_path):
    questions = [q for q in many_questions(300) if "passport" not in q]
    questions[-5] = "I want to kill myself"
    result = run_therafaq([], write_lines(tmp_path / "q.txt", questions))
    assert result.returncode == 3
    flags = [json.loads(line)["crisis"] for line in result.stdout.splitlines()]
    assert flags.index(True) == len(questions) - 5 and flags.count(True) == 1


def test_a_failed_worker_is_reported(tmp_path):
    questions = many_questions(300)
    questions[-1] = "make this worker fail"
    setup = textwrap.dedent(
        """
        from therafaq.answering import Answerer
        original = Answerer.answer
        def answer(self, question, **options):
            if question == "make this worker fail":
                raise RuntimeError("boom")
            return original(self, question, **options)
        Answerer.answer = answer
        """
    )
    result = run_therafaq([], write_lines(tmp_path / "q.txt", questions), setup=setup)
    assert result.returncode == batch.EXIT_WORKER_FAILED
    assert "worker answering part of standard input failed" in result.stderr


def test_a_part_with_only_blank_lines_keeps_the_exit_status(tmp_path):
    path = tmp_path / "q.txt"
    path.write_bytes(b"I want to kill myself\n" + b"\r\n" * 4000)
    result = run_therafaq([], path)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    assert [json.loads(line)["crisis"] for line in result.stdout.splitlines()] == [True]


def test_plain_answers_from_workers_keep_the_terminals_width(tmp_path):
    """Only the real stdout knows the terminal's width; workers write to files."""
    setup = textwrap.dedent(
        """
        import os, shutil
        terminal = os.fstat(1).st_ino
        shutil.get_terminal_size = lambda fallback=(80, 24): os.terminal_size(
            (100 if os.fstat(1).st_ino == terminal else 80, 24)
        )
        """
    )
    questions = many_questions(300)
    split = run_therafaq([], write_lines(tmp_path / "q.txt", questions), setup=setup, options=["--plain"])
    piped = run_piped(questions, options=["--plain"], env={**os.environ, "COLUMNS": "100"})
    assert split.returncode == piped.returncode == 1
    assert split.stdout == piped.stdout
    assert max(len(line) for line in split.stdout.splitlines()) > 80
