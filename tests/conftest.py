"""Shared fixtures: a small fixture corpus and an isolated user environment."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from therafaq.corpus import Corpus
from therafaq.corpus_file import load_corpus

TESTS = Path(__file__).parent
ROOT = TESTS.parent
DATA = TESTS / "data"
MINI_CORPUS = DATA / "mini_corpus.json"
SHARED = Path(os.environ.get("THERAFAQ_SHARED", ROOT.parent / "shared"))


@pytest.fixture(autouse=True)
def isolated_user(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No test reads the developer's own corpus setting, history or notes."""
    monkeypatch.delenv("THERAFAQ_CORPUS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "80")
    return tmp_path


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def mini() -> Corpus:
    return load_corpus(MINI_CORPUS)


@pytest.fixture
def mini_document() -> dict:
    return json.loads(MINI_CORPUS.read_text(encoding="utf-8"))


def shared_file(relative: str) -> Path:
    """A file from ../shared (sources, required ids, dev questions), or skip."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} not found (set THERAFAQ_SHARED to the shared folder)")
    return path


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


MINI = ["--corpus", str(MINI_CORPUS)]
# The keys of an entry in JSON (list, show, random).
ENTRY_KEYS = {
    "id",
    "topic",
    "question",
    "alternates",
    "keywords",
    "answer",
    "sources",
    "signposts",
    "related",
    "aliases",
}


def run(runner: CliRunner, *args: str, input: str | None = None, env: dict | None = None):
    """A command through Typer's runner, exceptions not swallowed (as sqlite-utils' tests do)."""
    from therafaq.cli import app

    return runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)


def flat(text: str) -> str:
    """Text with line wrapping and panel borders removed, for phrases that may wrap."""
    return " ".join(text.replace("\u2502", " ").split())


GOLDEN = TESTS / "golden"


def golden(name: str, shown: str) -> str:
    """The golden file `name`'s text, first rewritten from `shown` when THERAFAQ_WRITE_GOLDEN is set
    (after a deliberate change; then read the diff)."""
    path = GOLDEN / name
    if os.environ.get("THERAFAQ_WRITE_GOLDEN"):
        path.write_text(shown, encoding="utf-8")
    return path.read_text(encoding="utf-8")
