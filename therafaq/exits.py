"""Exit codes, in one place (README, "Exit codes").

A batch exits as its most serious answer asks: support shown wins over a
usage error, which wins over an unanswered question.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from therafaq.answering import Answer

EXIT_OK = 0
EXIT_UNANSWERED = 1
EXIT_USAGE = 2
EXIT_RISK = 3
EXIT_INTERRUPTED = 130
# The status of no answers at all; never an exit code (no question is a usage error).
NO_QUESTIONS = 4
_SEVERITY = (NO_QUESTIONS, EXIT_OK, EXIT_UNANSWERED, EXIT_USAGE, EXIT_RISK)
# What each code means, as the README's table says it (generated from this).
MEANINGS = {
    EXIT_OK: "every question answered",
    EXIT_UNANSWERED: "at least one question had no confident answer",
    EXIT_USAGE: (
        "usage error, a corpus or labelled file that cannot be used, or output that cannot be written "
        "(a risk message still gets 3)"
    ),
    EXIT_RISK: "at least one message showed risk (either tier) and support was shown; this wins over 1 and 2",
    EXIT_INTERRUPTED: "interrupted with Ctrl-C",
}


def exit_code(answer: Answer) -> int:
    """3 when support was shown (either tier), 1 when no answer was confident, else 0."""
    if answer.support is not None:
        return EXIT_RISK
    return EXIT_OK if answer.answered else EXIT_UNANSWERED


def worse(status: int, other: int) -> int:
    """Of two statuses, the one that matters more: risk, usage, unanswered, answered, none."""
    return max(status, other, key=_SEVERITY.index)
