"""Long output on a terminal goes through a pager, as git does; never when piped."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
from contextlib import contextmanager

_COLOUR_CODE = re.compile(r"\x1b\[[0-9;]*m")


def screen_rows(text: str, columns: int) -> int:
    """How many rows `text` fills on a screen `columns` wide (colour codes take no room)."""
    return sum(max(1, -(-len(line) // columns)) for line in _COLOUR_CODE.sub("", text).split("\n"))


def needs_pager(text: str, *, terminal: bool, size: os.terminal_size) -> bool:
    """Page only on a terminal, and only what does not fit above the shell's next prompt."""
    return terminal and screen_rows(text, max(1, size.columns)) >= size.lines


def write_long(text: str) -> None:
    """Write `text`, through $PAGER (less by default, as git uses it) when a terminal cannot show it at once.

    A pager that cannot be started (not installed, a misspelt $PAGER) means the text is printed
    directly, with one line on stderr saying why: the person still sees what they asked for.
    """
    if not needs_pager(text, terminal=sys.stdout.isatty(), size=shutil.get_terminal_size()):
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
        return
    import shlex  # only output that needs a pager reads $PAGER; every run would pay for the import

    command = shlex.split(os.environ.get("PAGER") or "less")
    if not command or shutil.which(command[0]) is None:
        _print_directly(text, command[0] if command else "(empty)", "not found")
        return
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    with _signals_for_pager():
        try:
            pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=env, text=True, encoding="utf-8")
        except OSError as error:
            sys.stderr.write(
                f"therafaq: the pager {command[0]!r} cannot be started ({error.strerror}); printing directly\n"
            )
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
            return
        assert pager.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # quitting the pager early is not an error
            pager.stdin.write(text + "\n")
            pager.stdin.close()
        pager.wait()


def _print_directly(text: str, pager: str, why: str) -> None:
    sys.stderr.write(f"therafaq: the pager {pager!r} cannot be started ({why}); printing directly\n")
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


@contextmanager
def _signals_for_pager():
    """While the pager runs, Ctrl-C belongs to it and quitting it early is not an error.

    The pager is waited for through Ctrl-C and a broken pipe is not an
    error, so the usual Ctrl-C handler and the default SIGPIPE are set aside.
    """
    previous_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
    previous_pipe = signal.signal(signal.SIGPIPE, signal.SIG_IGN) if hasattr(signal, "SIGPIPE") else None
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous_int)
        if previous_pipe is not None:
            signal.signal(signal.SIGPIPE, previous_pipe)
