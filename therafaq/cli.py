"""The therafaq command line: parsing, dispatch, output modes, exit codes.

The library modules raise their own exceptions; this is the one place they
become messages on stderr and exit codes (0 answered, 1 not answered,
2 usage or data error, 3 crisis, 130 interrupted).
"""

# No `from __future__ import annotations` here: Typer evaluates string annotations one by one
# when it builds a command (1.5 ms of every run).
import contextlib
import copy
import errno
import os
import signal
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
import typer.core
from typer._click.exceptions import UsageError  # Typer 0.28 vendors Click and exports no UsageError

from therafaq import __version__, cli_ask, cli_corpus, cli_notes, render
from therafaq import cli_support as support
from therafaq.answering import CorpusUnavailable
from therafaq.corpus import Corpus, Entry
from therafaq.exits import EXIT_INTERRUPTED, EXIT_RISK, EXIT_USAGE
from therafaq.matching import closest_ids
from therafaq.output import write


class _Commands(typer.core.TyperGroup):
    """Typer's command group, but a command line that cannot be parsed still gets the risk check.

    `ask --top 99 "I want to die"` is a usage error; the person typing it
    must see support all the same, so the words are checked before the
    error is shown, and the exit status is 3 when they show risk.
    """

    def main(self, *args: object, **kwargs: object) -> object:
        """Shell completion (the scripts `therafaq completion` prints) is answered here; its
        machinery is set up only when a shell asks, so other runs never pay for it."""
        if os.environ.get("_THERAFAQ_COMPLETE"):
            from typer._completion_classes import completion_init

            completion_init()
        return super().main(*args, **kwargs)  # type: ignore[arg-type]

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        arguments = [*ctx._protected_args, *ctx.args]  # the command's words, before Click consumes them
        try:
            return super().invoke(ctx)
        except UsageError as error:
            if support.risk_before_usage_error(arguments):
                error.exit_code = EXIT_RISK
            raise


app = typer.Typer(
    cls=_Commands,
    name="therafaq",
    help=(
        "Honest, sourced answers to the questions people ask about their therapist.\n\n"
        f"{render.DISCLAIMER}\n\n"
        'Example: therafaq ask "do therapists have favorite clients?"\n\n'
        "On a terminal, therafaq on its own opens a prompt to ask one question after another."
    ),
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,  # `therafaq completion SHELL` instead: it installs for the shell named
    rich_markup_mode=None,
)


# Commands -------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        typer.echo(f"therafaq {__version__}")
        raise typer.Exit()


class ColorChoice(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True)
    ] = False,
    color: Annotated[
        ColorChoice,
        typer.Option(
            "--color",
            help="Colour and panels: auto (on a terminal, without NO_COLOR; FORCE_COLOR forces them), always, never.",
            case_sensitive=False,
        ),
    ] = ColorChoice.auto,
) -> None:
    ctx.obj = {"color": color.value}
    if ctx.invoked_subcommand is None:
        if support.terminal_session():
            raise typer.Exit(_chat(None, plain=False, region=support.valid_region(None)))
        typer.echo(ctx.get_help())
        raise typer.Exit()


@app.command("help")
def help_command(
    ctx: typer.Context,
    command: Annotated[str | None, typer.Argument(help="The command to explain (all of them when left out).")] = None,
) -> None:
    """Show help for therafaq, or for one command.

    Example: therafaq help ask
    """
    root = ctx.find_root()
    group = root.command
    if command is None:
        write(root.get_help())
        return
    assert isinstance(group, typer.core.TyperGroup)
    found = group.get_command(root, command.strip().lower())
    if found is None:
        from rapidfuzz import fuzz, process

        near = [name for name, _, _ in process.extract(command, group.list_commands(root), scorer=fuzz.WRatio, limit=2)]
        support.fail(f"no command {render.inert(command)!r}; did you mean: {', '.join(near)}? (see: therafaq help)")
    with typer.Context(found, info_name=command.strip().lower(), parent=root) as sub:
        write(found.get_help(sub))


app.command()(cli_ask.ask)


@app.command()
def topics(
    json_output: support.JsonOption = False, plain: support.PlainOption = False, corpus: support.CorpusOption = None
) -> None:
    """List the topics, with how many questions each holds.

    Example: therafaq topics
    """
    support.output(json_output=json_output, plain=plain).topics(support.load(corpus))


@app.command("list")
def list_entries(
    topic: support.TopicOption = None,
    json_output: support.JsonOption = False,
    plain: support.PlainOption = False,
    corpus: support.CorpusOption = None,
) -> None:
    """List every question, grouped by topic.

    Example: therafaq list --topic boundaries
    """
    loaded = support.load(corpus)
    support.check_topic(loaded, topic)
    from therafaq.signposts import region_from

    chosen = [t for t in loaded.topics if topic is None or t.id == topic]
    support.output(json_output=json_output, plain=plain).entries(loaded, chosen, region_from(None))


@app.command()
def show(
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="An entry id, as listed by: therafaq list", autocompletion=support.complete_entry
        ),
    ],
    json_output: support.JsonOption = False,
    plain: support.PlainOption = False,
    corpus: support.CorpusOption = None,
    region: support.RegionOption = None,
) -> None:
    """Show one entry in full (an id merged into another entry shows that entry).

    Example: therafaq show hugs-and-touch
    """
    loaded = support.load(corpus)
    entry = loaded.entry(entry_id)
    if entry is None:
        suggestions = closest_ids(loaded, entry_id)
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else "; see: therafaq list"
        support.fail(f"no entry with id {render.inert(entry_id)!r}{hint}")
    _show_entry(entry, loaded, json_output=json_output, plain=plain, region=region)


