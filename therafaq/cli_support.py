"""What every therafaq command shares: options, loading, output, failing.

Kept apart from the commands in `cli` so each file stays readable; like
`cli`, this is the CLI edge, where library errors become messages on stderr
and exit codes.
"""

from __future__ import annotations

import contextlib
import math
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from therafaq import render
from therafaq.answering import Answerer, CorpusUnavailable
from therafaq.cache import load_indexed
from therafaq.corpus import Corpus, CorpusError, UnknownTopic, require_topic
from therafaq.corpus_file import load_corpus, resolve_corpus_path
from therafaq.exits import EXIT_USAGE
from therafaq.index import Index
from therafaq.output import Color, Output
from therafaq.signposts import RegionError, region_from

MAX_PROBLEMS_SHOWN = 20


class Interrupted(BaseException):
    """Ctrl-C, raised past the CLI framework so it exits 130 without noise."""


class OutputFailed(Exception):
    """Standard output failed while answering; `status` is the exit code the answers ask for."""

    def __init__(self, error: OSError, status: int) -> None:
        super().__init__(str(error))
        self.error = error
        self.status = status


def say_to_stderr(message: str) -> None:
    """A last message on stderr, when stderr itself may be closed too."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(message + "\n")
        sys.stderr.flush()


# Shared options ---------------------------------------------------------------

CorpusOption = Annotated[
    Path | None,
    typer.Option(
        "--corpus",
        help="Corpus file to use instead of the bundled one (also: THERAFAQ_CORPUS).",
        show_default=False,
        dir_okay=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Write JSON for scripts.")]
PlainOption = Annotated[bool, typer.Option("--plain", help="Plain text, no colours or boxes.")]


def completion_corpus(ctx: typer.Context) -> Corpus | None:
    """The corpus the command line names so far (--corpus, THERAFAQ_CORPUS, bundled); None if unusable."""
    try:
        return load_corpus(resolve_corpus_path(ctx.params.get("corpus")))
    except CorpusError:
        return None


def complete_topic(ctx: typer.Context, incomplete: str) -> list[str]:
    corpus = completion_corpus(ctx)
    return [t.id for t in corpus.topics if t.id.startswith(incomplete)] if corpus else []


def complete_entry(ctx: typer.Context, incomplete: str) -> list[str]:
    corpus = completion_corpus(ctx)
    return [entry_id for entry_id in corpus.ids if entry_id.startswith(incomplete)] if corpus else []


def valid_score(value: float) -> float:
    if math.isnan(value):
        raise typer.BadParameter("must be a number from 0 to 100")
    return value


MinScoreOption = Annotated[
    float,
    typer.Option("--min-score", min=0, max=100, callback=valid_score, help="Lowest score that counts as an answer."),
]


def valid_region(value: str | None) -> str | None:
    try:
        return region_from(value)
    except RegionError as error:
        raise typer.BadParameter(str(error)) from None


RegionOption = Annotated[
    str | None,
    typer.Option(
        "--region",
        help="Where you are, for the help lines shown first: a country code such as US, GB, IE, CA, AU "
        "(also: THERAFAQ_REGION; else your locale).",
        callback=valid_region,
        metavar="CODE",
        show_default=False,
    ),
]


def _topic_id(value: str | None) -> str | None:
    """Topic ids are lower case; what a person types may not be."""
    return value.strip().lower() if value else value


TopicOption = Annotated[
    str | None,
    typer.Option(
        "--topic",
        "-t",
        help="Only this topic (see: therafaq topics).",
        autocompletion=complete_topic,
        callback=_topic_id,
    ),
]


# Edge helpers -------------------------------------------------------------------


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    typer.echo(f"therafaq: error: {message}", err=True)
    raise typer.Exit(code)


def warn(message: str) -> None:
    typer.echo(f"therafaq: warning: {message}", err=True)


def corpus_problem_text(error: CorpusError) -> str:
    shown = [f"  {render.inert(str(problem))}" for problem in error.problems[:MAX_PROBLEMS_SHOWN]]
    hidden = len(error.problems) - len(shown)
    if hidden > 0:
        shown.append(f"  ... and {hidden} more (see: therafaq validate {error.path})")
    return "\n".join(shown)


def load_chosen(corpus_option: Path | None) -> tuple[Corpus, Index]:
    """The chosen corpus and its matching index (cached between runs)."""
    try:
        return load_indexed(resolve_corpus_path(corpus_option))
    except CorpusError as error:
        fail(unavailable_text(CorpusUnavailable(error)))


def answerer(corpus_option: Path | None, *, topic: str | None = None, region: str | None = None) -> Answerer:
    """An Answerer that loads the chosen corpus only when a question needs it (the
    risk check needs none, so support is shown whatever happens to the corpus)."""

    def load() -> tuple[Corpus, Index]:
        loaded = load_indexed(resolve_corpus_path(corpus_option))
        require_topic(loaded[0], topic)
        return loaded

    return Answerer(load=load, region=region)


def unavailable_text(error: CorpusUnavailable) -> str:
    """What went wrong with the corpus, as the person should read it."""
    cause = error.cause
    if isinstance(cause, CorpusError):
        return f"cannot use corpus {render.inert(cause.path)}:\n{corpus_problem_text(cause)}"
    if isinstance(cause, UnknownTopic):
        from rapidfuzz import fuzz, process

        near = [found for found, _, _ in process.extract(cause.topic, cause.known, scorer=fuzz.WRatio, score_cutoff=60)]
        hint = f"did you mean: {', '.join(near[:2])}? " if near else ""
        return f"unknown topic {render.inert(cause.topic)!r}; {hint}topics: {', '.join(cause.known)}"
    return f"cannot use the corpus or its cache: {render.inert(type(cause).__name__)}: {render.inert(str(cause))}"


def load(corpus_option: Path | None) -> Corpus:
    return load_chosen(corpus_option)[0]


def check_topic(corpus: Corpus, topic: str | None) -> None:
    try:
        require_topic(corpus, topic)
    except UnknownTopic as error:
        fail(unavailable_text(CorpusUnavailable(error)))


def risk_before_usage_error(arguments: list[str]) -> bool:
    """Show support (on stdout, plain) when the words of an unparsable command line show risk."""
    from therafaq.risk import default_check
    from therafaq.signposts import default_signposts

    words = " ".join(argument for argument in arguments[1:] if not argument.startswith("-"))
    risk = default_check().assess(words) if words.strip() else None
    if risk is None:
        return False
    Output("plain").support(default_signposts().support(risk, region_from(None)))
    return True


def warn_unavailable(error: CorpusUnavailable) -> None:
    """Reported after whatever support was shown, so it never stands in its way."""
    typer.echo(f"therafaq: error: {unavailable_text(error)}", err=True)


def terminal_session() -> bool:
    """Someone is typing and reading at a terminal (not a script or a pipe)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def loaded_corpus(answerer: Answerer) -> Corpus | None:
    """The answerer's corpus, loaded now; None when it cannot be (each answer then reports why)."""
    try:
        return answerer.corpus
    except CorpusUnavailable:
        return None


def output(*, json_output: bool = False, plain: bool = False, chat: bool = False) -> Output:
    """The output for this command, honouring the global `--color` (kept on the root context)."""
    from typer._click.globals import get_current_context  # Typer 0.28 vendors Click

    ctx = get_current_context(silent=True)
    settings = ctx.find_root().obj if ctx is not None else None
    chosen = settings.get("color") if isinstance(settings, dict) else None
    color: Color = chosen if chosen in ("always", "never") else "auto"
    return Output.choose(json_output=json_output, plain=plain, chat=chat, color=color)
