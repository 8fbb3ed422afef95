"""The `ask` command: one question from the command line, or a batch from stdin.

Every question goes through `batch.replies` (which shares a batch that keeps
coming over forked workers) and every reply through the one output seam;
the exit status is the most serious any reply asks for (`exits.worse`).
"""

# No `from __future__ import annotations` here: Typer evaluates string annotations one by one
# when it builds a command (1.5 ms of every run).
import errno
import sys
from typing import Annotated

import typer

from therafaq import batch, cli_notes, reading, render
from therafaq import cli_support as support
from therafaq.answering import Answer, CorpusUnavailable
from therafaq.exits import EXIT_USAGE, NO_QUESTIONS, exit_code, worse
from therafaq.matching import DEFAULT_MIN_SCORE
from therafaq.output import terminal_width


def ask(
    question: Annotated[
        list[str] | None,
        typer.Argument(help="Your question (all words form one question), or - to read one per line from stdin."),
    ] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, max=20, help="How many matches to show.")] = 1,
    topic: support.TopicOption = None,
    json_output: support.JsonOption = False,
    plain: support.PlainOption = False,
    explain: Annotated[bool, typer.Option("--explain", help="Show why each match scored as it did.")] = False,
    full: Annotated[bool, typer.Option("--full", help="With -n: show every match in full, not only the best.")] = False,
    min_score: support.MinScoreOption = DEFAULT_MIN_SCORE,
    save: Annotated[
        bool, typer.Option("--save", help="Keep the question and its answer for your session (see: therafaq saved).")
    ] = False,
    note: Annotated[
        str | None, typer.Option("--note", help="Your own thoughts to keep with it (implies --save).")
    ] = None,
    region: support.RegionOption = None,
    corpus: support.CorpusOption = None,
) -> None:
    """Answer a question about your therapist or therapy.

    Examples: therafaq ask "can I hug my therapist?"  |  therafaq ask --json - < questions.txt
    """
    words = question or []
    # `ask -` reads one question per line; so does a bare `ask` fed by a pipe or a file.
    from_stdin = words == ["-"] or (not words and not sys.stdin.isatty())
    if not from_stdin and not " ".join(words).strip():
        support.fail('ask needs a question, e.g. therafaq ask "do therapists have favorite clients?"')
    save = save or note is not None
    if save and from_stdin:
        support.fail("--save keeps one question; ask it on the command line instead of with -")
    answerer = support.answerer(corpus, topic=topic, region=region)
    out = support.output(json_output=json_output, plain=plain)
    unavailable: CorpusUnavailable | None = None
    status = NO_QUESTIONS

    def ask_one(text: str) -> Answer:
        return answerer.answer(text, top=top, topic=topic, min_score=min_score)

    if from_stdin:
        chunks = reading.question_chunks(typer.get_binary_stream("stdin"))
        replies = batch.replies(ask_one, chunks, lambda: support.loaded_corpus(answerer))
    else:
        replies = batch.replies(ask_one, [[" ".join(words)]], lambda: None)
    failed: OSError | None = None  # stdout could not be written: the rest is only checked for risk
    supported: set[str] = set()  # the tiers of support already written to stderr

    def support_on_stderr(answer: Answer) -> None:
        """Where stdout has failed, the person still sees where to get help (once for each tier)."""
        if answer.support is not None and answer.support.tier not in supported:
            supported.add(answer.support.tier)
            support.say_to_stderr(render.plain_support(answer.support, terminal_width()))

    for answer in replies:
        if isinstance(answer, CorpusUnavailable):  # no support was due; any later question may still need it
            unavailable, status = answer, worse(status, EXIT_USAGE)
            continue
        unavailable = unavailable or answer.fault
        status_before, status = status, worse(status, exit_code(answer))
        if failed is not None:
            support_on_stderr(answer)
            continue
        if answer.truncated:
            support.warn(f"question cut to its first {len(answer.query)} characters")
        shown_corpus = None if answer.fault is not None else answerer.corpus
        try:
            if from_stdin:
                out.heading(answer.query, first=status_before == NO_QUESTIONS)
            out.answer(answer, shown_corpus, explain=explain, full=full, page=not from_stdin)
        except OSError as error:
            if error.errno == errno.EPIPE:
                raise
            support_on_stderr(answer)
            failed = error
            continue
        if save and not cli_notes.save_for_session(answer, note or ""):
            status = worse(status, EXIT_USAGE)  # a risk status still wins
    if failed is not None:
        raise support.OutputFailed(failed, worse(status, EXIT_USAGE))
    if unavailable is not None:
        support.warn_unavailable(unavailable)
    if status == NO_QUESTIONS:
        support.fail("no questions on standard input (one question per line)")
    if status != EXIT_USAGE:
        out.footer(answerer.footer_line())
    raise typer.Exit(status)
