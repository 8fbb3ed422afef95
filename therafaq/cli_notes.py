"""The commands about what the person keeps: saved questions for their session, and chat's history.

Plain functions with Typer's annotations; `cli` registers them, so the command
layer stays one app while each module keeps to one concern.
"""

# No `from __future__ import annotations` here: Typer evaluates string annotations one by one
# when it builds a command (1.5 ms of every run).
import sys
from typing import Annotated

import typer

from therafaq import cli_support as support
from therafaq import render
from therafaq.answering import Answer
from therafaq.output import write


def save_for_session(answer: Answer, thoughts: str) -> bool:
    """Keep the answer for the person's session; False (and a message) when the file cannot be written."""
    from therafaq import notes
    from therafaq.user_files import UserFileError

    best = answer.matches[0].entry if answer.answered else None
    try:
        path = notes.append_note(notes.note_for(answer.query, best, thoughts, support_shown=answer.support is not None))
    except notes.AlreadySaved:
        typer.echo("therafaq: this question is saved already (see: therafaq saved)", err=True)
        return True
    except UserFileError as error:
        support.warn(f"could not save for your session: {render.inert(str(error))}")
        return False
    typer.echo(f"therafaq: saved for your session in {render.inert(str(path))} (see: therafaq saved)", err=True)
    return True


def history(
    clear: Annotated[bool, typer.Option("--clear", help="Empty the history file.")] = False,
) -> None:
    """Show, or with --clear empty, the questions chat remembers for Up and Down.

    Messages that were answered with support are never kept. Turn history off
    with chat --no-history or THERAFAQ_NO_HISTORY=1.

    Examples: therafaq history  |  therafaq history --clear
    """
    from therafaq import user_files
    from therafaq.interactive import history_path

    path = history_path()
    shown_path = render.inert(str(path))
    try:
        if clear:
            user_files.write_text(path, "")
            typer.echo(f"therafaq: emptied {shown_path}", err=True)
            return
        text = user_files.read_text(path)
    except user_files.UserFileError as error:
        support.fail(render.inert(str(error)))
    if not text.strip():
        typer.echo(f"therafaq: no history kept; the file would be {shown_path}", err=True)
        return
    write(render.inert(text).rstrip("\n"))


def saved(
    clear: Annotated[bool, typer.Option("--clear", help="Empty the file, after asking.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --clear: do not ask first.")] = False,
    remove: Annotated[
        int | None, typer.Option("--remove", metavar="N", min=1, help="Remove saved question N (as numbered).")
    ] = None,
    plain: support.PlainOption = False,
) -> None:
    """Print the questions you saved for your next session.

    Save them with ask --save (or save in chat). The file is
    $XDG_DATA_HOME/therafaq/for-my-session.md (by default under ~/.local/share);
    it stays on this computer and is never sent anywhere. On a terminal the
    questions are numbered; --remove N takes one out.

    Examples: therafaq saved  |  therafaq saved --remove 2  |  therafaq saved --clear
    """
    from therafaq import notes
    from therafaq.user_files import UserFileError

    path = notes.notes_path()
    shown_path = render.inert(str(path))
    try:
        text = notes.read_notes(path)
    except UserFileError as error:
        support.fail(render.inert(str(error)))
    if not text.strip():
        typer.echo(f'therafaq: nothing saved yet (try: therafaq ask "..." --save); the file: {shown_path}', err=True)
        return
    if remove is not None:
        try:
            heading = notes.remove_note(remove, path)
        except IndexError:
            support.fail(
                f"there is no saved question {remove}; there are {notes.count_notes(text)} (see: therafaq saved)"
            )
        except UserFileError as error:
            support.fail(render.inert(str(error)))
        typer.echo(f"therafaq: removed saved question {remove}: {render.inert(heading)}", err=True)
        return
    if not clear:
        support.output(plain=plain).notes(text)
        return
    if not yes:
        if not sys.stdin.isatty():
            support.fail("saved --clear asks before emptying the file; without a terminal, add --yes")
        count = notes.count_notes(text)
        if not typer.confirm(f"Remove the {count} saved question(s) in {shown_path}?", default=False, err=True):
            typer.echo("therafaq: nothing cleared", err=True)
            return
    try:
        removed = notes.clear_notes(text, path)
    except UserFileError as error:
        support.fail(render.inert(str(error)))
    left = notes.count_notes(notes.read_notes(path))
    since = f"; {left} saved since were kept" if left else ""
    typer.echo(f"therafaq: removed {removed} saved question(s) from {shown_path}{since}", err=True)
