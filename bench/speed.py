"""Speed figures for therafaq: start-up, the Typer floor, batch throughput and corpus growth.

Every figure is a whole process timed from outside (subprocess + time.perf_counter), start-up included; peak
memory is the child's own maximum resident set size (os.wait4). Commands compared with each other run
alternately (A B A B ...) in the same run (each table says how its ratio is taken).

Run from the repository root with the project's environment. A full run takes about four minutes today, most of
it building the 100,000-entry index; --quick (fewer repetitions, sizes up to 10,000) under one:

    .venv/bin/python bench/speed.py [--quick] [--sizes 100,1000,2000,10000,100000]

The Typer 0.29 comparison installs typer==0.29.2 once into a virtual environment under the system's temporary
directory (pip needs the network the first time); without it that row is skipped with a note. The synthetic
corpora are kept there too (about 230 MB), so later runs skip generating them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from synthetic import noisy_questions, synthetic_corpus
from timing import CACHE, XDG_CACHE, Run, alternate, check, markdown, median_seconds, paired_ratio, run, verdict

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "corpus.json"
BIN = Path(sys.executable).parent
THERAFAQ = str(BIN / "therafaq")
TYPER_NEXT = "0.29.2"
QUESTION = "can I hug my therapist?"
BATCH_QUESTIONS = 20_000
GROWTH_BATCH_SECONDS = 10.0
SLOW_SIZE = 10_000

MINIMAL_ASK = '''
from typing import Annotated

import typer
from rapidfuzz import process  # noqa: F401  (what the real ask path needs)
{extra_import}
app = typer.Typer()


@app.callback()
def main() -> None:
    """A minimal app with one command."""


@app.command()
def ask(
    question: Annotated[list[str], typer.Argument()],
    top: Annotated[int, typer.Option("--top", "-n", min=1, max=20)] = 1,
    topic: Annotated[str | None, typer.Option("--topic", "-t")] = None,
    json_output: Annotated[bool, typer.Option("--json")] = False,
    plain: Annotated[bool, typer.Option("--plain")] = False,
) -> None:
    print(" ".join(question))


app()
'''

MINIMAL_TWO_COMMANDS = """
import typer

app = typer.Typer()


@app.command()
def hello(name: str, formal: bool = False) -> None:
    print(("Good day, " if formal else "Hello, ") + name)


@app.command()
def bye(name: str) -> None:
    print("Bye, " + name)


