"""ruff is part of the test suite: lint and formatting stay clean."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT


def _ruff() -> str:
    found = Path(sys.executable).parent / "ruff"
    if found.exists():
        return str(found)
    path = shutil.which("ruff")
    if path is None:
        pytest.fail("ruff is not installed; install the test extra: pip install -e '.[test]'")
    return path


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff(args):
    result = subprocess.run([_ruff(), *args], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0].strip() for b in readme.split("```sh\n")[1:3]]
    install_and_ask, install_and_test = blocks
    assert "therafaq ask" in install_and_ask
    assert "pytest" in install_and_test
    assert install_and_test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
