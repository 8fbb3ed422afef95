"""Questions saved for the person's next therapy session, in a local Markdown file.

The file lives in the user's data directory and nothing in therafaq ever
sends it anywhere. It is created readable by its owner only, because what
someone wants to ask their therapist is private.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from therafaq.corpus import Entry
from therafaq.dirs import data_dir

NOTES_FILE = "for-my-session.md"
HEADER = (
    "# For my session\n\n"
    "Questions I saved with therafaq to talk about with my therapist. "
    "This file stays on this computer; therafaq never sends it anywhere.\n"
)


def notes_path() -> Path:
    return data_dir() / NOTES_FILE


def private_file(path: Path) -> None:
    """Create `path` (and its folder) for its owner only, if it does not exist yet."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))


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
    """Whitespace collapsed, so typed text cannot break the file's Markdown structure."""
    return " ".join(text.split())


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


def append_note(note: Note, path: Path | None = None) -> Path:
    """Add `note` to the file (starting it with a header if empty); returns the file's path."""
    path = path or notes_path()
    private_file(path)
    with path.open("a", encoding="utf-8", errors="replace") as file:
        if file.tell() == 0:
            file.write(HEADER)
        file.write("\n" + format_note(note))
    return path


def read_notes(path: Path | None = None) -> str:
    """The file's text; empty when nothing has been saved."""
    try:
        return (path or notes_path()).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def count_notes(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.startswith("## "))


def clear_notes(path: Path | None = None) -> None:
    """Empty the file, keeping it (and its permissions) in place."""
    path = path or notes_path()
    if path.exists():
        path.write_text("", encoding="utf-8")


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
