"""Rich views for a terminal: panels and tables built only from Text objects.

Corpus and user text is wrapped in `rich.text.Text` after `render.inert`,
never passed as a markup string, so "[bold]" or "[link=...]" in an answer
is shown literally and escape sequences never reach the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from therafaq.answering import Answer
from therafaq.corpus import Corpus, Entry, Topic
from therafaq.matching import Match
from therafaq.render import (
    DISCLAIMER,
    ROUTES_NOTE,
    ROUTES_TITLE,
    also_close_line,
    brief_match,
    inert,
    next_steps,
    not_covered,
    plain_explain,
    plain_why_not,
    related_entries,
    routes,
    suggestions_heading,
)
from therafaq.signposts import Route, Support

# The widest a panel is drawn: its text then runs to about 88 columns, a readable measure
# (as man pages keep), however wide the terminal.
MAX_WIDTH = 94
# Below this many columns, tables stack into one row per label and value.
NARROW = 60


def make_console(*, stderr: bool = False, force_terminal: bool | None = None, no_color: bool | None = None) -> Console:
    """A console that never interprets markup or highlights user text, at most `MAX_WIDTH` wide."""
    console = Console(
        stderr=stderr,
        markup=False,
        highlight=False,
        emoji=False,
        force_terminal=force_terminal,
        no_color=no_color,
    )
    console.width = min(console.width, MAX_WIDTH)
    return console


def _text(value: str, style: str = "") -> Text:
    return Text(inert(value), style=style)


def entry_panel(
    entry: Entry, corpus: Corpus, *, score: float | None = None, related: bool = True, region: str | None = None
) -> RenderableType:
    """The answer panel, then its signposts' panel (if any), then related questions."""
    # The question heads the panel's text rather than its border, so a long one wraps instead of being cut.
    body: list[RenderableType] = [_text(entry.question, "bold"), Text(), _text(entry.answer), Text()]
    sources = Text()
    sources.append("Sources:", style="bold")
    for source in entry.sources:
        sources.append("\n  \u2022 " + inert(f"{source.title}. {source.publisher}"), style="dim")
    body.append(sources)
    subtitle = Text(inert(entry.id), style="dim")
    if score is not None:
        subtitle.append(f"  match {score:.0f}/100", style="dim")
    panel = Panel(
        Group(*body),
        subtitle=subtitle,
        subtitle_align="right",
        border_style="cyan",
        padding=(1, 2),
    )
    parts: list[RenderableType] = [panel]
    if entry.signposts:
        parts.append(routes_panel(routes(entry, region)))
    if related and entry.related:
        parts.append(related_block(entry, corpus))
    return Group(*parts)


def routes_panel(shown: tuple[Route, ...]) -> Panel:
    """Where to turn: labelled as therafaq's own inside the panel (so the label wraps, never cut),
    each route's lines hanging beside their bullets."""
    from rich.table import Table

    parts: list[RenderableType] = [Text(ROUTES_NOTE, style="dim")]
    for route in shown:
        parts.append(Text())
        parts.append(_text(route.title, "bold"))
        parts += [_text(paragraph) for paragraph in route.text]
        bullets = Table.grid(padding=(0, 1))
        bullets.add_column(no_wrap=True)
        bullets.add_column()
        for line in (*route.lines, *(f"{c.name} ({c.where}): {c.contact}" for c in route.contacts)):
            bullets.add_row("  \u2022", _text(line))
        parts.append(bullets)
    return Panel(
        Group(*parts),
        title=Text(ROUTES_TITLE, style="bold"),
        title_align="left",
        border_style="magenta",
        padding=(0, 1),
    )


