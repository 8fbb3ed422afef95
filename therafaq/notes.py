"""Questions saved for the person's next therapy session, in a local Markdown file.

The file lives in the user's data directory and nothing in therafaq ever
sends it anywhere. It is created readable by its owner only, because what
someone wants to ask their therapist is private.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from therafaq.corpus import Entry
from therafaq.dirs import data_dir
from therafaq.render import inert
from therafaq.user_files import read_text, write_text

NOTES_FILE = "for-my-session.md"
HEADER = (
    "# For my session\n\n"
    "Questions I saved with therafaq to talk about with my therapist. "
    "This file stays on this computer; therafaq never sends it anywhere.\n"
)


def notes_path() -> Path:
    return data_dir() / NOTES_FILE


@dataclass(frozen=True, slots=True)
class Note:
    """What the person asked, what therafaq matched (if anything) and their own words."""

    question: str
    day: date
    entry_id: str | None = None
    entry_question: str | None = None
    thoughts: str = ""
    support_shown: bool = False


def _one_line(text: str) -> str:
    """Whitespace collapsed, so typed text cannot break the file's Markdown structure, and
    control characters made visible, as on a terminal (the file is read with `cat`)."""
    return inert(" ".join(text.split()))


def format_note(note: Note) -> str:
    lines = [f"## {note.day.isoformat()}: {_one_line(note.question)}", ""]
    if note.support_shown:
        lines.append("- therafaq showed where to get support for this one (see again: therafaq help-now).")
    if note.entry_id is None and not note.support_shown:
        lines.append("- therafaq had no answer for this one.")
    elif note.entry_id is not None:
        lines.append(f'- Answer I read: "{_one_line(note.entry_question or "")}" (therafaq show {note.entry_id})')
    if _one_line(note.thoughts):
        lines.append(f"- My thoughts: {_one_line(note.thoughts)}")
    return "\n".join(lines) + "\n"


class AlreadySaved(Exception):
    """The same question, with the same answer and thoughts, is in the file already."""


def append_note(note: Note, path: Path | None = None) -> Path:
    """Add `note` to the file (starting it with a header if empty); returns the file's path.

    Raises AlreadySaved for a note that repeats a saved one on any day (saving twice is a slip,
    not a wish for two copies), and UserFileError when the file cannot be read or written (it is
    then unchanged).
    """
    path = path or notes_path()
    text = read_text(path)
    if _undated(format_note(note).strip("\n")) in {_undated(saved) for saved in entries(text)}:
        raise AlreadySaved(note.question)
    write_text(path, (text or HEADER) + "\n" + format_note(note))
    return path


def _undated(note: str) -> str:
    """A saved note without its date: "## 2026-12-01: question" becomes "## question"."""
    heading, _, rest = note.partition("\n")
    return heading.split(": ", 1)[-1] + "\n" + rest


def read_notes(path: Path | None = None) -> str:
    """The file's text; empty when nothing has been saved. Raises UserFileError."""
    return read_text(path or notes_path())


def entries(text: str) -> list[str]:
    """The saved notes in the file's text, each from its "## " heading on."""
    blocks = ("\n" + text).split("\n## ")[1:]
    return ["## " + block.strip("\n") for block in blocks]


def count_notes(text: str) -> int:
    return len(entries(text))


def clear_notes(shown: str, path: Path | None = None) -> int:
    """Remove the notes in `shown` (what the person saw and agreed to clear), keeping any
    saved since; returns how many were removed. Raises UserFileError."""
    path = path or notes_path()
    kept = entries(read_text(path))
    removed = 0
    for note in entries(shown):
        if note in kept:
            kept.remove(note)
            removed += 1
    write_text(path, HEADER + "".join("\n" + note + "\n" for note in kept) if kept else "")
    return removed


def note_for(question: str, entry: Entry | None, thoughts: str = "", *, support_shown: bool = False) -> Note:
    """A note dated today for `question`, answered by `entry` (None when nothing fitted)."""
    return Note(
        question=question,
        day=date.today(),
        entry_id=entry.id if entry else None,
        entry_question=entry.question if entry else None,
        thoughts=thoughts,
        support_shown=support_shown,
    )


def remove_note(number: int, path: Path | None = None) -> str:
    """Remove the `number`th saved note (from 1, in the file's order); returns its heading.

    Raises IndexError for a number no note has, and UserFileError.
    """
    path = path or notes_path()
    saved = entries(read_text(path))
    if not 1 <= number <= len(saved):
        raise IndexError(number)
    removed = saved.pop(number - 1)
    write_text(path, HEADER + "".join("\n" + note + "\n" for note in saved) if saved else "")
    return removed.splitlines()[0].removeprefix("## ")
