"""Behaviour only a real process shows: pipes, signals, python -m."""

import os
import signal
import subprocess
import sys

import pytest

from .conftest import MINI_CORPUS

COMMAND = [sys.executable, "-m", "therafaq"]


def test_closed_pipe_exits_quietly():
    reader = subprocess.Popen(
        f"{' '.join(COMMAND)} list --corpus {MINI_CORPUS} | head -c 1 >/dev/null; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        stderr=subprocess.PIPE,
        text=True,
    )
    _, stderr = reader.communicate(timeout=30)
    assert stderr == ""


def test_closed_pipe_during_a_long_batch_is_quiet():
    questions = "walk my dog\n" * 20000
    process = subprocess.run(
        f"{' '.join(COMMAND)} ask --json - --corpus {MINI_CORPUS} | head -n 1 >/dev/null",
        shell=True,
        input=questions,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert process.stderr == ""


def test_ctrl_c_exits_130_without_traceback():
    process = subprocess.Popen(
        [*COMMAND, "ask", "--json", "-", "--corpus", str(MINI_CORPUS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("walk my dog\n")
    process.stdin.flush()
    assert '"walk my dog"' in process.stdout.readline()  # answering, and waiting for the next line
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in stderr and "Aborted" not in stderr


def test_python_dash_m_runs_the_cli():
    result = subprocess.run([*COMMAND, "--version"], capture_output=True, text=True, env={**os.environ})
    assert result.returncode == 0 and result.stdout.startswith("therafaq ")


def _shell(command: str, env: dict | None = None) -> subprocess.CompletedProcess:
    therafaq = f"{sys.executable} -m therafaq"
    return subprocess.run(
        ["bash", "-c", command.replace("THERAFAQ", therafaq)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")


@needs_dev_full
@pytest.mark.parametrize(
    "args", ['ask "walk my dog"', 'ask --json "walk my dog"', "list --plain", "topics --plain", "show dog-walks"]
)
def test_a_full_stdout_is_a_message_and_exit_2(args):
    result = _shell(f"THERAFAQ {args} --corpus {MINI_CORPUS} > /dev/full")
    assert result.returncode == 2
    assert result.stderr.strip().endswith("could not write the output: No space left on device")
    assert "Traceback" not in result.stderr


@needs_dev_full
def test_support_still_reaches_a_person_whose_stdout_is_full():
    result = _shell(f'THERAFAQ ask "i want to die" --corpus {MINI_CORPUS} > /dev/full')
    assert result.returncode == 3
    assert "You don't have to go through this alone" in result.stderr and "988" in result.stderr


def test_a_closed_stdout_or_stdin_is_a_message_not_a_traceback():
    closed_out = _shell(f'THERAFAQ ask "walk my dog" --corpus {MINI_CORPUS} >&-')
    assert closed_out.returncode == 2 and "standard output is closed" in closed_out.stderr
    closed_in = _shell(f"THERAFAQ ask - --corpus {MINI_CORPUS} <&-")
    assert closed_in.returncode == 2 and "no questions on standard input" in closed_in.stderr
    assert "Traceback" not in closed_out.stderr + closed_in.stderr
