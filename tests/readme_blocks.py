"""The README's blocks that would drift from the code if written by hand.

Between `<!-- begin: NAME -->` and `<!-- end: NAME -->` the README holds what
this module generates from the code: the command list, `ask --help`, the
exit codes and a real JSON answer; and the picture of an answer panel near its
top is drawn from the code too. `tests/test_readme.py` fails when one is
stale; regenerate them with:

    .venv/bin/python -m tests.readme_blocks
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PICTURE = ROOT / "data" / "readme-answer.svg"
PICTURE_QUESTION = "do therapists have favourite clients?"
BLOCK = re.compile(r"(<!-- begin: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- end: (?P=name) -->)", re.DOTALL)
EXAMPLE_QUESTION = "can I hug my therapist"


def _commands() -> str:
    from therafaq.cli import app

    rows = ["| command | what it does |", "| --- | --- |"]
    for info in app.registered_commands:
        if info.hidden or info.callback is None:
            continue
        name = info.name or info.callback.__name__
        summary = (info.callback.__doc__ or "").strip().splitlines()[0]
        rows.append(f"| `therafaq {name}` | {summary} |")
    return "\n".join(rows) + "\n"


def _ask_help() -> str:
    from typer.testing import CliRunner

    from therafaq.cli import app

    result = CliRunner().invoke(app, ["ask", "--help"], env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
    text = "\n".join(line.rstrip() for line in result.output.strip().splitlines())
    return f"```text\n{text}\n```\n"


def _exit_codes() -> str:
    from therafaq.exits import MEANINGS

    rows = ["| code | meaning |", "| --- | --- |"]
    rows += [f"| {code} | {meaning} |" for code, meaning in MEANINGS.items()]
    return "\n".join(rows) + "\n"


def _json_example() -> str:
    """One real answer, its long texts cut to their first words so the shape stays readable."""
    from therafaq.answering import Answerer
    from therafaq.corpus_file import bundled_corpus_path, load_corpus
    from therafaq.render import answer_dict

    record = answer_dict(Answerer(load_corpus(bundled_corpus_path()), region="GB").answer(EXAMPLE_QUESTION))
    return f"```json\n{json.dumps(_shortened(record), indent=1, ensure_ascii=False)}\n```\n"


def _shortened(value: object) -> object:
    if isinstance(value, str):
        words = value.split()
        return value if len(words) <= 8 else " ".join(words[:8]) + " ..."
    if isinstance(value, list):
        return [_shortened(item) for item in value[:2]] + (["..."] if len(value) > 2 else [])
    if isinstance(value, dict):
        return {key: _shortened(item) for key, item in value.items()}
    return value


GENERATORS = {"commands": _commands, "ask-help": _ask_help, "exit-codes": _exit_codes, "json-example": _json_example}


def picture() -> str:
    """An answer panel as a terminal shows it (Rich's own SVG export), for the top of the README."""
    import io

    from rich.console import Console

    from therafaq.answering import Answerer
    from therafaq.corpus_file import bundled_corpus_path, load_corpus
    from therafaq.rich_render import answer_view

    console = Console(
        file=io.StringIO(),
        width=94,
        record=True,
        force_terminal=True,
        color_system="truecolor",
        markup=False,
        highlight=False,
        emoji=False,
    )
    answerer = Answerer(load_corpus(bundled_corpus_path()), region="US")
    console.print(answer_view(answerer.answer(PICTURE_QUESTION), answerer.corpus))
    return console.export_svg(title=f'therafaq ask "{PICTURE_QUESTION}"')


def regenerated(text: str) -> str:
    """The README text with every generated block brought up to date."""

    def replace(match: re.Match[str]) -> str:
        return match.group(1) + GENERATORS[match.group("name")]() + match.group(4)

    return BLOCK.sub(replace, text)


def main() -> int:
    os.environ.setdefault("THERAFAQ_REGION", "GB")
    text = README.read_text(encoding="utf-8")
    new = regenerated(text)
    if new != text:
        README.write_text(new, encoding="utf-8")
        print("README.md: generated blocks brought up to date")
    drawn = picture()
    if not PICTURE.exists() or PICTURE.read_text(encoding="utf-8") != drawn:
        PICTURE.write_text(drawn, encoding="utf-8")
        print(f"{PICTURE.relative_to(ROOT)}: redrawn")
    return 0


if __name__ == "__main__":
    sys.exit(main())
