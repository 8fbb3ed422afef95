"""The prompt loop: ask one thing, then the next, and follow related questions by number.

Each line is answered exactly as `therafaq ask` would answer it (same
Answerer, same views), so the two never drift apart. Typer stays out of
here; the CLI passes in what it decided (Rich or plain, which exceptions
Ctrl-C arrives as) and turns the returned number into the exit code.
"""

from __future__ import annotations

import contextlib
import os
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from therafaq import notes, render, user_files
from therafaq.answering import Answer, Answerer, CorpusUnavailable
from therafaq.corpus import Entry, Topic
from therafaq.dirs import state_dir
from therafaq.exits import EXIT_INTERRUPTED, EXIT_OK, EXIT_RISK
from therafaq.matching import closest_ids
from therafaq.output import Output, terminal_width
from therafaq.user_files import UserFileError

if TYPE_CHECKING:
    from types import ModuleType


HISTORY_LENGTH = 1000
PROMPT = "therafaq> "
QUIT_WORDS = frozenset({"quit", "exit", "q"})
NO_HISTORY_VARIABLE = "THERAFAQ_NO_HISTORY"
MAX_NUMBER_DIGITS = 4  # longer runs of digits are asked as a question

GREETING = (
    "Ask a question about your therapist or your therapy, one at a time, for example:\n"
    '  "do therapists have favourite clients?"   "can I hug my therapist?"   "my T cried, is that ok"\n'
    "Type topics or list to browse, help (or ?) for commands."
)
HELP = """\
Type a question and press Enter. You can also type:
  1, 2, 3        open that numbered question (related, suggested or listed)
  topics         list the topics; then a topic's number or id lists its questions
  list [TOPIC]   list every question, or one topic's
  random         show a question at random
  show ID        show one entry by its id (the ids are in [brackets])
  back           show again what you read before the last one
  save [note]    save the last answer, and your own note, for your next session
  forget         empty the history of what you typed (Up and Down)
  clear          clear the screen
  help, ?        show this help
  quit, exit, q  leave (Ctrl-D works too)
Ctrl-C clears the line; on an empty line it leaves."""


def history_path() -> Path:
    return state_dir() / "history"


def history_enabled(no_history: bool) -> bool:
    """History is kept unless --no-history or THERAFAQ_NO_HISTORY (any value but empty or 0) says not."""
    return not no_history and os.environ.get(NO_HISTORY_VARIABLE, "") in ("", "0")


@dataclass(frozen=True, slots=True)
class Shown:
    """The last thing answered or opened: what `save` keeps."""

    question: str
    entry: Entry | None
    support_shown: bool = False


