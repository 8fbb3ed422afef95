"""Answer a file of questions on every CPU, with the output in order.

One Python process answers on one CPU. When standard input is a regular file
(`therafaq ask --json - < questions.txt`) its size is known, so it is cut at
line boundaries into one part per CPU: forked workers answer their parts into
unnamed temporary files while this process answers the first part straight to
standard output, then copies the workers' files out in order. What is written
is exactly what one process would write. A pipe is never split: a script may
be waiting for each answer before it sends the next question.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import signal
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any, BinaryIO

# A part smaller than this is not worth a process (forking costs a few
# milliseconds; 64 KiB is about a thousand questions, a quarter of a second).
MIN_PART_BYTES = 64 * 1024
MAX_WORKERS = 8
READ_BYTES = 1 << 20
EXIT_WORKER_FAILED = 70

Work = Callable[[Iterator[str]], int]


def split(stream: IO[Any]) -> list[tuple[int, int]]:
    """Byte ranges of the stream's unread lines, one per available CPU.

    Starts at the descriptor's offset, so the stream must not have been read
    through a buffer. Empty when the stream is not a regular file, is too
    small to share out, or the system cannot fork.
    """
    if not hasattr(os, "fork"):
        return []
    try:
        fd = stream.fileno()
        info = os.fstat(fd)
        start = os.lseek(fd, 0, os.SEEK_CUR)
    except OSError:
        return []
    if not _is_regular(info.st_mode):
        return []
    size = info.st_size - start
    parts = min(_cpus(), MAX_WORKERS, size // MIN_PART_BYTES)
    if parts < 2:
        return []
    cuts = [start]
    for number in range(1, parts):
        cut = _next_line(fd, start + size * number // parts, info.st_size)
        if cut > cuts[-1]:
            cuts.append(cut)
    cuts.append(info.st_size)
    return [(begin, end) for begin, end in itertools.pairwise(cuts) if end > begin]


def lines(fd: int, start: int, end: int) -> Iterator[str]:
    """The non-blank lines of bytes [start, end) of `fd`, decoded as stdin is.

    Reads with pread, so processes sharing the descriptor never move each
    other's file offset.
    """
    rest = b""
    position = start
    while position < end:
        chunk = os.pread(fd, min(READ_BYTES, end - position), position)
        if not chunk:
            break
        position += len(chunk)
        *complete, rest = (rest + chunk).split(b"\n")
        yield from _decoded(complete)
    yield from _decoded([rest])


def run(fd: int, ranges: list[tuple[int, int]], work: Work) -> list[int]:
    """Answer each range with `work` (which writes to sys.stdout and returns
    an exit status), the first here and the rest in forked workers; returns
    the statuses in order. The output on sys.stdout is in range order.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    workers: list[tuple[int, BinaryIO]] = []
    with contextlib.ExitStack() as files:
        try:
            for begin, end in ranges[1:]:
                output = files.enter_context(tempfile.TemporaryFile())
                # Ctrl-C between fork and the worker's own handling must not
                # make the worker run this cleanup as if it were the parent.
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
                pid = os.fork()
                if pid == 0:
                    signal.signal(signal.SIGINT, signal.SIG_DFL)
                    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
                    _work_in_child(output.fileno(), parent, work, lines(fd, begin, end))
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
                workers.append((pid, output))
            begin, end = ranges[0]
            statuses = [work(lines(fd, begin, end))]
            sys.stdout.flush()
            while workers:
                pid, output = workers[0]
                statuses.append(_status(os.waitpid(pid, 0)[1]))
                workers.pop(0)
                output.seek(0)
                shutil.copyfileobj(output, sys.stdout.buffer, READ_BYTES)
                sys.stdout.buffer.flush()
        finally:
            for pid, _ in workers:  # interrupted: stop the others
                _stop(pid)
    os.lseek(fd, 0, os.SEEK_END)
    return statuses


def _work_in_child(output_fd: int, parent: int, work: Work, questions: Iterator[str]) -> None:
    """Never returns: the worker's answers go to `output_fd`, its status to its exit code."""
    status = EXIT_WORKER_FAILED
    try:
        os.dup2(output_fd, sys.stdout.fileno())
        status = work(_while_parent_lives(questions, parent))
        sys.stdout.flush()
    except BaseException:  # Ctrl-C or a bug: the parent reports it; a copy of it must never run on
        status = EXIT_WORKER_FAILED
    finally:
        os._exit(status)


def _while_parent_lives(questions: Iterator[str], parent: int) -> Iterator[str]:
    """Stop once the parent is gone (killed, or its reader closed the pipe):
    an orphan would only write warnings nobody asked for."""
    for question in questions:
        if os.getppid() != parent:
            return
        yield question


def _status(wait_status: int) -> int:
    code = os.waitstatus_to_exitcode(wait_status)
    return code if code >= 0 else EXIT_WORKER_FAILED


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except OSError:
        pass


def _decoded(raw_lines: list[bytes]) -> Iterator[str]:
    for raw in raw_lines:
        line = raw.decode("utf-8", errors="replace").strip()
        if line:
            yield line


def _next_line(fd: int, position: int, size: int) -> int:
    """The offset just after the first newline at or after `position`."""
    while position < size:
        chunk = os.pread(fd, 4096, position)
        if not chunk:
            break
        found = chunk.find(b"\n")
        if found >= 0:
            return position + found + 1
        position += len(chunk)
    return size


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _is_regular(mode: int) -> bool:
    return stat.S_ISREG(mode)
