"""What plain terminals and pipes read: answers, entries and reports as plain text.

Everything shown comes from a corpus or a user, so all of it passes through
`inert` first: control characters and escape sequences are made visible
instead of reaching the terminal. The Rich views live in `rich_render` and
the JSON ones in `json_render`, so the plain path never imports Rich.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from typing import TYPE_CHECKING

from therafaq.answering import SUGGESTION_FLOOR, Answer
from therafaq.corpus import Corpus, Entry, Topic
from therafaq.matching import CLOSE_CALL_EXTRA, Match
from therafaq.signposts import Contact, Route, Support, default_signposts

if TYPE_CHECKING:
    from therafaq.evaluation import Miss, Report
    from therafaq.risk_eval import RiskReport

DISCLAIMER = (
    "therafaq gives general information drawn from published articles, not professional "
    "advice. Your own therapist is the best person to ask."
)
MAX_RELATED = 3
ROUTES_TITLE = "Where to turn"
ROUTES_NOTE = "therafaq's own guidance, not from the articles"

# C0 controls other than newline and tab, DEL, C1 controls, the
# zero-width and direction marks and the bidirectional overrides and
# isolates that can disguise text (U+200B-U+200F, U+2028-U+202E,
# U+2066-U+2069, U+061C, U+FEFF), and lone surrogates (a corpus may write
# "\ud800"), which no output stream can encode.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


def inert(text: str) -> str:
    """Text safe to print: control characters shown as visible symbols."""
    return _CONTROL.sub(_visible, text.replace("\r\n", "\n").replace("\t", "    "))


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


def routes(entry: Entry, region: str | None) -> tuple[Route, ...]:
    return default_signposts().routes(entry, region) if entry.signposts else ()


# Plain text -----------------------------------------------------------------


def wrap(text: str, width: int, indent: str = "") -> str:
    """Wrap answer text, keeping paragraphs and "- " bullet lines."""
    lines = []
    for raw in inert(text).split("\n"):
        if not raw.strip():
            lines.append("")
        elif raw.lstrip().startswith("- "):
            body = raw.lstrip()[2:]
            lines.append(textwrap.fill(body, width, initial_indent=indent + "- ", subsequent_indent=indent + "  "))
        else:
            lines.append(textwrap.fill(raw.strip(), width, initial_indent=indent, subsequent_indent=indent))
    return "\n".join(lines)


def plain_entry(
    entry: Entry,
    corpus: Corpus,
    width: int,
    *,
    score: float | None = None,
    related: bool = True,
    region: str | None = None,
) -> str:
    header = f"{inert(entry.question)}\n[{inert(entry.id)}"
    header += f", match {score:.0f}/100]" if score is not None else "]"
    parts = [header, wrap(entry.answer, width), plain_sources(entry, width)]
    if entry.signposts:
        parts.append(plain_routes(routes(entry, region), width))
    if related and entry.related:
        parts.append(plain_related(entry, corpus))
    return "\n\n".join(parts)


def plain_sources(entry: Entry, width: int) -> str:
    lines = ["Sources:"]
    lines += [
        textwrap.fill(f"{s.title}. {s.publisher}", width, initial_indent="  - ", subsequent_indent="    ")
        for s in entry.sources
    ]
    return inert("\n".join(lines))


def plain_routes(shown: tuple[Route, ...], width: int) -> str:
    """The signposts under an answer, headed so no one takes them for the articles' words."""
    heading = f"{ROUTES_TITLE} ({ROUTES_NOTE})"
    lines = [heading, "-" * min(len(heading), width)]
    for route in shown:
        lines += ["", inert(route.title)]
        lines += [wrap(paragraph, width, "  ") for paragraph in route.text]
        lines += [
            textwrap.fill(inert(line), width, initial_indent="  - ", subsequent_indent="    ") for line in route.lines
        ]
        lines += [
            textwrap.fill(inert(contact_line(c)), width, initial_indent="  - ", subsequent_indent="    ")
            for c in route.contacts
        ]
    return "\n".join(lines)


