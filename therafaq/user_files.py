"""The person's own files (saved notes, chat history): read and written so they can be trusted.

They are never written through a symbolic link (whatever it points at is
not ours to truncate), and never half-written: new text goes to a private
temporary file beside the old one, which replaces it only once it is
whole, so a full disk or Ctrl-C leaves the previous file as it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


class UserFileError(Exception):
    """A file of the person's that cannot be read or written; the message says which and why."""


def read_text(path: Path) -> str:
    """The file's text, or "" when it does not exist yet."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    except IsADirectoryError:
        raise UserFileError(f"{path} is a directory, not a file") from None
    except OSError as error:
        raise UserFileError(f"cannot read {path}: {error.strerror or error}") from None


def write_text(path: Path, text: str) -> None:
    """Replace the file's text whole, for its owner only."""
    write_with(path, lambda temporary: temporary.write_text(text, encoding="utf-8", errors="replace"))


def write_with(path: Path, write: Callable[[Path], object]) -> None:
    """Have `write` fill a private temporary file, then put it in `path`'s place."""
    if path.is_symlink():
        raise UserFileError(f"{path} is a symbolic link; therafaq does not write through links")
    if path.is_dir():
        raise UserFileError(f"{path} is a directory, not a file")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        write(temporary)
        os.replace(temporary, path)
    except OSError as error:
        raise UserFileError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        temporary.unlink(missing_ok=True)
