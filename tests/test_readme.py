"""README and code agree by construction: the generated blocks are current, and every command has help."""

from .conftest import ROOT
from .readme_blocks import BLOCK, GENERATORS, PICTURE, picture, regenerated


def test_the_generated_readme_blocks_are_current():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert {m.group("name") for m in BLOCK.finditer(text)} == set(GENERATORS)
    assert regenerated(text) == text, "stale README blocks: run .venv/bin/python -m tests.readme_blocks"


def test_every_command_has_a_summary_and_an_example():
    from therafaq.cli import app

    for info in app.registered_commands:
        doc = (info.callback.__doc__ or "") if info.callback else ""
        assert doc.strip(), f"{info.name} has no help"
        assert "Example" in doc, f"{info.name} has no example"


def test_the_readme_picture_is_current():
    assert PICTURE.read_text(encoding="utf-8") == picture(), (
        "stale picture: run .venv/bin/python -m tests.readme_blocks"
    )
