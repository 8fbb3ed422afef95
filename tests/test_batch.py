"""`ask -`: reading questions in chunks, and answering them over forked workers."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import json_lines, run
from therafaq import batch, reading
from therafaq.answering import Answer, Answerer, CorpusUnavailable
from therafaq.cache import load_indexed
from therafaq.corpus_file import bundled_corpus_path
from therafaq.json_render import answer_json

CRISIS = "I am going to kill myself tonight"
ORDINARY = ["do therapists have favorite clients", "can i hug my therapist", "what is the cost of parking"]


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    corpus, index = load_indexed(bundled_corpus_path())
    return Answerer(corpus, index)


def chunks_of(data: bytes) -> list[list[str]]:
    return list(reading.question_chunks(io.BytesIO(data)))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"one\ntwo\n", [["one", "two"]]),
        (b"one\r\n\n  \ntwo", [["one", "two"]]),  # CRLF, blank lines, no newline at the end
        (b"caf\xc3\xa9 \xff\n", [["caf\u00e9 \ufffd"]]),
        (b"", []),
    ],
)
def test_lines_are_stripped_decoded_and_blank_ones_skipped(data, expected):
    assert chunks_of(data) == expected


def test_chunks_hold_at_most_chunk_lines_and_keep_every_line_in_order():
    lines = [f"question {n}" for n in range(reading.CHUNK * 2 + 7)]
    chunks = chunks_of("\n".join(lines).encode())
    assert [len(c) for c in chunks] == [reading.CHUNK, reading.CHUNK, 7]
    assert [line for c in chunks for line in c] == lines


def test_a_line_longer_than_many_reads_comes_whole():
    long = "why " * (reading.READ_SIZE // 2)  # four reads' worth
    assert chunks_of(f"short\n{long}\nlast\n".encode()) == [["short", long.strip(), "last"]]


def test_a_pipe_that_pauses_gets_its_waiting_lines_answered_before_more_arrive():
    """A script writes one question and waits for its answer: the chunk must end there."""
    read_end, write_end = os.pipe()
    chunks = reading.question_chunks(os.fdopen(read_end, "rb", buffering=0))
    os.write(write_end, b"first\nsecond\n")
    first: list[list[str]] = []
    reader = threading.Thread(target=lambda: first.append(next(chunks)), daemon=True)
    reader.start()
    reader.join(10)
    assert first == [["first", "second"]], "the chunk waited for lines that were not coming"
    os.write(write_end, b"third\n")
    os.close(write_end)
    assert list(chunks) == [["third"]]


def many(count: int) -> list[str]:
    return [f"{ORDINARY[n % len(ORDINARY)]} {n}" for n in range(count)]


def test_workers_give_the_answers_one_process_gives_in_order(answerer):
    questions = many(reading.CHUNK * 5 + 3)
    questions[700] = CRISIS
    alone = [answer_json(answerer.answer(q)) for q in questions]
    shared = list(batch.replies(answerer.answer, chunks_of("\n".join(questions).encode()), lambda: answerer.corpus))
    assert [answer_json(a) for a in shared] == alone
    assert shared[700].crisis


def test_a_killed_worker_costs_no_answer_and_no_crisis_status(answerer):
    """Each worker dies on its first chunk: the parent answers every chunk itself."""
    parent = os.getpid()

    def ask(question: str) -> Answer:
        if os.getpid() != parent:
            os._exit(1)
        return answerer.answer(question)

    questions = many(reading.CHUNK * 4)
    questions[-1] = CRISIS
    replies = list(batch.replies(ask, chunks_of("\n".join(questions).encode()), lambda: answerer.corpus))
    assert [r.query for r in replies] == questions
    assert replies[-1].crisis


def test_without_a_corpus_no_worker_starts_and_each_question_reports_the_fault(answerer):
    def ask(question: str) -> Answer:
        raise CorpusUnavailable(OSError("gone"))

    questions = many(reading.CHUNK * 3)
    replies = list(batch.replies(ask, chunks_of("\n".join(questions).encode()), lambda: None))
    assert len(replies) == len(questions) and all(isinstance(r, CorpusUnavailable) for r in replies)


def test_ask_from_stdin_with_workers_keeps_order_and_the_risk_exit_status(runner):
    questions = many(reading.CHUNK * 3)
    questions[400] = CRISIS
    result = run(runner, "ask", "--json", "-", input="\n".join(questions) + "\n")
    answers = json_lines(result.stdout)
    assert result.exit_code == 3
    assert [a["query"] for a in answers] == questions and answers[400]["crisis"]


def _state(pid: int) -> tuple[str, int] | None:
    """A process's state letter and parent, or None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[0], int(fields[1])


