"""`ask -`: questions read from stdin in chunks, and answered over the CPUs when they keep coming.

One process answers about 4,000 distinct questions a second (bench/RESULTS.md).
Once input arrives faster than one chunk at a time, chunks go to forked
workers, one per CPU, and come back in order, to be shown by the command
exactly as one process would show them: the output, the exit status and
every warning are the same. A chunk ends at `CHUNK` questions or when no
more input is waiting, so a script that writes one question and waits for
its answer gets it at once. A chunk a worker did not answer (it was killed,
or failed) is answered here, so a message showing risk is never lost with
its worker.
"""

from __future__ import annotations

import io
import os
import pickle
import select
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, BinaryIO

from therafaq.answering import Answer, CorpusUnavailable
from therafaq.corpus import Corpus, Entry

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

CHUNK = 256
READ_SIZE = 1 << 16
# Workers start once this many full chunks have been read: below a few hundred
# questions, starting them costs more than they save (bench/speed.py, "Batch").
FULL_CHUNKS_BEFORE_WORKERS = 2

Ask = Callable[[str], Answer]
Reply = Answer | CorpusUnavailable

_ask: Ask | None = None  # what a forked worker answers with (inherited, never pickled)
_corpus: Corpus | None = None  # whose entries travel as their places (the same corpus on both sides, by fork)


def question_chunks(stream: BinaryIO) -> Iterator[list[str]]:
    """Non-blank lines of `stream`, stripped, undecodable bytes replaced, in chunks.

    Read in blocks and split where each block's last newline is, so a line of
    any length costs time in proportion to its length.
    """
    try:
        fd: int | None = stream.fileno()
    except (OSError, ValueError, AttributeError):  # an in-memory stream (tests, embedding)
        fd = None
    unfinished: list[bytes] = []
    lines: list[str] = []
    while True:
        while len(lines) >= CHUNK:
            yield lines[:CHUNK]
            lines = lines[CHUNK:]
        if lines and fd is not None and not _waiting(fd):
            yield lines
            lines = []
        block = os.read(fd, READ_SIZE) if fd is not None else stream.read1(READ_SIZE)  # type: ignore[attr-defined]
        if not block:
            break
        end = block.rfind(b"\n")
        if end < 0:
            unfinished.append(block)
            continue
        complete = b"".join([*unfinished, block[:end]])
        unfinished = [block[end + 1 :]]
        lines += _decoded(complete.split(b"\n"))
    lines += _decoded([b"".join(unfinished)])
    while lines:
        yield lines[:CHUNK]
        lines = lines[CHUNK:]


def _decoded(raw_lines: list[bytes]) -> list[str]:
    found = (raw.decode("utf-8", errors="replace").strip() for raw in raw_lines)
    return [line for line in found if line]


def _waiting(fd: int) -> bool:
    """More input can be read from `fd` at once (or it has ended)."""
    try:
        return bool(select.select([fd], [], [], 0)[0])
    except (OSError, ValueError):
        return False


def replies(ask: Ask, chunks: Iterable[list[str]], corpus: Callable[[], Corpus | None]) -> Iterator[Reply]:
    """Each question's answer, or the CorpusUnavailable it raised, in order.

    `corpus` gives the answerer's corpus, loaded, when workers are due (None
    when it cannot be loaded: then everything is answered here, where the
    fault is reported).
    """
    pool: ProcessPoolExecutor | None = None
    in_flight: deque[tuple[list[str], Future[bytes]]] = deque()
    full = 0
    try:
        for lines in chunks:
            full += len(lines) == CHUNK
            if full == FULL_CHUNKS_BEFORE_WORKERS and pool is None and _cpus() > 1:
                pool = _start(ask, corpus())
            if pool is None:
                yield from _here(ask, lines)
                continue
            try:
                in_flight.append((lines, pool.submit(_answer_chunk, lines)))
            except Exception:  # the pool broke: what is left is answered here
                in_flight.append((lines, _failed()))
            # Keep the workers busy, but never hold back an answer someone is waiting for.
            while in_flight and (len(lines) < CHUNK or len(in_flight) > 2 * _cpus() or in_flight[0][1].done()):
                yield from _collect(ask, *in_flight.popleft())
        while in_flight:
            yield from _collect(ask, *in_flight.popleft())
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _here(ask: Ask, lines: list[str]) -> Iterator[Reply]:
    for line in lines:
        try:
            yield ask(line)
        except CorpusUnavailable as error:
            yield error


def _collect(ask: Ask, lines: list[str], future: Future[bytes]) -> Iterator[Reply]:
    try:
        answered = pickle.loads(future.result())
    except Exception:  # a worker killed or failed: this chunk is answered here instead
        yield from _here(ask, lines)
        return
    yield from answered


def _failed() -> Future[bytes]:
    from concurrent.futures import Future

    future: Future[bytes] = Future()
    future.set_exception(RuntimeError("the worker pool is broken"))
    return future


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _start(ask: Ask, corpus: Corpus | None) -> ProcessPoolExecutor | None:
    """Forked workers holding this process's loaded corpus and risk check; None without
    a corpus (its fault is reported by each answer here) or where fork is not available."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _ask, _corpus
    if corpus is None or "fork" not in multiprocessing.get_all_start_methods():
        return None
    _ask, _corpus = ask, corpus
    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(_cpus(), mp_context=context, initializer=_in_worker, initargs=(os.getpid(),))


def _in_worker(parent: int) -> None:
    """Ctrl-C is the parent's to handle (it stops the workers); a worker whose parent
    died without stopping it (killed, or a closed pipe) exits rather than waiting forever."""
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_without, args=(parent,), daemon=True).start()


def _exit_without(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(0)


def _answer_chunk(lines: list[str]) -> bytes:
    """In a worker: the chunk's answers, entries sent as their place in the corpus (the parent has them)."""
    if _ask is None or _corpus is None:
        raise RuntimeError("not a therafaq worker")
    answered = []
    for line in lines:
        answered.append(_ask(line))  # CorpusUnavailable fails the chunk, to be answered (and reported) by the parent
    out = io.BytesIO()
    _Pickler(out, _corpus).dump(answered)
    return out.getvalue()


class _Pickler(pickle.Pickler):
    """Entries go as their place in the corpus (the parent has them): a reduction looked up by
    type, so no other object costs a call back into Python."""

    def __init__(self, file: io.BytesIO, corpus: Corpus) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        places = {id(entry): n for n, entry in enumerate(corpus.entries)}
        self.dispatch_table = {Entry: lambda entry: (_entry_at, (places[id(entry)],))}


def _entry_at(place: int) -> Entry:
    """In the parent: the entry a worker sent as its place."""
    if _corpus is None:
        raise pickle.UnpicklingError("no corpus to take entries from")
    return _corpus.entries[place]
