"""What scripts read: answers, entries, topics and support as JSON.

Written with Python's `json`, never through Rich, one object per line.
The values are the corpus's and the user's own text; what a terminal could
act on is escaped (`to_json`), so a script that prints a field unchanged
is as safe as therafaq's own output.
"""

from __future__ import annotations

import json
import re
from typing import Any

from therafaq.answering import Answer
from therafaq.corpus import Corpus, Entry
from therafaq.matching import Match
from therafaq.render import routes, unknown_words
from therafaq.signposts import Contact, Support

# Compiled on first use (by `re`), so plain and Rich output never pay its 0.3 ms.
_JSON_UNSAFE = r"[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"


def to_json(value: Any) -> str:
    """JSON on one line; characters a terminal might act on are escaped."""
    text = json.dumps(value, ensure_ascii=False)
    if text.isascii() and "\x7f" not in text:  # every other character to escape is beyond ASCII
        return text
    return re.sub(_JSON_UNSAFE, lambda m: f"\\u{ord(m.group(0)):04x}", text)


def source_dicts(entry: Entry) -> list[dict[str, str]]:
    return [{"title": s.title, "publisher": s.publisher, "file": s.file} for s in entry.sources]


def route_dicts(entry: Entry, region: str | None) -> list[dict[str, Any]]:
    return [
        {
            "id": route.id,
            "title": route.title,
            "text": list(route.text),
            "lines": list(route.lines),
            "contacts": [contact_dict(contact) for contact in route.contacts],
        }
        for route in routes(entry, region)
    ]


def entry_dict(entry: Entry, region: str | None = None) -> dict[str, Any]:
    return {
        "id": entry.id,
        "topic": entry.topic,
        "question": entry.question,
        "alternates": list(entry.alternates),
        "keywords": list(entry.keywords),
        "answer": entry.answer,
        "sources": source_dicts(entry),
        "signposts": route_dicts(entry, region),
        "related": list(entry.related),
        "aliases": list(entry.aliases),
    }


def match_dict(match: Match, *, explain: bool = False, region: str | None = None) -> dict[str, Any]:
    entry = match.entry
    data: dict[str, Any] = {
        "id": entry.id,
        "topic": entry.topic,
        "question": entry.question,
        "answer": entry.answer,
        "score": match.score,
        "sources": source_dicts(entry),
        "signposts": route_dicts(entry, region),
        "related": list(entry.related),
    }
    if explain:
        data["explain"] = explain_dict(match)
    return data


def explain_dict(match: Match) -> dict[str, Any]:
    e = match.explanation
    return {
        "matched_text": e.segment,
        "wording": e.wording,
        "recall": round(e.recall, 3),
        "precision": round(e.precision, 3),
        "beta": e.beta,
        "shape_similarity": e.shape,
        "terms": [
            {"term": t.term, "corpus_term": t.corpus_term, "similarity": round(t.similarity, 2)} for t in e.terms
        ],
        "unknown_words": unknown_words(match),
        "learned": e.learned,
    }


def answer_dict(answer: Answer, *, explain: bool = False) -> dict[str, Any]:
    data = _answer_frame(answer)
    data["matches"] = [match_dict(m, explain=explain, region=answer.region) for m in answer.matches]
    if explain:
        data["min_score"], data["outside"] = answer.min_score, list(answer.outside)
        if answer.matches:
            data["matches"][0]["explain"]["margin"] = answer.margin
    return data


def _answer_frame(answer: Answer) -> dict[str, Any]:
    """An answer's JSON object with its keys in order, "matches" still empty (None)."""
    data: dict[str, Any] = {
        "query": answer.query,
        "answered": answer.answered,
        "crisis": answer.crisis,
        "risk": answer.risk.tier if answer.risk is not None else None,
        "matches": None,
    }
    if answer.support is not None:
        data["support"] = support_dict(answer.support)
        data["resources"] = data["support"]["resources"]  # as before "support" existed, for older scripts
    if answer.also_close is not None:
        close = answer.also_close
        data["also_close"] = {"id": close.entry.id, "question": close.entry.question, "score": close.score}
    if answer.close_call:
        data["close_call"] = True
    if answer.unknown:
        data["unknown_words"] = list(answer.unknown)
    if answer.elsewhere is not None:
        other = answer.elsewhere
        data["elsewhere"] = {"id": other.entry.id, "topic": other.entry.topic, "question": other.entry.question}
    if answer.notes:
        data["notes"] = list(answer.notes)
    if answer.help_line is not None:
        data["help"] = answer.help_line
    if answer.truncated:
        data["truncated"] = True
    return data


def contact_dict(contact: Contact) -> dict[str, Any]:
    return {
        "name": contact.name,
        "contact": contact.contact,
        "region": contact.where,
        "ways": list(contact.ways),
        "hours": contact.hours,
    }


def support_dict(support: Support) -> dict[str, Any]:
    """`help-now --json`: the support block on its own."""
    return {
        "title": support.title,
        "message": list(support.message),
        "resources": [contact_dict(contact) for contact in support.resources],
    }


def topic_dicts(corpus: Corpus) -> list[dict[str, Any]]:
    return [
        {"id": t.id, "title": t.title, "description": t.description, "count": corpus.count_in(t.id)}
        for t in corpus.topics
    ]


def answer_json(answer: Answer, *, explain: bool = False) -> str:
    return to_json(answer_dict(answer, explain=explain))