app()
"""

# Start-up -----------------------------------------------------------------------------------------------------


def startup(work: Path, pairs: int) -> tuple[str, float]:
    plain_app = work / "minimal_ask.py"
    plain_app.write_text(MINIMAL_ASK.format(extra_import=""))
    rich_app = work / "minimal_ask_rich.py"
    rich_app.write_text(MINIMAL_ASK.format(extra_import="import rich.console  # noqa: F401\n"))
    ours_plain = [THERAFAQ, "ask", "--plain", QUESTION]
    ours_rich = [THERAFAQ, "ask", QUESTION]
    check(ours_plain, (0,), "hug")
    check([sys.executable, str(plain_app), "ask", "--plain", QUESTION], (0,), QUESTION)
    check([sys.executable, str(rich_app), "ask", QUESTION], (0,), QUESTION)
    screen: list[bytes] = []
    run(ours_rich, tty=True, screen=screen)
    if "\u2500" not in b"".join(screen).decode("utf-8", "replace"):
        sys.exit("speed.py: therafaq ask on a pseudo-terminal did not take the Rich path")
    rows = []
    plain_median = 0.0
    cases = (
        ("ask --plain (piped)", ours_plain, [sys.executable, str(plain_app), "ask", "--plain", QUESTION], False),
        ("ask on a terminal (Rich)", ours_rich, [sys.executable, str(rich_app), "ask", QUESTION], True),
    )
    for label, ours, minimal, tty in cases:
        runs_a, runs_b = alternate(ours, minimal, pairs, tty=tty)
        ratio = paired_ratio(runs_a, runs_b)
        if not tty:
            plain_median = median_seconds(runs_a)
        rows.append(
            [
                label,
                f"{median_seconds(runs_a) * 1000:.0f}",
                f"{median_seconds(runs_b) * 1000:.0f}",
                f"{ratio:.2f}x",
                f"{paired_ratio(runs_a, runs_b, cpu=True):.2f}x",
                verdict(ratio, 1.3),
                f"{statistics.median(r.peak_kb for r in runs_a) / 1024:.0f} / "
                f"{statistics.median(r.peak_kb for r in runs_b) / 1024:.0f}",
            ]
        )
    header = [
        "path",
        "therafaq ms",
        "minimal app ms",
        "ratio",
        "CPU-time ratio",
        "<= 1.3x",
        "peak MiB (therafaq / minimal)",
    ]
    notes = (
        f"Wall-clock medians of {pairs} alternating pairs; the ratios are medians of the pairs' ratios, the "
        "CPU-time one (user + system) being the steadier when other work shares the machine. Minimal app: same "
        "Typer, one `ask` command with four options that imports rapidfuzz.process and prints its argument (the "
        "Rich row also imports rich.console); the Rich row runs both on a pseudo-terminal (PAGER=cat, 100x40, "
        "TERM=xterm-256color). Every command in this "
        "benchmark runs with bytecode cached, as after `pip install`, and therafaq's own caches as its first "
        "run left them."
    )
    return f"### Start-up\n\n{markdown(header, rows)}\n\n{notes}\n", plain_median


# Typer floor ---------------------------------------------------------------------------------------------------


def typer_next_python() -> Path | None:
    """A cached virtual environment with Typer 0.29, made once; None when pip cannot install it."""
    env_dir = CACHE / f"typer-{TYPER_NEXT}"
    python = env_dir / "bin" / "python"
    marker = env_dir / "installed"
    if marker.is_file():
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(env_dir)], check=True, capture_output=True)
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", f"typer=={TYPER_NEXT}"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if install.returncode != 0:
        return None
    marker.write_text(TYPER_NEXT)
    return python


def typer_floor(work: Path, pairs: int) -> str:
    app = work / "minimal_two_commands.py"
    app.write_text(MINIMAL_TWO_COMMANDS)
    installed = metadata.version("typer")
    try:
        python_next = typer_next_python()
    except (subprocess.SubprocessError, OSError) as error:
        python_next, reason = None, str(error)
    else:
        reason = "pip could not install it (offline?)"
    if python_next is None:
        return f"### Typer floor\n\nTyper {TYPER_NEXT}: skipped, {reason}.\n"
    current = [sys.executable, str(app), "hello", "World"]
    upcoming = [str(python_next), str(app), "hello", "World"]
    check(current, (0,), "Hello, World")
    check(upcoming, (0,), "Hello, World")
    runs_next, runs_now = alternate(upcoming, current, pairs)
    ratio = paired_ratio(runs_next, runs_now)
    rows = [
        [f"Typer {installed} (installed)", f"{median_seconds(runs_now) * 1000:.0f}", "1.00x"],
        [f"Typer {TYPER_NEXT}", f"{median_seconds(runs_next) * 1000:.0f}", f"{ratio:.2f}x"],
    ]
    notes = f"A minimal two-command Typer app (`hello NAME`), medians of {pairs} alternating pairs."
    return f"### Typer floor\n\n{markdown(['Typer', 'start-up ms', 'ratio'], rows)}\n\n{notes}\n"


# Batch and growth --------------------------------------------------------------------------------------------------


def batch(
    corpus: Path | None, questions: list[str], work: Path, repeats: int, *, piped: bool = False, one_cpu: bool = False
) -> tuple[list[Run], int]:
    """`therafaq ask --json -` over `questions`; returns the runs and how many answers the first one wrote.

    Standard input is the questions file itself or, with `piped`, a pipe that `cat` fills. With
    `one_cpu` the process may use one CPU only (`taskset -c 0`), so it answers alone, as it would
    on a one-CPU machine; otherwise it shares the batch over workers, one per CPU.
    """
    source = work / f"questions-{len(questions)}.txt"
    source.write_text("\n".join(questions) + "\n", encoding="utf-8")
    output, errors = work / "answers.jsonl", work / "batch-errors.txt"
    command = [THERAFAQ, "ask", "--json", "-"] + (["--corpus", str(corpus)] if corpus else [])
    if one_cpu:
        command = ["taskset", "-c", "0", *command]
    if piped:
        command = ["sh", "-c", 'cat "$0" | exec "$@"', str(source), *command]
        runs = [run(command, stdout=output, stderr=errors) for _ in range(repeats)]
    else:
        runs = [run(command, stdin=source, stdout=output, stderr=errors) for _ in range(repeats)]
    with output.open("rb") as lines:
        written = sum(1 for _ in lines)
    if any(r.code not in (0, 1, 3) for r in runs) or written != len(questions):
        tail = errors.read_text(encoding="utf-8", errors="replace")[-2000:]
        sys.exit(f"speed.py: batch run failed (exit {runs[-1].code}, {written} of {len(questions)} answers):\n{tail}")
    return runs, written


def batch_section(real: dict, work: Path, plain_seconds: float, repeats: int) -> str:
    questions = noisy_questions(real, BATCH_QUESTIONS, seed=1)
    rows = []
    cases = (
        ("a file", "one process", False, True),
        ("a file", "workers", False, False),
        ("a pipe", "workers", True, False),
    )
    for label, how, piped, one_cpu in cases:
        runs, count = batch(None, questions, work, repeats, piped=piped, one_cpu=one_cpu)
        seconds = median_seconds(runs)
        whole = count / seconds
        rows.append(
            [
                label,
                how,
                f"{count:,}",
                f"{seconds:.2f}",
                f"{whole:,.0f}",
                f"{count / max(seconds - plain_seconds, 1e-9):,.0f}",
                verdict(whole, 5000, at_most=False),
                f"{statistics.median(r.cpu for r in runs):.2f}",
                f"{statistics.median(r.peak_kb for r in runs) / 1024:.0f}",
            ]
        )
    header = [
        "stdin",
        "answered by",
        "questions",
        "seconds",
        "q/s (whole process)",
        "q/s (after start-up)",
        ">= 5,000 q/s",
        "CPU seconds",
        "peak MiB",
    ]
    distinct = len(set(questions))
    notes = (
        f"`therafaq ask --json -` on the bundled corpus, median of {repeats}; questions are corpus wordings with "
        f"typos, fillers and case changes, one in ten off-topic ({distinct:,} distinct), each read by the risk "
        f"check and then matched. 'One process' runs under `taskset -c 0`; 'workers' shares the batch over "
        f"{os.cpu_count()} CPUs. 'After start-up' subtracts the median `ask --plain` time measured above; "
        "CPU seconds are user + system, of every process; peak is the largest one process."
    )
    return f"### Batch\n\n{markdown(header, rows)}\n\n{notes}\n"


PROBE = """
import json, resource, sys, time
start = time.perf_counter()
import therafaq.cli
from therafaq import json_render
from therafaq.answering import Answerer
from therafaq.corpus_file import load_corpus
from therafaq.cache import load_indexed
imported = time.perf_counter()
load_corpus(sys.argv[1])
validated = time.perf_counter()
corpus, index = load_indexed(sys.argv[1])
indexed = time.perf_counter()
answerer = Answerer(corpus, index)
questions = open(sys.argv[2], encoding="utf-8").read().splitlines()
json_render.answer_json(answerer.answer(questions[0]))
first = time.perf_counter()
budget, answered = float(sys.argv[3]), 0
for question in questions[1:]:
    json_render.answer_json(answerer.answer(question))
    answered += 1
    if answered >= 20 and time.perf_counter() - first > budget:
        break
