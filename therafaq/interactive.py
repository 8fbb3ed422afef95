"""The prompt loop: ask one thing, then the next, and follow related questions by number.

Each line is answered exactly as `therafaq ask` would answer it (same
Answerer, same views), so the two never drift apart. Typer stays out of
here; the CLI passes in what it decided (Rich or plain, which exceptions
Ctrl-C arrives as) and turns the returned number into the exit code.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from therafaq import notes, render
from therafaq.answering import Answer, Answerer
from therafaq.corpus import Entry
from therafaq.matching import closest_ids

if TYPE_CHECKING:
    from types import ModuleType

    from rich.console import Console

EXIT_OK = 0
EXIT_INTERRUPTED = 130
HISTORY_LENGTH = 1000
PROMPT = "therafaq> "
QUIT_WORDS = frozenset({"quit", "exit"})
MAX_NUMBER_DIGITS = 4  # longer runs of digits are asked as a question

GREETING = "Ask a question about your therapist or your therapy, one at a time. Type help for commands."
HELP = """\
Type a question and press Enter. You can also type:
  1, 2, 3      open that numbered related question or suggestion
  topics       list the topics
  show ID      show one entry by its id (the ids are in [brackets])
  save [note]  save the last answer, and your own note, for your next session
  help         show this help
  quit         leave (Ctrl-D works too)
