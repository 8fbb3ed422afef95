"""What a person sees, byte for byte: golden files of the Rich views at three widths, with and without colour.

Regenerate after a deliberate change with `THERAFAQ_WRITE_GOLDEN=1 .venv/bin/python -m pytest
tests/test_rendering.py`, then read the diff (as tldr-python-client keeps its rendering tests).
"""

import io

import pytest
from rich.console import Console

from therafaq.answering import Answerer
from therafaq.rich_render import answer_view, entries_table, topics_table

from .conftest import golden


def _views(mini):
    answerer = Answerer(mini, region="GB")
    return {
        "answer": lambda width: answer_view(answerer.answer("why does my cat scratch the sofa"), mini),
        "crisis": lambda width: answer_view(answerer.answer("I want to die"), mini),
        "why-not": lambda width: answer_view(answerer.answer("fern sunlight", min_score=90), mini, explain=True),
        "topics": lambda width: topics_table(mini, width),
        "list": lambda width: entries_table(mini, mini.topics, width),
    }


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
@pytest.mark.parametrize("width", [40, 80, 120])
@pytest.mark.parametrize("view", ["answer", "crisis", "why-not", "topics", "list"])
def test_views_match_their_golden_files(mini, view, width, colour):
    console = Console(
        file=io.StringIO(),
        width=min(width, 94),
        force_terminal=True,
        color_system="standard" if colour else None,
        markup=False,
        highlight=False,
        emoji=False,
    )
    console.print(_views(mini)[view](console.width))
    drawn = console.file.getvalue()
    assert drawn == golden(f"{view}-{width}-{'colour' if colour else 'plain'}.txt", drawn)
    assert max(len(line) for line in _without_codes(drawn).splitlines()) <= min(width, 94)


def _without_codes(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)
