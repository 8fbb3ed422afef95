"""Questions from stdin, one per line, in chunks: the one place stdin is decoded.

A line ends at a line feed, a carriage return or both, as Python's text mode
reads them. Undecodable bytes are replaced. A chunk ends at `CHUNK` lines, or
as soon as no more input is waiting, so a script that writes one question
and waits for its answer gets it at once. Stdin is read in blocks, split at
each block's last line end, so a line of any length costs time in
proportion to its length; of a line longer than twice `KEEP_BYTES`, only its
first and last `KEEP_BYTES` are kept, which is more than the risk check
reads of any message (`risk.MAX_CHECKED_CHARS`), so no input can exhaust
memory before its questions are checked.
"""

from __future__ import annotations

import os
import select
from collections.abc import Iterator
from typing import BinaryIO

from therafaq.risk import MAX_CHECKED_CHARS

CHUNK = 256
READ_SIZE = 1 << 16
KEEP_BYTES = 2 * MAX_CHECKED_CHARS  # half a checked message at up to four bytes a character


def question_chunks(stream: BinaryIO) -> Iterator[list[str]]:
    """Non-blank lines of `stream`, stripped, in chunks of at most `CHUNK`."""
    try:
        fd: int | None = stream.fileno()
    except (OSError, ValueError, AttributeError):  # an in-memory stream (tests, embedding)
        fd = None
    unfinished = _LongLine()
    lines: list[str] = []
    while True:
        while len(lines) >= CHUNK:
            yield lines[:CHUNK]
            lines = lines[CHUNK:]
        if lines and fd is not None and not _waiting(fd):
            yield lines
            lines = []
        block = _read(fd) if fd is not None else stream.read1(READ_SIZE)  # type: ignore[attr-defined]
        if not block:
            break
        block = block.replace(b"\r", b"\n")  # CRLF then reads as a line and a blank one, which is skipped
        end = block.rfind(b"\n")
        if end < 0:
            unfinished.add(block)
            continue
        first = block.find(b"\n")
        unfinished.add(block[:first])
        lines += _decoded([unfinished.taken(), *block[first + 1 : end].split(b"\n")])
        unfinished.add(block[end + 1 :])
    lines += _decoded([unfinished.taken()])
    while lines:
        yield lines[:CHUNK]
        lines = lines[CHUNK:]


class _LongLine:
    """The part of a line read so far: its first and last `KEEP_BYTES` once it is longer."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._size = 0

    def add(self, block: bytes) -> None:
        self._parts.append(block)
        self._size += len(block)
        if self._size > 3 * KEEP_BYTES:  # cut at a third over, so each byte is copied a few times at most
            whole = b"".join(self._parts)
            self._parts = [whole[:KEEP_BYTES], whole[-KEEP_BYTES:]]
            self._size = 2 * KEEP_BYTES

    def taken(self) -> bytes:
        whole = b"".join(self._parts)
        self._parts, self._size = [], 0
        return whole if len(whole) <= 2 * KEEP_BYTES else whole[:KEEP_BYTES] + whole[-KEEP_BYTES:]


def _read(fd: int) -> bytes:
    """A block from `fd`; a descriptor left non-blocking by the writer is waited on, not an error."""
    while True:
        try:
            return os.read(fd, READ_SIZE)
        except BlockingIOError:
            select.select([fd], [], [])


def _decoded(raw_lines: list[bytes]) -> list[str]:
    found = (raw.decode("utf-8", errors="replace").strip() for raw in raw_lines)
    return [line for line in found if line]


def _waiting(fd: int) -> bool:
    """More input can be read from `fd` at once (or it has ended)."""
    try:
        return bool(select.select([fd], [], [], 0)[0])
    except (OSError, ValueError):
        return False
