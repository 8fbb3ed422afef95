"""For someone who does not know what to ask: random, shell completion, and when list pages."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from therafaq.cli import app
from therafaq.paging import needs_pager

from .conftest import ENTRY_KEYS, MINI, MINI_CORPUS, run

MINI_IDS = {"dog-walks", "cat-scratching", "fern-light", "fern-water"}


# random ---------------------------------------------------------------------------------


def test_random_json_is_one_whole_entry(runner):
    result = run(runner, "random", "--json", *MINI)
    assert result.exit_code == 0
    entry = json.loads(result.stdout)
    assert set(entry) == ENTRY_KEYS
    assert entry["id"] in MINI_IDS
    assert entry == json.loads(run(runner, "show", "--json", entry["id"], *MINI).stdout)


def test_random_picks_different_entries(runner):
    picked = {json.loads(run(runner, "random", "--json", *MINI).stdout)["id"] for _ in range(40)}
    assert len(picked) > 1


@pytest.mark.parametrize(
    ("topic", "ids"), [("plants", {"fern-light", "fern-water"}), ("pets", {"dog-walks", "cat-scratching"})]
)
def test_random_respects_the_topic(runner, topic, ids):
    for _ in range(15):
        entry = json.loads(run(runner, "random", "--json", "--topic", topic, *MINI).stdout)
        assert entry["topic"] == topic and entry["id"] in ids


def test_random_plain_shows_the_entry_and_the_disclaimer(runner):
    result = run(runner, "random", "-t", "pets", "--plain", *MINI)
    assert result.exit_code == 0
    assert result.stdout.split("\n", 1)[0] in {"How often should I walk my dog?", "Why does my cat scratch the sofa?"}
    assert "not professional advice" in " ".join(result.stdout.split())


def test_random_unknown_topic_is_a_usage_error(runner):
    result = run(runner, "random", "--topic", "cars", *MINI)
    assert result.exit_code == 2 and "unknown topic 'cars'" in result.stderr


# Shell completion, through the protocol the installed shell scripts use ------------------


def complete(runner, line: str, **env: str) -> list[str]:
    """What bash would offer after `line` (the last word is the one being completed)."""
    words = line.split(" ")
    result = runner.invoke(
        app,
        [],
        prog_name="therafaq",
        env={"_THERAFAQ_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1), **env},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result.stdout.split()


@pytest.mark.parametrize(
    ("line", "env", "expected"),
    [
        (f"therafaq show --corpus {MINI_CORPUS} fern", {}, ["fern-light", "fern-water"]),
        (f"therafaq list --corpus {MINI_CORPUS} --topic p", {}, ["pets", "plants"]),
        (f"therafaq random --corpus {MINI_CORPUS} -t pl", {}, ["plants"]),
        (f"therafaq ask --corpus {MINI_CORPUS} --topic pe", {}, ["pets"]),
        ("therafaq show cat", {"THERAFAQ_CORPUS": str(MINI_CORPUS)}, ["cat-scratching"]),
        ("therafaq random --topic ", {"THERAFAQ_CORPUS": str(MINI_CORPUS)}, ["pets", "plants"]),
        ("therafaq show --corpus /no/such/file.json fern", {}, []),
    ],
)
def test_completion_offers_ids_from_the_chosen_corpus(runner, line, env, expected):
    assert complete(runner, line, **env) == expected


def test_completion_uses_the_bundled_corpus_by_default(runner):
    offered = complete(runner, "therafaq show hugs")
    assert offered and all(entry_id.startswith("hugs") for entry_id in offered)
    assert "boundaries" in complete(runner, "therafaq list --topic b")


# When list goes through a pager -----------------------------------------------------------


def screen(columns: int, lines: int) -> os.terminal_size:
    return os.terminal_size((columns, lines))


@pytest.mark.parametrize(
    ("text", "terminal", "size", "pages"),
    [
        ("a\n" * 5, True, screen(80, 24), False),
        ("a\n" * 40, True, screen(80, 24), True),
        ("a\n" * 40, False, screen(80, 24), False),
        ("\n".join(["a"] * 23), True, screen(80, 24), False),
        ("\n".join(["a"] * 24), True, screen(80, 24), True),
        ("x" * 500, True, screen(80, 5), True),
        ("x" * 500, True, screen(200, 5), False),
        ("\n".join(["\x1b[1;36m" + "x" * 78 + "\x1b[0m"] * 4), True, screen(80, 5), False),
    ],
)
def test_pager_decision(text, terminal, size, pages):
    assert needs_pager(text, terminal=terminal, size=size) is pages


def test_piped_list_never_pages(runner, tmp_path):
    marker = tmp_path / "pager-ran"
    result = run(runner, "list", *MINI, env={"LINES": "2", "COLUMNS": "20", "PAGER": f"touch {marker}; cat"})
    assert result.exit_code == 0
    assert "dog-walks: How often should I walk my dog?" in result.stdout
    assert not marker.exists()


def test_completion_installs_for_the_shell_named(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    for shell, installed in [
        ("zsh", ".zfunc/_therafaq"),
        ("fish", ".config/fish/completions/therafaq.fish"),
        ("bash", ".bash_completions/therafaq.sh"),
    ]:
        result = run(runner, "completion", shell, "--install")
        assert result.exit_code == 0 and f"{shell} completion installed" in result.stderr
        assert "_THERAFAQ_COMPLETE" in (tmp_path / installed).read_text()
    assert "complete --command therafaq" in run(runner, "completion", "fish").stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_tab_completes_an_id_in_a_real_bash(tmp_path):
    """bash on a pseudo-terminal, the printed script sourced, Tab pressed after `show hugs`."""
    import pty
    import select
    import time

    script = tmp_path / "therafaq.sh"
    script.write_text(run(CliRunner(), "completion", "bash").stdout)
    bin_dir = Path(sys.executable).parent
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path), "TERM": "dumb", "PS1": "$ "}
    pid, fd = pty.fork()
    if pid == 0:
        os.execve("/bin/bash", ["bash", "--norc", "--noprofile", "-i"], env)
    screen = ""

    def read_until(text: str) -> None:
        nonlocal screen
        deadline = time.monotonic() + 30
        while text not in screen:
            if time.monotonic() > deadline:
                pytest.fail(f"never saw {text!r}:\n{screen}")
            if select.select([fd], [], [], 0.2)[0]:
                screen += os.read(fd, 65536).decode(errors="replace")

    try:
        os.write(fd, f"source {script}\n".encode())
        read_until("$ ")
        os.write(fd, b"therafaq show hugs-and-t\t")
        read_until("hugs-and-touch")
    finally:
        os.write(fd, b"\x03exit\n")
        os.close(fd)
        os.waitpid(pid, 0)