Ctrl-C clears the line; on an empty line it leaves."""


def history_path() -> Path:
    return notes.xdg_dir("XDG_STATE_HOME", ".local/state") / "history"


@dataclass(frozen=True, slots=True)
class Shown:
    """The last thing answered or opened: what `save` keeps."""

    question: str
    entry: Entry | None


class Chat:
    """One session: the corpus index, the numbered choices on screen, the last answer."""

    def __init__(
        self,
        answerer: Answerer,
        *,
        console: Console | None = None,
        interrupts: tuple[type[BaseException], ...] = (KeyboardInterrupt,),
    ) -> None:
        self.answerer = answerer
        self.corpus = answerer.corpus
        self.console = console
        self.interrupts = interrupts
        self.choices: list[Entry] = []
        self.last: Shown | None = None

    # The loop ---------------------------------------------------------------

    def run(self) -> int:
        """Greet, then read lines until quit, Ctrl-D (0) or Ctrl-C on an empty line (130)."""
        on_terminal = sys.stdin.isatty()
        readline = _setup_readline(history_path()) if on_terminal else None
        self.greet()
        try:
            while True:
                try:
                    line = input(PROMPT if on_terminal else "")
                except EOFError:
                    if on_terminal:
                        self._write_raw("\n")
                    return EXIT_OK
                except self.interrupts:
                    pending = readline.get_line_buffer() if readline else ""
                    self._write_raw("\n")
                    if pending.strip():
                        continue
                    return EXIT_INTERRUPTED
                if not self.handle(line):
                    return EXIT_OK
        finally:
            if readline is not None:
                _save_history(readline, history_path())

    def handle(self, line: str) -> bool:
        """Act on one line; False when the person wants to leave."""
        text = line.strip()
        if not text:
            return True
        command, _, rest = text.partition(" ")
        command = command.casefold()
        rest = rest.strip()
        if command in QUIT_WORDS and not rest:
            return False
        if command == "help" and not rest:
            self.say(HELP)
        elif command == "topics" and not rest:
            self.topics()
        elif command == "show" and " " not in rest:
            self.show_id(rest)
        elif command == "save":
            self.save(rest)
        elif text.isdecimal() and len(text) <= MAX_NUMBER_DIGITS:
            self.pick(int(text))
        else:
            self.ask(text)
        return True

    # What each line does ----------------------------------------------------

    def greet(self) -> None:
        if self.console is not None:
            from rich.text import Text

            from therafaq.rich_render import disclaimer

            self.console.print(Text("therafaq", style="bold cyan"), Text(GREETING))
            self.console.print(disclaimer())
        else:
            width = _width()
            self.say(textwrap.fill(f"therafaq: {GREETING}", width) + "\n" + textwrap.fill(render.DISCLAIMER, width))

    def ask(self, question: str) -> None:
        answer = self.answerer.answer(question)
        if answer.truncated:
            self.say(f"(question cut to its first {len(answer.query)} characters)")
        self._show_answer(answer)
        if answer.crisis is not None:
            self.choices = []
        elif answer.answered:
            self.choices = render.related_entries(answer.matches[0].entry, self.corpus)
        else:
            self.choices = [match.entry for match in answer.suggestions]
        best = answer.matches[0].entry if answer.answered else None
        self.last = Shown(answer.query, best)

    def pick(self, number: int) -> None:
        if not self.choices:
            self.say("There is no numbered list to choose from yet; ask a question first.")
        elif not 1 <= number <= len(self.choices):
            self.say(f"Choose a number from 1 to {len(self.choices)}, or ask a question.")
        else:
            self.open(self.choices[number - 1])

    def show_id(self, entry_id: str) -> None:
        if not entry_id:
            self.say("show needs an entry id, e.g. show " + self.corpus.entries[0].id)
            return
        entry = self.corpus.entry(entry_id)
        if entry is None:
            suggestions = closest_ids(self.corpus, entry_id)
            hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else " Type topics to browse."
            self.say(f"No entry with id {render.inert(entry_id)!r}.{hint}")
        else:
            self.open(entry)

    def open(self, entry: Entry) -> None:
        if self.console is not None:
            from therafaq.rich_render import entry_panel

            self.console.print(entry_panel(entry, self.corpus))
        else:
            self.say(render.plain_entry(entry, self.corpus, _width()) + "\n")
        self.choices = render.related_entries(entry, self.corpus)
        self.last = Shown(entry.question, entry)

    def topics(self) -> None:
        if self.console is not None:
            from therafaq.rich_render import topics_table

            self.console.print(topics_table(self.corpus))
        else:
            self.say(render.plain_topics(self.corpus))

    def save(self, thoughts: str) -> None:
        if self.last is None:
            self.say("Nothing to save yet: ask a question first, then type save.")
            return
        note = notes.note_for(self.last.question, self.last.entry, thoughts)
        try:
            path = notes.append_note(note)
        except OSError as error:
            self.say(f"Could not save: {render.inert(str(error))}")
            return
        self.say(f"Saved for your next session in {render.inert(str(path))} (see it with: therafaq saved).")

    # Output -----------------------------------------------------------------

    def _show_answer(self, answer: Answer) -> None:
        if self.console is not None:
            from therafaq.rich_render import answer_view

            self.console.print(answer_view(answer, self.corpus))
        else:
            self.say(render.plain_answer(answer, self.corpus, _width()) + "\n")

    def say(self, text: str) -> None:
        """A message of our own (already safe to print)."""
        if self.console is not None:
            from rich.text import Text

            self.console.print(Text(text))
        else:
            self._write_raw(text + "\n")

    def _write_raw(self, text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()


def _width() -> int:
    return max(40, min(100, shutil.get_terminal_size((80, 24)).columns))


# Line editing and history ---------------------------------------------------


def _setup_readline(path: Path) -> ModuleType | None:
    """The standard library's readline with the saved history, or None where it is missing."""
    try:
        import readline
    except ImportError:
        return None
    readline.set_history_length(HISTORY_LENGTH)
    with contextlib.suppress(OSError):  # no history yet, or unreadable: start afresh
        readline.read_history_file(path)
    return readline


def _save_history(readline: ModuleType, path: Path) -> None:
    """Keep the history for next time, readable by its owner only (questions are private)."""
    try:
        notes.private_file(path)
        readline.write_history_file(path)
    except OSError as error:
        sys.stderr.write(f"therafaq: warning: could not save the history in {path}: {error}\n")
