"""The README's blocks that would drift from the code if written by hand.

Between `<!-- begin: NAME -->` and `<!-- end: NAME -->` the README holds what
this module generates from the code: the command list, `ask --help`, the
exit codes, a real JSON answer and the risk check's figures on its labelled
sets; and the picture of an answer panel near its top is drawn from the code
too. A block made from a file that is not here (../shared, in a bare clone)
is left as it is. `tests/test_readme.py` fails when one is stale; regenerate
them with:

    .venv/bin/python -m tests.readme_blocks
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys

from .conftest import DATA, ROOT, SHARED

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
    from therafaq.json_render import answer_dict

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


# The labelled risk sets the README reports, each with the label its row shows.
RISK_SETS = {
    "risk_dev": ("`risk_dev (review)`", SHARED / "eval" / "risk_dev.jsonl"),
    "risk_blind": ("`risk_blind`", DATA / "risk_blind.jsonl"),
    "risk_blind2": ("`risk_blind2`", DATA / "risk_blind2.jsonl"),
    "risk_blind3": ("`risk_blind3`", DATA / "risk_blind3.jsonl"),
    "risk_real_posts": ("`risk_real_posts` (real posts)", DATA / "risk_real_posts.jsonl"),
    "risk_real_dev": ("`risk_real_dev` (real posts)", DATA / "risk_real_dev.jsonl"),
    "risk_train_lang": (
        "`risk_train_lang` (eight languages; patterns developed on it)",
        DATA / "risk_train_lang.jsonl",
    ),
    "risk_blind_lang": ("`risk_blind_lang` (eight languages, blind)", DATA / "risk_blind_lang.jsonl"),
    "risk_blind_everyday": ("`risk_blind_everyday` (everyday writing, blind)", DATA / "risk_blind_everyday.jsonl"),
    "risk_blind_posts": ("`risk_blind_posts` (forum-style posts, blind)", DATA / "risk_blind_posts.jsonl"),
}


class _Missing(Exception):
    """A set the block is made from is not here (../shared in a bare clone)."""


@functools.cache  # the summary table and a set's per-kind table read the same report
def _risk_report(name: str):
    from therafaq.risk import default_check
    from therafaq.risk_eval import evaluate_risk, load_risk_cases

    path = RISK_SETS[name][1]
    if not path.exists():
        raise _Missing(path)
    return evaluate_risk(load_risk_cases(path), default_check())


def _risk_sets() -> str:
    def share(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    rows = [
        "| set | messages (crisis / concern / none) | at-risk flagged | crisis flagged | crisis given crisis"
        " | concern flagged | false alarms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, (label, _) in RISK_SETS.items():
        r = _risk_report(name)
        counts = f"{r.counts['crisis']} / {r.counts['concern']} / {r.counts[None]}"
        figures = (r.at_risk_recall, r.share("crisis"), r.crisis_tier_recall, r.share("concern"), r.share(None))
        rows.append(f"| {label} | {counts} | " + " | ".join(map(share, figures)) + " |")
    return "\n".join(rows) + "\n"


def _risk_kinds(name: str):
    def table() -> str:
        rows = [
            "| kind | tried | flagged | missed | false alarms | as crisis |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in _risk_report(name).rows:
            rows.append(f"| {r.kind} | {r.tried} | {r.flagged} | {r.missed} | {r.false_alarms} | {r.as_crisis} |")
        return "\n".join(rows) + "\n"

    return table


GENERATORS = {
    "commands": _commands,
    "ask-help": _ask_help,
    "exit-codes": _exit_codes,
    "json-example": _json_example,
    "risk-sets": _risk_sets,
    **{f"risk-kinds-{name}": _risk_kinds(name) for name in ("risk_dev", "risk_blind", "risk_blind2", "risk_blind3")},
}


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
        try:
            return match.group(1) + GENERATORS[match.group("name")]() + match.group(4)
        except _Missing:
            return match.group(0)

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