def related_entries(entry: Entry, corpus: Corpus) -> list[Entry]:
    found = (corpus.entry(related_id) for related_id in entry.related)
    return [related for related in found if related is not None][:MAX_RELATED]


def plain_related(entry: Entry, corpus: Corpus) -> str:
    related = related_entries(entry, corpus)
    if not related:
        return ""
    lines = ["Related questions:"]
    lines += [f"  {n}. {inert(r.question)} [{inert(r.id)}]" for n, r in enumerate(related, start=1)]
    return "\n".join(lines)


def plain_suggestions(answer: Answer, corpus: Corpus | None, width: int, *, chat: bool = False) -> str:
    lines = [f"No confident answer for: {inert(answer.query)!r}"]
    if answer.unknown:
        lines.append(textwrap.fill(not_covered(answer.unknown), width, break_on_hyphens=False))
    if answer.suggestions:
        lines.append(suggestions_heading(answer))
        lines += [
            f"  {n}. {inert(m.entry.question)} [{inert(m.entry.id)}]" for n, m in enumerate(answer.suggestions, start=1)
        ]
    lines += [textwrap.fill(line, width, break_on_hyphens=False) for line in next_steps(answer, corpus, chat=chat)]
    if answer.help_line:
        lines += ["", textwrap.fill(answer.help_line, width)]
    return "\n".join(lines)


def suggestions_heading(answer: Answer) -> str:
    if answer.close_call:
        return "The first two are too close to choose between. Did you mean:"
    return "Did you mean:"


def not_covered(unknown: tuple[str, ...]) -> str:
    """An honest, specific "not covered": the words the articles never use."""
    quoted = [f'"{inert(word)}"' for word in unknown[:4]]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"therafaq's articles don't cover {listed}."


def next_steps(answer: Answer, corpus: Corpus | None, *, chat: bool = False) -> list[str]:
    """What a person can do after no confident answer, in the words of where they are (ask or chat)."""
    steps = []
    if answer.elsewhere is not None:
        entry = answer.elsewhere.entry
        topic = corpus.topic(entry.topic) if corpus is not None else None
        where = f' in "{inert(topic.title)}"' if topic is not None else ""
        steps.append(f"Another topic has an answer{where}: {inert(entry.question)} [{inert(entry.id)}]")
    if corpus is not None and (answer.unknown or not answer.suggestions):  # nothing else to go on
        titles = ", ".join(inert(t.title) for t in corpus.topics)
        steps.append(f"therafaq covers: {titles}.")
    browse = "type topics to browse" if chat else "browse with: therafaq topics"
    keep = "type save to keep it" if chat else "ask again with --save to keep it"
    steps.append(f"Try other words, or {browse}. To take the question to your next session, {keep}.")
    return steps


def contact_line(contact: Contact) -> str:
    return f"{contact.name} ({contact.where}): {contact.contact}"


def plain_support(support: Support, width: int) -> str:
    """The support block: title, message, contacts (a crisis block is underlined twice, a concern block once)."""
    lines = [support.title, "=" * len(support.title) if support.tier == "crisis" else "-" * len(support.title), ""]
    lines += [wrap(paragraph, width) + "\n" for paragraph in support.message]
    lines += [
        textwrap.fill(contact_line(c), width, initial_indent="  - ", subsequent_indent="    ")
        for c in support.resources
    ]
    return "\n".join(lines)