class Chat:
    """One session: the corpus index, the numbered choices on screen, the last answer."""

    def __init__(
        self,
        answerer: Answerer,
        *,
        out: Output | None = None,
        interrupts: tuple[type[BaseException], ...] = (KeyboardInterrupt,),
        history: bool = True,
    ) -> None:
        self.answerer = answerer
        self.corpus = answerer.corpus
        self.out = out or Output("plain", chat=True)
        self.interrupts = interrupts
        self.history = history
        self.choices: list[Entry] = []
        self.topic_choices: list[Topic] = []  # after `topics`: a number or an id lists that topic
        self.trail: list[Entry] = []  # entries opened, for `back`
        self.last: Shown | None = None
        self.risk_shown = False  # any reply this session showed support: help stays in every reply after
        self._risk_reply = False  # the line just handled got support: it must not stay in the history
        self._readline: ModuleType | None = None

    # The loop ---------------------------------------------------------------

    def run(self) -> int:
        """Greet, then read lines until quit, Ctrl-D (0) or Ctrl-C on an empty line (130);
        3 instead when any reply showed support (a wrapper must not hide that)."""
        on_terminal = sys.stdin.isatty()
        path = history_path() if self.history else None
        readline = self._readline = _setup_readline(path) if on_terminal else None
        self.greet()
        try:
            while True:
                try:
                    line = input(PROMPT if on_terminal else "")
                except EOFError:
                    if on_terminal:
                        self._write_raw("\n")
                    return self._status(EXIT_OK)
                except self.interrupts:
                    pending = readline.get_line_buffer() if readline else ""
                    self._write_raw("\n")
                    if pending.strip():
                        continue
                    return self._status(EXIT_INTERRUPTED)
                self._risk_reply = False
                keep_going = self.handle(line)
                if self._risk_reply and readline is not None:
                    _forget_last_line(readline)
                if not keep_going:
                    return self._status(EXIT_OK)
        finally:
            if readline is not None and path is not None:
                _save_history(readline, path)

    def _status(self, code: int) -> int:
        return EXIT_RISK if self.risk_shown else code

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
        if command in ("help", "?") and not rest:
            self.say(HELP)
        elif command == "topics" and not rest:
            self.topics()
        elif command == "list" and " " not in rest:
            self.list_topic(rest)
        elif command == "random" and not rest:
            self.random_entry()
        elif command == "back" and not rest:
            self.back()
        elif command == "clear" and not rest:
            self.out.clear()
        elif self.topic_choices and self.corpus.topic(text) is not None:
            self.list_topic(text)
        elif command == "show" and " " not in rest:
            self.show_id(rest)
        elif command == "save":
            self.save(rest)
        elif command == "forget" and not rest:
            self.forget()
        elif text.isdecimal() and len(text) <= MAX_NUMBER_DIGITS:
            self.pick(int(text))
        else:
            self.ask(text)
        if command != "topics":
            self.topic_choices = []
        return True

    # What each line does ----------------------------------------------------

    def greet(self) -> None:
        width = terminal_width()
        self.say("\n".join(textwrap.fill(line, width) for line in f"therafaq: {GREETING}".splitlines()))
        self.out.footer(self.answerer.footer_line())

    def ask(self, question: str) -> None:
        try:
            answer = self.answerer.answer(question)
        except CorpusUnavailable as error:
            self.say(f"therafaq could not look this up: {render.inert(str(error))}")
            return
        if answer.truncated:
            self.say(f"(question cut to its first {len(answer.query)} characters)")
        if answer.support is not None:
            self.risk_shown = self._risk_reply = True
        self._show_answer(answer)
        if answer.fault is not None:
            self.say(f"(therafaq could not also look up an answer: {render.inert(str(answer.fault))})")
        if answer.answered:
            self.choices = render.related_entries(answer.matches[0].entry, self.corpus)
            self.trail.append(answer.matches[0].entry)
        elif answer.crisis:
            self.choices = []
        else:
            self.choices = [match.entry for match in answer.suggestions]
        best = answer.matches[0].entry if answer.answered else None
        self.last = Shown(answer.query, best, answer.support is not None)

    def pick(self, number: int) -> None:
        if self.topic_choices:
            if 1 <= number <= len(self.topic_choices):
                self.list_topic(self.topic_choices[number - 1].id)
            else:
                self.say(f"Choose a topic from 1 to {len(self.topic_choices)}.")
            return
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
        self.out.entry(entry, self.corpus, self.answerer.region)
        self.choices = render.related_entries(entry, self.corpus)
        self.trail.append(entry)
        self.last = Shown(entry.question, entry)

    def topics(self) -> None:
        """The topics, numbered: a number or an id then lists that topic's questions."""
        self.topic_choices = list(self.corpus.topics)
        lines = [
            f"  {n}. {render.inert(t.title)} [{render.inert(t.id)}]: {render.inert(t.description)}"
            for n, t in enumerate(self.topic_choices, start=1)
        ]
        self.say("\n".join(["Topics:", *lines, "Type a number or an id to see a topic's questions."]))

    def list_topic(self, name: str) -> None:
        """A topic's questions (every question with no topic named), numbered to open."""
        topic = self.corpus.topic(name) if name else None
        if name and topic is None:
            self.say(f"No topic {render.inert(name)!r}. Type topics to see them.")
            return
        shown = self.corpus.entries_in(topic.id if topic else None)
        title = render.inert(topic.title) if topic else "Every question"
        lines = [f"  {n}. {render.inert(e.question)} [{render.inert(e.id)}]" for n, e in enumerate(shown, start=1)]
        self.say("\n".join([f"{title}:", *lines, "Type a number to open one."]))
        self.choices = list(shown)

    def random_entry(self) -> None:
        import random

        self.open(random.choice(self.corpus.entries))

    def back(self) -> None:
        if len(self.trail) < 2:
            self.say("Nothing to go back to yet.")
            return
        self.trail.pop()
        self.open(self.trail.pop())

    def save(self, thoughts: str) -> None:
        if self.last is None:
            self.say("Nothing to save yet: ask a question first, then type save.")
            return
        note = notes.note_for(self.last.question, self.last.entry, thoughts, support_shown=self.last.support_shown)
        try:
            path = notes.append_note(note)
        except notes.AlreadySaved:
            self.say("That question is saved already (see it with: therafaq saved).")
            return
        except UserFileError as error:
            self.say(f"Could not save: {render.inert(str(error))}")
            return
        self.say(f"Saved for your next session in {render.inert(str(path))} (see it with: therafaq saved).")

    def forget(self) -> None:
        if self._readline is not None:
            self._readline.clear_history()
        try:
            user_files.write_text(history_path(), "")
        except UserFileError as error:
            self.say(f"Could not empty the history: {render.inert(str(error))}")
            return
        self.say("History emptied: Up and Down recall nothing from before now.")

    # Output -----------------------------------------------------------------

    def _show_answer(self, answer: Answer) -> None:
        self.out.answer(answer, None if answer.fault is not None else self.corpus)
        if self.risk_shown and answer.support is None:
            self.say(self.answerer.help_line())

    def say(self, text: str) -> None:
        """A message of our own (already safe to print)."""
        self.out.message(text)

    def _write_raw(self, text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()


# Line editing and history ---------------------------------------------------


def _setup_readline(path: Path | None) -> ModuleType | None:
    """The standard library's readline with the saved history (none when `path` is None),
    or None where readline is missing."""
    try:
        import readline
    except ImportError:
        return None
    readline.set_history_length(HISTORY_LENGTH)
    if path is not None:
        with contextlib.suppress(OSError):  # no history yet, or unreadable: start afresh
            readline.read_history_file(path)
    return readline


def _forget_last_line(readline: ModuleType) -> None:
    """Drop the line just typed from the history: a message that got support is never kept."""
    length = readline.get_current_history_length()
    if length:
        readline.remove_history_item(length - 1)


def _save_history(readline: ModuleType, path: Path) -> None:
    """Keep the history for next time, readable by its owner only (questions are private)."""
    try:
        user_files.write_with(path, readline.write_history_file)
    except UserFileError as error:
        sys.stderr.write(f"therafaq: warning: could not save the history: {render.inert(str(error))}\n")
