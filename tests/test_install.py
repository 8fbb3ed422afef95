"""The built wheel carries the corpus and works from any directory."""

import subprocess
import sys
import venv

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(work / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = (work / "dist").glob("therafaq-*.whl")
    env_dir = work / "env"
    venv.create(env_dir, with_pip=True)
    pip = env_dir / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", str(wheel)], check=True, capture_output=True)
    return env_dir / "bin" / "therafaq", work


def test_wheel_contains_the_corpus(installed):
    _, work = installed
    [wheel] = (work / "dist").glob("therafaq-*.whl")
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "therafaq/data/corpus.json" in names
    data = {
        "risk.json",
        "risk_model.json",
        "risk_weights.tsv",
        "entry_model.json",
        "entry_counts.tsv",
        "signposts.json",
    }
    data |= {"corpus.schema.json", "py.typed"}
    assert {f"therafaq/{name}" for name in data} <= set(names)


def test_installed_command_answers_from_another_directory(installed, tmp_path):
    therafaq, _ = installed
    result = subprocess.run(
        [str(therafaq), "ask", "can I hug my therapist?"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "Are therapists allowed to hug their clients?" in result.stdout
    module = subprocess.run(
        [str(therafaq.parent / "python"), "-m", "therafaq", "--version"], cwd=tmp_path, capture_output=True, text=True
    )
    assert module.returncode == 0 and module.stdout.startswith("therafaq ")
