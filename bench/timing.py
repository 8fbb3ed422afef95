"""Running and timing whole processes for the speed benchmark, and printing its tables.

Every figure is taken from outside the process (subprocess + time.perf_counter, os.wait4 for CPU time and
peak memory), start-up included.
"""

from __future__ import annotations

import fcntl
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from dataclasses import dataclass
from pathlib import Path

CACHE = Path(tempfile.gettempdir()) / "therafaq-bench"
XDG_CACHE = CACHE / "xdg-cache"


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    cpu: float
    peak_kb: int
    code: int


def run(
    command: list[str],
    *,
    tty: bool = False,
    stdin: Path | None = None,
    stdout: Path | None = None,
    stderr: Path | None = None,
    screen: list[bytes] | None = None,
) -> Run:
    """Start one process and time it from outside until it is reaped.

    With `tty` its three streams are a pseudo-terminal (100x40, TERM=xterm-256color, PAGER=cat), read as it writes;
    `screen`, when given, collects what it wrote there.
    """
    env = child_env()
    if not tty:
        with (
            open(stdin or os.devnull, "rb") as source,
            open(stdout or os.devnull, "wb") as sink,
            open(stderr or os.devnull, "wb") as errors,
        ):
            start = time.perf_counter()
            process = subprocess.Popen(command, stdin=source, stdout=sink, stderr=errors, env=env)
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - start
    else:
        env["TERM"] = "xterm-256color"
        env["PAGER"] = "cat"  # a reply taller than 40 rows would wait in less for a key; paging is not start-up
        leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
        start = time.perf_counter()
        process = subprocess.Popen(command, stdin=follower, stdout=follower, stderr=follower, env=env)
        os.close(follower)
        reader = threading.Thread(target=_drain, args=(leader, screen if screen is not None else []), daemon=True)
        reader.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        reader.join()
        os.close(leader)
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, process.returncode)


def _drain(fd: int, chunks: list[bytes]) -> None:
    """Read a terminal until its last writer is gone (Linux then reports EIO)."""
    try:
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    except OSError:
        pass


def child_env() -> dict[str, str]:
    """The bundled corpus, default colours, and bytecode cached as an installed package has it.

    Bytecode goes to a cache of this benchmark's own (PYTHONPYCACHEPREFIX), so the checkout is not written to,
    and is used even where PYTHONDONTWRITEBYTECODE is set (then every start would compile therafaq's sources).
    therafaq's own caches (XDG_CACHE_HOME) live there too, so the user's are neither used nor filled.
    """
    dropped = ("THERAFAQ_CORPUS", "NO_COLOR", "FORCE_COLOR", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
    env["XDG_CACHE_HOME"] = str(XDG_CACHE)
    return env


def check(command: list[str], expect_codes: tuple[int, ...], expect_text: str = "") -> None:
    """Run once (also the warm-up that writes bytecode) and stop if the command does not do its job."""
    result = subprocess.run(command, capture_output=True, text=True, env=child_env())
    if result.returncode not in expect_codes or expect_text not in result.stdout:
        sys.exit(f"speed.py: {' '.join(command)} failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")


def alternate(a: list[str], b: list[str], pairs: int, *, tty: bool = False) -> tuple[list[Run], list[Run]]:
    """A B A B ... after one unmeasured run of each."""
    run(a, tty=tty)
    run(b, tty=tty)
    runs_a, runs_b = [], []
    for _ in range(pairs):
        runs_a.append(run(a, tty=tty))
        runs_b.append(run(b, tty=tty))
    return runs_a, runs_b


def median_seconds(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def paired_ratio(runs_a: list[Run], runs_b: list[Run], *, cpu: bool = False) -> float:
    """The median of A/B over pairs run one after the other (wall time, or CPU time with `cpu`)."""
    ratios = (a.cpu / b.cpu if cpu else a.seconds / b.seconds for a, b in zip(runs_a, runs_b, strict=True))
    return statistics.median(ratios)


def markdown(header: list[str], rows: list[list[str]]) -> str:
    align = ["---"] + ["---:"] * (len(header) - 1)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(value: float, limit: float, *, at_most: bool = True) -> str:
    met = value <= limit if at_most else value >= limit
    return "yes" if met else "**no**"
