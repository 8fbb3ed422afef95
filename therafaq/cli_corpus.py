"""The commands for people who maintain a corpus: measure it, check it, and read its format.

Plain functions with Typer's annotations; `cli` registers them.
"""

# No `from __future__ import annotations` here: Typer evaluates string annotations one by one
# when it builds a command (1.5 ms of every run).
from pathlib import Path
from typing import Annotated

import typer

from therafaq import cli_support as support
from therafaq import json_render, render
from therafaq.corpus import CorpusError
from therafaq.corpus_file import PACKAGE_DIR, load_corpus
from therafaq.exits import EXIT_USAGE
from therafaq.matching import DEFAULT_MIN_SCORE
from therafaq.output import write


def evaluate(
    file: Annotated[
        Path,
        typer.Argument(
            help='JSON Lines of {"q": question, "expect": entry id or null}, '
            'or of {"q": message, "risk": "crisis", "concern" or null, "kind": name} for the risk check.'
        ),
    ],
    json_output: support.JsonOption = False,
    min_score: support.MinScoreOption = DEFAULT_MIN_SCORE,
    corpus: support.CorpusOption = None,
) -> None:
    """Measure matching quality, or the risk check, on a file of labelled questions.

    Example: therafaq eval my-questions.jsonl
    """
    from therafaq.risk_eval import is_risk_file

    if is_risk_file(file):
        _evaluate_risk(file, json_output=json_output)
        return
    from therafaq.evaluation import EvalFileError, evaluate_matcher, load_cases
    from therafaq.matching import Matcher

    loaded, index = support.load_chosen(corpus)
    try:
        cases = load_cases(file, loaded.id_map())
    except EvalFileError as error:
        support.fail(str(error))
    report = evaluate_matcher(cases, Matcher(loaded, index), min_score)
    if json_output:
        write(json_render.to_json(report.as_dict()))
    else:
        write(render.plain_report(report))


def _evaluate_risk(file: Path, *, json_output: bool) -> None:
    """The risk check needs no corpus, so none is loaded."""
    from therafaq.evaluation import EvalFileError
    from therafaq.risk import default_check
    from therafaq.risk_eval import evaluate_risk, load_risk_cases

    try:
        cases = load_risk_cases(file)
    except EvalFileError as error:
        support.fail(render.inert(str(error)))
    report = evaluate_risk(cases, default_check())
    write(json_render.to_json(report.as_dict()) if json_output else render.plain_risk_report(report))


def validate(path: Annotated[Path, typer.Argument(help="The corpus file to check.")]) -> None:
    """Check a corpus file and list every problem found.

    Example: therafaq validate my-clinic-faq.json
    """
    try:
        corpus = load_corpus(path)
    except CorpusError as error:
        write(f"{render.inert(error.path)}: {len(error.problems)} problem(s)")
        write("\n".join(f"  {render.inert(str(p))}" for p in error.problems))
        raise typer.Exit(EXIT_USAGE) from None
    write(f"{render.inert(str(path))}: valid, {len(corpus.entries)} entries in {len(corpus.topics)} topics")


def schema() -> None:
    """Print the JSON Schema of the corpus format.

    Example: therafaq schema > corpus.schema.json
    """

    write((PACKAGE_DIR / "corpus.schema.json").read_text("utf-8").rstrip())