@app.command("random")
def random_entry(
    topic: support.TopicOption = None,
    json_output: support.JsonOption = False,
    plain: support.PlainOption = False,
    corpus: support.CorpusOption = None,
    region: support.RegionOption = None,
) -> None:
    """Show one entry at random, for when you are not sure what to ask.

    Example: therafaq random --topic boundaries
    """
    import random

    loaded = support.load(corpus)
    support.check_topic(loaded, topic)
    candidates = loaded.entries_in(topic)
    if not candidates:
        support.fail("the corpus has no entries to choose from")
    _show_entry(random.choice(candidates), loaded, json_output=json_output, plain=plain, region=region)


def _show_entry(entry: Entry, corpus: Corpus, *, json_output: bool, plain: bool, region: str | None) -> None:
    from therafaq.signposts import default_signposts

    out = support.output(json_output=json_output, plain=plain)
    out.entry(entry, corpus, region)
    out.footer(default_signposts().footer_line(region))


HistoryOption = Annotated[
    bool,
    typer.Option("--no-history", help="Keep no history of what you type (also: THERAFAQ_NO_HISTORY=1)."),
]


@app.command()
def chat(
    plain: support.PlainOption = False,
    no_history: HistoryOption = False,
    region: support.RegionOption = None,
    corpus: support.CorpusOption = None,
) -> None:
    """Ask question after question; open related ones by their number.

    Example: therafaq chat  (on a terminal, plain "therafaq" does the same)
    """
    raise typer.Exit(_chat(corpus, plain=plain, no_history=no_history, region=region))


def _chat(corpus_option: Path | None, *, plain: bool, no_history: bool = False, region: str | None = None) -> int:
    from therafaq.interactive import Chat, history_enabled

    answerer = support.answerer(corpus_option, region=region)
    try:
        answerer.corpus  # noqa: B018 - load now, so a broken corpus is reported before the prompt
    except CorpusUnavailable as error:
        support.fail(support.unavailable_text(error))
    chat = Chat(
        answerer,
        out=support.output(plain=plain, chat=True),
        interrupts=(KeyboardInterrupt, support.Interrupted),
        history=history_enabled(no_history),
    )
    return chat.run()


class Shell(str, Enum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


@app.command()
def completion(
    shell: Annotated[Shell, typer.Argument(help="The shell to complete in: bash, zsh or fish.", case_sensitive=False)],
    install: Annotated[bool, typer.Option("--install", help="Install it for that shell, not just print it.")] = False,
) -> None:
    """Print, or with --install install, tab completion of commands, ids and topics for a shell.

    Examples: therafaq completion zsh --install  |  therafaq completion fish > ~/.config/fish/completions/therafaq.fish
    """
    from typer._completion_shared import get_completion_script
    from typer._completion_shared import install as install_script

    names = {"prog_name": "therafaq", "complete_var": "_THERAFAQ_COMPLETE"}
    if not install:
        write(get_completion_script(shell=shell.value, **names).rstrip("\n"))
        return
    installed, path = install_script(shell=shell.value, **names)
    typer.echo(f"therafaq: {installed} completion installed in {render.inert(str(path))}; open a new shell", err=True)


@app.command("help-now")
def help_now(
    json_output: support.JsonOption = False, plain: support.PlainOption = False, region: support.RegionOption = None
) -> None:
    """Where to get help now: crisis lines for where you are, and what can help.

    Example: therafaq help-now --region GB
    """
    from therafaq.signposts import default_signposts

    support.output(json_output=json_output, plain=plain).support(default_signposts().help_now(region))


app.command()(cli_notes.history)
app.command()(cli_notes.saved)
app.command("eval")(cli_corpus.evaluate)
app.command()(cli_corpus.validate)
app.command()(cli_corpus.schema)


# Entry point ---------------------------------------------------------------------


def _interrupt(signum: int, frame: object) -> None:
    raise support.Interrupted


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command being run, when one is named.

    Typer builds every command's parameters before running any; building
    just the one asked for is Click's "lazily loading subcommands" pattern,
    and saves 4% of an `ask` (98 ms against 102, README "Speed"). Help, `therafaq help`,
    completion and bare `therafaq` get the full app.
    """
    if not args or args[0] == "help" or os.environ.get("_THERAFAQ_COMPLETE"):
        return app
    chosen = [info for info in app.registered_commands if _command_name(info) == args[0]]
    if not chosen:
        return app
    lean = copy.copy(app)
    lean.registered_commands = chosen
    return lean


def _command_name(info: typer.models.CommandInfo) -> str | None:
    return info.name or getattr(info.callback, "__name__", None)


def main() -> None:
    """Console entry point: quiet on a closed pipe, exit 130 on Ctrl-C."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    signal.signal(signal.SIGINT, _interrupt)
    if sys.stdin is None:  # started with stdin closed: read as empty
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stdout is None:
        support.say_to_stderr("therafaq: error: standard output is closed; nothing can be shown")
        sys.exit(EXIT_USAGE)
    try:
        _app_for(sys.argv[1:])(prog_name="therafaq")
    except support.Interrupted:
        sys.stderr.write("\n")
        sys.exit(EXIT_INTERRUPTED)
    except support.OutputFailed as failed:
        _output_failed(failed.error, failed.status)
    except OSError as error:
        if error.errno == errno.EPIPE:  # the reader went away: nothing more to say
            sys.exit(0)
        _output_failed(error, EXIT_USAGE)


def _output_failed(error: OSError, status: int) -> NoReturn:
    """Standard output could not be written (a full disk, a closed descriptor): say so where it can be
    said, and leave nothing for the interpreter to retry (and fail at) on its way out."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    support.say_to_stderr(f"therafaq: error: could not write the output: {error.strerror or error}")
    sys.exit(status)
