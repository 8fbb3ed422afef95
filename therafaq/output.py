"""The one place that decides how results are shown: JSON, Rich on a terminal, or plain text.

Every command and chat hand their results to an `Output` chosen once, as
sqlite-utils hands rows to one writer: each kind of result has one method,
and the three modes are written side by side, so a new result or a new mode
cannot be added to some commands and forgotten in others. JSON is written
with `json` (`json_render.to_json`), never through Rich; Rich is imported only
for a terminal.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from therafaq import json_render, paging, render
from therafaq.answering import Answer
from therafaq.corpus import Corpus, Entry, Topic
from therafaq.signposts import Support

if TYPE_CHECKING:
    from rich.console import Console

Mode = Literal["json", "rich", "plain"]
Color = Literal["auto", "always", "never"]


def terminal_width() -> int:
    """Plain text wraps at the terminal's width, but never wider than a readable 88 columns."""
    return max(40, min(88, shutil.get_terminal_size((80, 24)).columns))


def write(text: str) -> None:
    """Text to stdout, flushed (a script reading a pipe waits for each line)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


class Output:
    def __init__(self, mode: Mode, *, chat: bool = False, color: Color = "auto") -> None:
        self.mode = mode
        self.chat = chat  # hints in chat's own words ("type save")
        self.color = color
        self._console: Console | None = None

    @classmethod
    def choose(
        cls, *, json_output: bool = False, plain: bool = False, chat: bool = False, color: Color = "auto"
    ) -> Output:
        """JSON when asked. Otherwise Rich on a terminal (not `--plain`, not TERM=dumb), or wherever
        colour is forced (`--color always`, or FORCE_COLOR set and `--color` left at auto); plain text
        anywhere else. NO_COLOR (and `--color never`) keep Rich's layout but drop its colours."""
        if json_output:
            return cls("json")
        if color == "auto" and os.environ.get("FORCE_COLOR"):
            color = "always"
        terminal = sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
        rich = not plain and (terminal or color == "always")
        return cls("rich" if rich else "plain", chat=chat, color=color)

    @property
    def console(self) -> Console:
        if self._console is None:
            from therafaq.rich_render import make_console

            forced = self.color == "always"
            self._console = make_console(
                force_terminal=True if forced else None,
                no_color=True if self.color == "never" else (False if forced else None),
            )
        return self._console

    # Results ----------------------------------------------------------------

    def answer(
        self, answer: Answer, corpus: Corpus | None, *, explain: bool = False, full: bool = False, page: bool = False
    ) -> None:
        """One reply. With `page`, one too long for the terminal goes through the pager (never when piped)."""
        if self.mode == "json":
            write(json_render.answer_json(answer, explain=explain))
        elif self.mode == "rich":
            from therafaq.rich_render import answer_view

            view = answer_view(answer, corpus, explain=explain, chat=self.chat, full=full)
            if not page:
                self.console.print(view)
                return
            with self.console.capture() as captured:
                self.console.print(view)
            paging.write_long(captured.get().rstrip("\n"))
        else:
            text = render.plain_answer(answer, corpus, terminal_width(), explain=explain, chat=self.chat, full=full)
            if page:
                paging.write_long(text + "\n")
            else:
                write(text + "\n")

    def heading(self, question: str, *, first: bool) -> None:
        """In a batch read from stdin, the question each answer answers, with a rule between answers."""
        if self.mode == "json":
            return
        shown = render.inert(question)
        if self.mode == "rich":
            from rich.text import Text

            if not first:
                self.console.rule(style="dim")
            self.console.print(Text("Question: ", style="bold") + Text(shown))
        else:
            rule = "" if first else "=" * min(terminal_width(), 72) + "\n"
            write(f"{rule}Question: {shown}\n")

    def entry(self, entry: Entry, corpus: Corpus, region: str | None) -> None:
        if self.mode == "json":
            write(json_render.to_json(json_render.entry_dict(entry, region)))
        elif self.mode == "rich":
            from therafaq.rich_render import entry_panel

            self.console.print(entry_panel(entry, corpus, region=region))
        else:
            write(render.plain_entry(entry, corpus, terminal_width(), region=region) + "\n")

    def entries(self, corpus: Corpus, topics: Iterable[Topic], region: str | None) -> None:
        """Every question of `topics`, through the pager when a terminal cannot show them at once."""
        chosen = list(topics)
        if self.mode == "json":
            ids = {topic.id for topic in chosen}
            write(json_render.to_json([json_render.entry_dict(e, region) for e in corpus.entries if e.topic in ids]))
        elif self.mode == "rich":
            from therafaq.rich_render import entries_table

            with self.console.capture() as captured:
                self.console.print(entries_table(corpus, chosen, self.console.width))
            paging.write_long(captured.get().rstrip("\n"))
        else:
            paging.write_long(render.plain_list(corpus, chosen))

    def topics(self, corpus: Corpus) -> None:
        if self.mode == "json":
            write(json_render.to_json(json_render.topic_dicts(corpus)))
        elif self.mode == "rich":
            from therafaq.rich_render import topics_table

            self.console.print(topics_table(corpus, self.console.width))
        else:
            write(render.plain_topics(corpus))

    def support(self, support: Support) -> None:
        if self.mode == "json":
            write(json_render.to_json(json_render.support_dict(support)))
        elif self.mode == "rich":
            from therafaq.rich_render import support_panel

            self.console.print(support_panel(support))
        else:
            write(render.plain_support(support, terminal_width()))

    def notes(self, text: str) -> None:
        """The saved-questions file: numbered and wrapped on a terminal, the Markdown itself otherwise."""
        if self.mode == "rich":
            from therafaq.rich_render import notes_view

            self.console.print(notes_view(text))
        else:
            write(render.inert(text).rstrip("\n"))

    def footer(self, help_line: str) -> None:
        """The not-professional-advice note and one line naming where to get help now (never in JSON)."""
        if self.mode == "json":
            return
        if self.mode == "rich":
            from therafaq.rich_render import disclaimer

            self.console.print(disclaimer(help_line))
        else:
            width = terminal_width()
            write(textwrap.fill(render.DISCLAIMER, width) + "\n" + textwrap.fill(help_line, width))

    def clear(self) -> None:
        """Clear the screen (chat's `clear`); nothing when output is not a terminal."""
        if self.mode == "rich":
            self.console.clear()
        elif sys.stdout.isatty():
            sys.stdout.write("\x1b[H\x1b[2J")
            sys.stdout.flush()

    def message(self, text: str) -> None:
        """A line of our own (already safe to print), shown as text in Rich and plain alike."""
        if self.mode == "rich":
            from rich.text import Text

            self.console.print(Text(text))
        else:
            write(text)