def related_block(entry: Entry, corpus: Corpus) -> RenderableType:
    """Related questions, numbered, each question and its id kept together when a line wraps."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for number, other in enumerate(related_entries(entry, corpus), start=1):
        line = _text(other.question)
        line.append(f"  [{inert(other.id)}]", style="dim")
        grid.add_row(f"  {number}.", line)
    return Group(Text("Related questions:", style="bold"), grid)


def support_panel(support: Support) -> Panel:
    """Crisis: a yellow panel with every contact. Concern: the same, quieter, with two or three.
    Contacts hang under their bullet, so a long one wraps beside it, not under it."""
    from rich.table import Table  # only a reply with support draws one

    message = Text("\n\n".join(inert(paragraph) for paragraph in support.message))
    contacts = Table.grid(padding=(0, 1))
    contacts.add_column(no_wrap=True)
    contacts.add_column()
    crisis = support.tier == "crisis"
    for contact in support.resources:
        line = Text()
        line.append(inert(contact.name), style="bold")
        line.append(f" ({inert(contact.where)}): ")
        line.append(inert(contact.contact), style="bold" if crisis else "")
        contacts.add_row("  \u2022", line)
    return Panel(
        Group(message, Text(), contacts),
        title=_text(support.title, "bold"),
        title_align="left",
        border_style="yellow" if crisis else "magenta",
        padding=(1, 2) if crisis else (0, 1),
    )


def suggestions(answer: Answer, corpus: Corpus | None, *, chat: bool = False) -> Text:
    text = Text()
    text.append("No confident answer for: ", style="bold")
    text.append(repr(inert(answer.query)))
    if answer.unknown:
        text.append("\n" + not_covered(answer.unknown))
    if answer.suggestions:
        text.append("\n" + suggestions_heading(answer) + "\n")
        for number, match in enumerate(answer.suggestions, start=1):
            text.append(f"  {number}. ")
            text.append(inert(match.entry.question))
            text.append(f"  [{inert(match.entry.id)}]\n", style="dim")
    for step in next_steps(answer, corpus, chat=chat):
        text.append("\n" + step, style="dim")
    if answer.help_line:
        text.append("\n\n" + answer.help_line)
    return text


def answer_view(
    answer: Answer, corpus: Corpus | None, *, explain: bool = False, chat: bool = False, full: bool = False
) -> RenderableType:
    """Support first when there is any; then the answer, or the suggestions and a help line.
    With several matches, the best is shown in full and the others briefly, unless `full`."""
    parts: list[RenderableType] = [support_panel(answer.support)] if answer.support is not None else []
    if answer.answered:
        assert corpus is not None, "an answered question has a corpus"
        if answer.crisis:
            parts.append(Text("About your question:", style="bold"))
        for index, match in enumerate(answer.matches):
            if index and not full and not explain:
                if index == 1:
                    parts.append(Text("Also matching:", style="bold"))
                parts.append(Text(brief_match(match, None)))
                continue
            parts.append(entry_panel(match.entry, corpus, score=match.score, related=index == 0, region=answer.region))
            if index == 0 and answer.also_close is not None:
                parts.append(Text(also_close_line(answer.also_close), style="dim"))
            if explain:
                parts.append(explain_view(match, answer.margin if index == 0 else None))
        for note in answer.notes:
            parts.append(Text(note, style="dim"))
    elif not answer.crisis and answer.fault is None:
        parts.append(suggestions(answer, corpus, chat=chat))
        if explain:
            parts.append(Text("\n" + plain_why_not(answer), style="dim"))
    return Group(*parts)


def explain_view(match: Match, margin: float | None = None) -> Text:
    return Text(plain_explain(match, margin), style="dim")


def disclaimer(help_line: str) -> Text:
    text = Text(DISCLAIMER, style="dim italic")
    text.append("\n" + help_line, style="dim")
    return text


def topics_table(corpus: Corpus, width: int = 80) -> RenderableType:
    from rich.table import Table  # imported here: it costs more to import than ask takes

    if width < NARROW:  # a four-character column helps nobody: one block per topic instead
        blocks: list[RenderableType] = []
        for topic in corpus.topics:
            block = Text()
            block.append(inert(topic.title), style="bold")
            block.append(f" [{inert(topic.id)}], {corpus.count_in(topic.id)} entries\n", style="cyan")
            block.append(inert(topic.description))
            blocks += [block, Text()]
        return Group(*blocks)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("title", style="bold")
    table.add_column("entries", justify="right")
    table.add_column("description")
    for topic in corpus.topics:
        count = str(corpus.count_in(topic.id))
        table.add_row(_text(topic.id), _text(topic.title), count, _text(topic.description))
    return table


def entries_table(corpus: Corpus, topics: Iterable[Topic], width: int = 80) -> Group:
    from rich.table import Table

    tables: list[RenderableType] = []
    for topic in topics:
        if width < NARROW:
            block = Text()
            block.append(inert(topic.title), style="bold")
            for entry in corpus.entries_in(topic.id):
                block.append("\n" + inert(entry.question))
                block.append(f" [{inert(entry.id)}]", style="cyan")
            tables += [block, Text()]
            continue
        table = Table(title=_text(topic.title, "bold"), title_justify="left", box=box.SIMPLE, show_header=False)
        table.add_column("id", style="cyan", no_wrap=True)
        table.add_column("question")
        for entry in corpus.entries_in(topic.id):
            table.add_row(_text(entry.id), _text(entry.question))
        tables.append(table)
    return Group(*tables)


def notes_view(text: str) -> Group:
    """Saved questions as a person reads them: numbered headings (for `saved --remove N`), the rest wrapped."""
    from therafaq.notes import entries

    parts: list[RenderableType] = []
    for number, note in enumerate(entries(text), start=1):
        heading, _, body = note.partition("\n")
        parts.append(Text(f"{number}. {inert(heading.removeprefix('## '))}", style="bold"))
        for line in body.strip("\n").splitlines():
            parts.append(Text("   " + inert(line)))
        parts.append(Text())
    return Group(*parts)