def plain_answer(
    answer: Answer,
    corpus: Corpus | None,
    width: int,
    *,
    explain: bool = False,
    chat: bool = False,
    full: bool = False,
) -> str:
    """Support first when there is any; then the answer, or the suggestions and a help line.
    With several matches, the best is shown in full and the others briefly, unless `full`."""
    blocks = [plain_support(answer.support, width)] if answer.support is not None else []
    if answer.answered:
        assert corpus is not None, "an answered question has a corpus"
        entries = []
        for index, match in enumerate(answer.matches):
            if index and not full and not explain:
                entries.append(brief_match(match, width))
                continue
            block = plain_entry(match.entry, corpus, width, score=match.score, related=index == 0, region=answer.region)
            if explain:
                block += "\n\n" + plain_explain(match, answer.margin if index == 0 else None)
            entries.append(block)
        if answer.also_close is not None:
            entries[0] += "\n\n" + also_close_line(answer.also_close)
        if answer.notes:
            entries[-1] += "\n\n" + "\n".join(textwrap.fill(note, width) for note in answer.notes)
        body = ("\n\n" + "-" * min(width, 40) + "\n\n").join(entries)
        blocks.append(f"About your question:\n\n{body}" if answer.crisis else body)
    elif not answer.crisis and answer.fault is None:
        blocks.append(plain_suggestions(answer, corpus, width, chat=chat))
        if explain:
            blocks[-1] += "\n\n" + plain_why_not(answer)
    return ("\n\n" + "=" * min(width, 40) + "\n\n").join(blocks)


def first_sentence(text: str) -> str:
    found = re.match(r"\s*(.+?[.!?])(\s|$)", text, re.DOTALL)
    return " ".join((found.group(1) if found else text).split())


def brief_match(match: Match, width: int | None) -> str:
    """A further match in one glance: its question, id, score and first sentence (wrapped to
    `width`; None leaves the wrapping to Rich)."""
    entry = match.entry
    head = f"{inert(entry.question)} [{inert(entry.id)}, match {match.score:.0f}/100]"
    sentence = inert(first_sentence(entry.answer))
    if width is None:
        return f"{head}\n  {sentence}"
    return head + "\n" + textwrap.fill(sentence, width, initial_indent="  ", subsequent_indent="  ")


def also_close_line(match: Match) -> str:
    return f"Also close: {inert(match.entry.question)} [{inert(match.entry.id)}, match {match.score:.0f}/100]"


def plain_explain(match: Match, margin: float | None = None) -> str:
    e = match.explanation
    terms = ", ".join(
        f"{t.term}->{t.corpus_term or '?'}" + (f" ({t.similarity:.2f})" if t.corpus_term and t.similarity < 1 else "")
        for t in e.terms
    )
    return "\n".join(
        [
            "Why this match:",
            f"  best wording: {inert(e.wording)}",
            f"  matched text: {inert(e.segment)}",
            f"  recall {e.recall:.2f}, precision {e.precision:.2f}, beta {e.beta:.2f}, shape {e.shape:.0f}",
            f"  terms: {inert(terms)}",
            f"  words the corpus does not have: {inert(', '.join(unknown_words(match))) or 'none'}",
            *([f"  the entry model: {e.learned:+.1f} points"] if e.learned is not None else []),
            *([f"  ahead of the next entry by {margin:.1f} points"] if margin is not None else []),
        ]
    )


def plain_why_not(answer: Answer) -> str:
    """--explain on a reply without an answer: what kept the closest entry from being one."""
    lines = ["Why no answer:"]
    within = " in the topic asked for" if answer.elsewhere is not None else ""
    if answer.outside:
        names = ", ".join(f'"{inert(word)}"' for word in answer.outside)
        lines.append(f"  it is about someone the corpus is not about ({names}), whatever the score")
    elif answer.matches:
        score = answer.matches[0].score
        if answer.close_call:
            needed = answer.min_score + CLOSE_CALL_EXTRA
            lines.append(
                f"  the closest entry{within} scores {score:.1f}, but the next is only {answer.margin:.1f} behind,"
                f" and so close a call needs {needed:g}"
            )
        else:
            lines.append(f"  the closest entry{within} scores {score:.1f}; an answer needs {answer.min_score:g}")
    else:  # suggestions start at the floor, and nothing reached the line either
        lines.append(f"  no entry{within} scores {min(SUGGESTION_FLOOR, answer.min_score):g} or more")
    if answer.elsewhere is not None:
        other = answer.elsewhere
        lines.append(f"  outside it, {inert(other.entry.id)} scores {other.score:.1f}")
    if answer.matches:
        best = answer.matches[0]
        lines.append(f"Closest: {inert(best.entry.question)} [{inert(best.entry.id)}]")
        lines += plain_explain(best, answer.margin).split("\n")[1:]  # its parts, without "Why this match"
    return "\n".join(lines)


