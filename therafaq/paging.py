"""Long output on a terminal goes through a pager, as git does; never when piped."""

from __future__ import annotations

import os
import re
import shutil
import signal
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
    """Write `text`, through $PAGER (less by default, as git uses it) when a terminal cannot show it at once."""
    if not needs_pager(text, terminal=sys.stdout.isatty(), size=shutil.get_terminal_size()):
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
        return
    import pydoc

    os.environ.setdefault("LESS", "FRX")
    with _signals_for_pager():
        pydoc.pager(text + "\n")


@contextmanager
def _signals_for_pager():
    """While the pager runs, Ctrl-C belongs to it and quitting it early is not an error.

    pydoc waits for the pager through KeyboardInterrupt and ignores a broken
    pipe, so the usual Ctrl-C handler and the default SIGPIPE are set aside.
    """
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    previous_pipe = signal.signal(signal.SIGPIPE, signal.SIG_IGN) if hasattr(signal, "SIGPIPE") else None
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous_int)
        if previous_pipe is not None:
            signal.signal(signal.SIGPIPE, previous_pipe)
