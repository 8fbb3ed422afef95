"""ruff is part of the test suite: lint and formatting stay clean."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT


def _tool(name: str) -> str:
    found = Path(sys.executable).parent / name
    if found.exists():
        return str(found)
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed; install the test extra: pip install -e '.[test]'")
    return path


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff(args):
    result = subprocess.run([_tool("ruff"), *args], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_no_errors():
    result = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_public_api_is_importable_and_answers():
    import therafaq

    corpus = therafaq.load_corpus(therafaq.bundled_corpus_path())
    answer = therafaq.Answerer(corpus).answer("can I hug my therapist?")
    assert answer.answered and answer.matches[0].entry.id == "hugs-and-touch"
    assert set(therafaq.__all__) >= {"Answerer", "load_corpus", "Corpus", "Entry", "Matcher", "__version__"}


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0].strip() for b in readme.split("```sh\n")[1:3]]
    install_and_ask, install_and_test = blocks
    assert "therafaq ask" in install_and_ask
    assert "pytest" in install_and_test
    assert install_and_test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