def unknown_words(match: Match) -> list[str]:
    """The question's words the corpus lacks that count against every entry (not everyday words)."""
    return [t.term for t in match.explanation.terms if t.corpus_term is None and not t.common]


def plain_topics(corpus: Corpus) -> str:
    id_width = max((len(t.id) for t in corpus.topics), default=2)
    lines = [
        f"{inert(t.id):<{id_width}}  {corpus.count_in(t.id):>3}  {inert(t.title)}: {inert(t.description)}"
        for t in corpus.topics
    ]
    return "\n".join(lines)


def plain_list(corpus: Corpus, topics: Iterable[Topic]) -> str:
    blocks = []
    for topic in topics:
        entries = corpus.entries_in(topic.id)
        lines = [f"{inert(topic.title)} ({inert(topic.id)})"]
        lines += [f"  {inert(e.id)}: {inert(e.question)}" for e in entries]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def plain_report(report: Report) -> str:
    """Misses first, then the figures, so the figures end the output."""

    def detail(miss: Miss) -> str:
        said = f"expected {miss.expected or 'no answer'}, got {miss.got or 'no answer'}"
        if miss.best and miss.best != miss.got:
            said += f" (best candidate {miss.best})"
        return f"{said}, score {miss.score:.1f}"

    lines = _misses([(miss.question, detail(miss)) for miss in report.misses])
    shares = {key: "n/a" if value is None else f"{value:.3f}" for key, value in report.figures().items()}
    rows = [
        ("covered questions", f"{report.covered}"),
        ("uncovered questions", f"{report.uncovered}"),
        ("top-1 accuracy", shares["top1_accuracy"]),
        ("top-3 accuracy", shares["top3_accuracy"]),
        ("MRR", shares["mrr"]),
        ("answered and correct (covered)", shares["answered_correct"]),
        ("rejection (uncovered)", shares["rejection"]),
        ("median time per question", f"{report.median_ms:.2f} ms"),
    ]
    if report.risk_flags:
        flags = ", ".join(f"{count} {tier}" for tier, count in report.risk_flags.items())
        rows.append(("flagged by the risk check", flags))
    lines += _figures(rows)
    return "\n".join(lines)


def plain_risk_report(report: RiskReport) -> str:
    """Misses first, then the per-kind table, then the figures, so the figures end the output."""
    lines = _misses(
        [(m.message[:200], f"expected {m.expected or 'no flag'}, got {m.got or 'no flag'}") for m in report.misses]
    )
    width = max([len("kind"), *(len(row.kind) for row in report.rows)])
    lines.append(f"{'kind':<{width}}  tried  flagged  missed  false alarms  as crisis")
    for row in report.rows:
        lines.append(
            f"{inert(row.kind):<{width}}  {row.tried:>5}  {row.flagged:>7}  {row.missed:>6}  {row.false_alarms:>12}"
            f"  {row.as_crisis:>9}"
        )
    lines.append("")

    def share(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    rows = [
        ("at-risk messages flagged", share(report.at_risk_recall)),
        ("crisis messages flagged", share(report.share("crisis"))),
        ("crisis messages given crisis", share(report.crisis_tier_recall)),
        ("concern messages flagged", share(report.share("concern"))),
        ("false alarms (labelled null)", share(report.share(None))),
        (
            "messages",
            f"{report.counts['crisis']} crisis, {report.counts['concern']} concern, {report.counts[None]} none",
        ),
    ]
    lines += _figures(rows)
    return "\n".join(lines)


def _misses(misses: list[tuple[str, str]]) -> list[str]:
    """The misses that open a report, if any: each one's text (inert, quoted), then what was expected."""
    if not misses:
        return []
    lines = [f"Misses ({len(misses)}):"]
    for text, detail in misses:
        lines += [f"  {inert(text)!r}", f"    {detail}"]
    return [*lines, ""]


def _figures(rows: list[tuple[str, str]]) -> list[str]:
    """A report's closing figures, labels in one column."""
    return [f"{label:<32}{value}" for label, value in rows]