def _children(pid: int) -> list[int]:
    return [
        int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and (_state(int(p.name)) or ("", 0))[1] == pid
    ]


def _alive(pid: int) -> bool:
    state = _state(pid)
    return state is not None and state[0] != "Z"  # a zombie has exited; only its parent's reaping is left


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_of_a_killed_parent_exit(tmp_path):
    """A parent killed mid-batch (SIGKILL, or SIGPIPE from a closed stdout) leaves no workers behind."""
    source = tmp_path / "questions.txt"
    source.write_text("\n".join(many(reading.CHUNK * 40)) + "\n", encoding="utf-8")
    code = "import sys; from therafaq.cli import main; sys.argv = ['therafaq', 'ask', '--json', '-']; main()"
    with source.open("rb") as stdin:
        parent = subprocess.Popen([sys.executable, "-c", code], stdin=stdin, stdout=subprocess.PIPE)
    assert parent.stdout is not None
    parent.stdout.readline()
    deadline = time.monotonic() + 10
    while not (workers := _children(parent.pid)) and time.monotonic() < deadline:
        parent.stdout.readline()
    assert workers, "the batch started no workers"
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    assert not any(map(_alive, workers))


def test_a_bare_carriage_return_ends_a_line():
    assert chunks_of(b"one\rtwo\r\nthree\n") == [["one", "two", "three"]]


def test_of_a_line_longer_than_twice_keep_bytes_its_first_and_last_are_kept(monkeypatch):
    monkeypatch.setattr(reading, "KEEP_BYTES", 10)
    monkeypatch.setattr(reading, "READ_SIZE", 7)
    line = b"BEGINNING" + b"x" * 200 + b"THE ENDING"
    assert chunks_of(line + b"\nnext\n") == [["BEGINNINGx" + "THE ENDING", "next"]]


def test_a_writer_that_leaves_stdin_non_blocking_loses_no_line():
    read_end, write_end = os.pipe()
    os.set_blocking(read_end, False)
    chunks = reading.question_chunks(os.fdopen(read_end, "rb", buffering=0))

    def write_later():
        os.write(write_end, b"first\n")
        threading.Event().wait(0.3)  # the reader finds the pipe empty meanwhile
        os.write(write_end, b"second\n")
        os.close(write_end)

    writer = threading.Thread(target=write_later, daemon=True)
    writer.start()
    assert [line for chunk in chunks for line in chunk] == ["first", "second"]
    writer.join()


def test_a_stopped_worker_is_given_up_on_and_its_chunk_answered_here(answerer, monkeypatch):
    monkeypatch.setattr(batch, "CHUNK_DEADLINE", 1.0)
    parent = os.getpid()

    def ask(question: str) -> Answer:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGSTOP)
        return answerer.answer(question)

    questions = many(reading.CHUNK * 4)
    questions[-1] = CRISIS
    replies = list(batch.replies(ask, chunks_of("\n".join(questions).encode()), lambda: answerer.corpus))
    assert [r.query for r in replies] == questions and replies[-1].crisis
    assert not [child for child in _children(parent) if _alive(child)], "a stopped worker was left behind"


def test_a_pool_that_cannot_start_its_thread_leaves_the_batch_to_this_process(answerer, monkeypatch):
    from concurrent.futures import ProcessPoolExecutor

    def no_thread(self, *args, **kwargs):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(ProcessPoolExecutor, "submit", no_thread)
    questions = many(reading.CHUNK * 3)
    questions[-1] = CRISIS
    replies = list(batch.replies(answerer.answer, chunks_of("\n".join(questions).encode()), lambda: answerer.corpus))
    assert [r.query for r in replies] == questions and replies[-1].crisis


def test_a_worker_without_a_thread_to_watch_its_parent_still_starts(monkeypatch):
    def no_thread(self):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", no_thread)
    previous = signal.getsignal(signal.SIGINT)
    try:
        batch._in_worker(os.getppid())
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_when_stdout_fails_the_rest_of_a_batch_is_still_checked_for_risk(tmp_path):
    """Nothing more can be shown, but a later message at risk still gets support (on stderr) and exit 3."""
    source = tmp_path / "questions.txt"
    source.write_text("\n".join([*many(50), CRISIS]) + "\n", encoding="utf-8")
    code = "import sys; from therafaq.cli import main; sys.argv = ['therafaq', 'ask', '--json', '-']; main()"
    with source.open("rb") as stdin, open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-c", code], stdin=stdin, stdout=full, stderr=subprocess.PIPE, timeout=60
        )
    errors = done.stderr.decode()
    assert done.returncode == 3
    assert "could not write the output" in errors and "988" in errors and "Traceback" not in errors
