"""`ask -`: a batch of questions answered over the CPUs when they keep coming.

One process answers about 3,000 to 4,000 distinct questions a second
(bench/RESULTS.md). Once two full chunks have been read (`reading`),
chunks go to forked workers, one per CPU, and come back in order, to be
shown by the command exactly as one process would show them: the output,
the exit status and every warning are the same. Whatever goes wrong with
the workers (one killed, stopped or failing, threads or processes that
cannot be started), they are stopped and the rest is answered here, so a
message showing risk is never lost with its worker.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from therafaq.answering import Answer, CorpusUnavailable
from therafaq.corpus import Corpus, Entry
from therafaq.reading import CHUNK

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

# Workers start once this many full chunks have been read: below a few hundred
# questions, starting them costs more than they save (bench/speed.py, "Batch").
FULL_CHUNKS_BEFORE_WORKERS = 2
# A chunk takes a tenth of a second on the bundled corpus and a few seconds on
# one of 100,000 entries; a worker that has not answered one in this long is
# stopped or stuck, and the rest of the batch is answered here.
CHUNK_DEADLINE = 30.0

Ask = Callable[[str], Answer]
Reply = Answer | CorpusUnavailable
_InFlight = tuple[list[str], "Future[bytes] | None"]  # a chunk and its worker's answer (None: answered here)

_ask: Ask | None = None  # what a forked worker answers with (inherited, never pickled)
_corpus: Corpus | None = None  # whose entries travel as their places (the same corpus on both sides, by fork)


def replies(ask: Ask, chunks: Iterable[list[str]], corpus: Callable[[], Corpus | None]) -> Iterator[Reply]:
    """Each question's answer, or the CorpusUnavailable it raised, in order.

    `corpus` gives the answerer's corpus, loaded, when workers are due (None
    when it cannot be loaded: then everything is answered here, where the
    fault is reported).
    """
    pool: ProcessPoolExecutor | None = None
    in_flight: deque[_InFlight] = deque()

    def give_up() -> None:  # whatever went wrong, the rest is answered here
        nonlocal pool, in_flight
        if pool is not None:
            _stop(pool)
        pool, in_flight = None, _unsent(in_flight)

    def collect() -> Iterator[Reply]:
        answered, failed = _collected(ask, *in_flight.popleft())
        if failed:
            give_up()
        return answered

    full = 0
    try:
        for lines in chunks:
            full += len(lines) == CHUNK
            if full == FULL_CHUNKS_BEFORE_WORKERS and _cpus() > 1:
                pool = _start(ask, corpus())
            if pool is None and not in_flight:
                yield from _here(ask, lines)
                continue
            future = None
            if pool is not None:
                try:
                    future = pool.submit(_answer_chunk, lines)
                except Exception:  # a broken pool, or one that cannot start its thread
                    give_up()
            in_flight.append((lines, future))
            # Keep the workers busy, but never hold back an answer someone is waiting for.
            while in_flight and (len(lines) < CHUNK or len(in_flight) > 2 * _cpus() or _done(in_flight[0][1])):
                yield from collect()
        while in_flight:
            yield from collect()
    finally:
        if pool is not None and in_flight:  # interrupted: a worker may never answer
            _stop(pool)
        elif pool is not None:
            pool.shutdown(wait=True)


def _here(ask: Ask, lines: list[str]) -> Iterator[Reply]:
    for line in lines:
        try:
            yield ask(line)
        except CorpusUnavailable as error:
            yield error


def _collected(ask: Ask, lines: list[str], future: Future[bytes] | None) -> tuple[Iterator[Reply], bool]:
    """The chunk's replies, and whether its worker failed (then they are answered here)."""
    if future is not None:
        try:
            answered: list[Reply] = pickle.loads(future.result(timeout=CHUNK_DEADLINE))
            return iter(answered), False
        except Exception:  # killed, stopped, failed, or the pool was stopped
            pass
    return _here(ask, lines), future is not None


def _unsent(in_flight: deque[_InFlight]) -> deque[_InFlight]:
    """The chunks in flight, to be answered here: a stopped pool may never settle their futures."""
    return deque((lines, None) for lines, _ in in_flight)


def _done(future: Future[bytes] | None) -> bool:
    return future is None or future.done()


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop the workers for good, without waiting on one that may never answer."""
    import multiprocessing

    for worker in multiprocessing.active_children():
        worker.kill()
    with contextlib.suppress(Exception):
        pool.shutdown(wait=False, cancel_futures=True)


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
    with contextlib.suppress(RuntimeError):  # no thread to be had: the worker still works, unwatched
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