done = time.perf_counter()
print(json.dumps({
    "import": imported - start, "load": validated - imported, "indexed": indexed - validated,
    "first": first - indexed, "batch": done - first, "answered": answered,
    "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


@dataclass(frozen=True, slots=True)
class Growth:
    label: str
    megabytes: float
    probe: dict
    ask: float
    ratio: float
    ask_measured: bool
    peak_kb: int
    command: tuple[str, ...]


def probe(path: Path, source: Path, work: Path, budget: float) -> tuple[dict, Run]:
    output, errors = work / "probe.json", work / "probe-errors.txt"
    outside = run([sys.executable, "-c", PROBE, str(path), str(source), str(budget)], stdout=output, stderr=errors)
    if outside.code != 0:
        tail = errors.read_text(encoding="utf-8", errors="replace")[-2000:]
        sys.exit(f"speed.py: the probe failed on {path} (exit {outside.code}):\n{tail}")
    return json.loads(output.read_text(encoding="utf-8")), outside


def grow(label: str, path: Path, questions: list[str], work: Path, repeats: int, bundled: Growth | None) -> Growth:
    """Two in-process probes, the first with an empty cache directory and the second with what it left there;
    then whole-process asks.

    The asks alternate with the bundled corpus's ask (A B A B ...) and the ratio is of their medians; with no
    repeats the ask is estimated from the second probe, whose whole time less its batch and its separate
    `load_corpus` (there for the table's load column) is the same work.
    """
    source = work / "growth-questions.txt"
    source.write_text("\n".join(questions) + "\n", encoding="utf-8")
    shutil.rmtree(XDG_CACHE, ignore_errors=True)
    cold, cold_run = probe(path, source, work, GROWTH_BATCH_SECONDS)
    warm, warm_run = probe(path, source, work, 0.0)
    cold["cached"] = warm["indexed"]
    megabytes = path.stat().st_size / 1e6
    peak = max(cold_run.peak_kb, warm_run.peak_kb)
    ask = [THERAFAQ, "ask", "--plain", "--corpus", str(path), questions[0]]
    if not repeats:
        estimate = warm_run.seconds - warm["batch"] - warm["load"]
        ratio = estimate / bundled.ask if bundled else 1.0
        return Growth(label, megabytes, cold, estimate, ratio, False, peak, tuple(ask))
    if bundled is None:
        asks = [run(ask) for _ in range(repeats)]
        peak = max(peak, *(r.peak_kb for r in asks))
        return Growth(label, megabytes, cold, median_seconds(asks), 1.0, True, peak, tuple(ask))
    asks, references = alternate(ask, list(bundled.command), repeats)
    peak = max(peak, *(r.peak_kb for r in asks))
    ratio = median_seconds(asks) / median_seconds(references)
    return Growth(label, megabytes, cold, median_seconds(asks), ratio, True, peak, tuple(ask))


def growth_section(real: dict, sizes: list[int], work: Path, repeats: int) -> str:
    questions = noisy_questions(real, 5000, 3)
    bundled = grow(f"bundled ({len(real['entries'])})", BUNDLED, questions, work, repeats, None)
    results = [bundled]
    for size in sizes:
        path = synthetic_corpus(size, real, CACHE)
        questions = noisy_questions(json.loads(path.read_text(encoding="utf-8")), 5000, 3)
        results.append(grow(f"{size:,}", path, questions, work, repeats if size <= SLOW_SIZE else 0, bundled))
    shutil.rmtree(XDG_CACHE, ignore_errors=True)  # a 100,000-entry index is hundreds of MB
    rows = []
    for g in results:
        marker = "" if g.ask_measured else " *"
        rate = g.probe["answered"] / g.probe["batch"]
        rows.append(
            [
                g.label,
                f"{g.megabytes:.1f}",
                f"{g.probe['load'] * 1000:,.0f}",
                f"{g.probe['indexed'] * 1000:,.0f}",
                f"{g.probe['cached'] * 1000:,.0f}",
                f"{g.probe['first'] * 1000:.1f}",
                f"{g.ask * 1000:,.0f}{marker}",
                f"{g.ratio:.1f}x",
                f"{rate:,.0f}",
                f"{g.peak_kb / 1024:,.0f}",
            ]
        )
    header = [
        "entries",
        "file MB",
        "load ms",
        "corpus + index ms (first run)",
        "corpus + index ms (cached)",
        "first answer ms",
        "one ask ms (whole process)",
        "ask vs bundled",
        "batch q/s (after start-up)",
        "peak MiB",
    ]
    target = ""
    for label, budget in (("2,000", 1.5), ("10,000", 3.0)):
        found = next((g for g in results if g.label == label), None)
        if found is not None:
            target += (
                f"{label} entries: one ask is {found.ratio:.2f}x the bundled corpus's "
                f"(target <= {budget:g}x: {verdict(found.ratio, budget)}).\n\n"
            )
    notes = (
        "Synthetic corpora shaped like the bundled one (see `synthetic_corpus`). load = `load_corpus` alone "
        "(read + validate, for scale); corpus + index = `load_indexed`, as `ask` does it, first with therafaq's "
        "cache directory (XDG_CACHE_HOME) empty, then in a second process with what the first left there; "
        "first answer = the first question answered after "
        "that; batch = questions answered and rendered as `ask --json` renders them for about "
        f"{GROWTH_BATCH_SECONDS:g} s (at least 20), all inside the first process. One ask = `therafaq ask --plain "
        f"--corpus FILE` as a whole process (cache in place), median of {repeats}, alternating with the bundled "
        f"corpus's ask; 'ask vs bundled' is the ratio of the two medians; * = above {SLOW_SIZE:,} entries it is "
        "the second process's own whole time up to its first answer, less its separate load column, instead (to keep "
        "the run short). "
        "Peak = the largest process RSS seen."
    )
    return f"### Growth\n\n{markdown(header, rows)}\n\n{target}{notes}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, for a rough pass")
    parser.add_argument(
        "--sizes",
        help="synthetic corpus sizes for the growth table, comma-separated (default: 100,1000,2000,10000,100000; "
        "with --quick 100,1000,10000)",
    )
    args = parser.parse_args(argv)
    default_sizes = "100,1000,2000,10000" if args.quick else "100,1000,2000,10000,100000"
    sizes = [int(size) for size in (args.sizes or default_sizes).split(",") if size.strip()]
    pairs, repeats = (5, 1) if args.quick else (15, 3)
    if not Path(THERAFAQ).exists():
        parser.error(f"{THERAFAQ} not found: run this with the Python of the environment therafaq is installed in")
    real = json.loads(BUNDLED.read_text(encoding="utf-8"))
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("therafaq", "typer", "rich", "rapidfuzz"))
    print(f"Python {platform.python_version()}, {versions}, {os.cpu_count()} CPUs\n")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="therafaq-bench-") as temp:
        work = Path(temp)
        text, plain_seconds = startup(work, pairs)
        print(text, flush=True)
        print(typer_floor(work, pairs), flush=True)
        print(batch_section(real, work, plain_seconds, repeats), flush=True)
        print(growth_section(real, sizes, work, repeats), flush=True)
    print(f"Total run time: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
