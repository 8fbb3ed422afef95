"""Behaviour only a real process shows: pipes, signals, python -m."""

import os
import signal
import subprocess
import sys
import time

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
        [*COMMAND, "ask", "-", "--corpus", str(MINI_CORPUS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in stderr and "Aborted" not in stderr


def test_python_dash_m_runs_the_cli():
    result = subprocess.run([*COMMAND, "--version"], capture_output=True, text=True, env={**os.environ})
    assert result.returncode == 0 and result.stdout.startswith("therafaq ")
