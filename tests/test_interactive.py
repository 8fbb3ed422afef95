"""What a person at a terminal sees: the real program in a pseudo-terminal.

Interactive mode, its history, the pager for long listings and the question
before `saved --clear` are all driven through `python -m therafaq` in a pty,
keys in and screen text out, as a person would use them. The edge cases of
the prompt loop are then checked in-process, line by line.
"""

from __future__ import annotations

import os
import re
import select
import signal
import struct
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from therafaq import notes
from therafaq.answering import Answerer
from therafaq.interactive import Chat, history_path

from .conftest import MINI_CORPUS, ROOT, flat

pty = pytest.importorskip("pty", reason="needs a POSIX pseudo-terminal")
termios = pytest.importorskip("termios")
fcntl = pytest.importorskip("fcntl")

WAIT_SECONDS = 30  # a safety net against a hung test, not a speed requirement
CTRL_C, CTRL_D, UP = "\x03", "\x04", "\x1b[A"
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[=>])")


class Terminal:
    """`python -m therafaq ARGS` on its own pseudo-terminal of `rows` x `columns`."""

    def __init__(self, args: list[str], env: dict[str, str], rows: int = 24, columns: int = 80) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: size its terminal, then become therafaq
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
                os.chdir(ROOT)
                os.execve(sys.executable, [sys.executable, "-m", "therafaq", *args], env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.screen = ""  # everything shown so far, escape sequences removed
        self.seen = 0  # how much of it expect() has consumed
        self.status: int | None = None

    def _read(self, timeout: float) -> bool:
        """Read what is available; False once the program has closed the terminal."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # EIO: the child has gone
            return False
        if not data:
            return False
        self.screen += _ESCAPES.sub("", data.decode("utf-8", errors="replace")).replace("\r", "")
        return True

    def expect(self, text: str) -> str:
        """Wait until `text` appears; return the screen text since the last expect, up to it."""
        deadline = time.monotonic() + WAIT_SECONDS
        while text not in self.screen[self.seen :]:
            if time.monotonic() > deadline or not self._read(0.2):
                pytest.fail(f"never saw {text!r}; the screen after the last step:\n{self.screen[self.seen :]}")
        end = self.screen.index(text, self.seen) + len(text)
        shown, self.seen = self.screen[self.seen : end], end
        return shown

    def type(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def wait_for_a_key(self) -> None:
        """Return once the program is blocked waiting for a key.

        CPython's readline acts on a signal only when its wait for a key is
        interrupted, so a Ctrl-C that lands while it is still handling the
        previous key waits for the next one. A person never types that fast.
        """
        wchan = Path(f"/proc/{self.pid}/wchan")
        if not wchan.exists():
            time.sleep(0.5)  # elsewhere than Linux: give it a moment
            return
        deadline = time.monotonic() + WAIT_SECONDS
        while not any(word in wchan.read_text() for word in ("poll", "select")):
            if time.monotonic() > deadline:
                pytest.fail(f"the program never waited for a key (it is in {wchan.read_text()!r})")
            time.sleep(0.01)

    def enter(self, line: str) -> str:
        """Type a line, press Enter and return what it printed before the next prompt."""
        self.type(line + "\r")
        return self.expect("therafaq> ")

    def exit_code(self) -> int:
        """Read to the end and return the exit code."""
        deadline = time.monotonic() + WAIT_SECONDS
        while self._read(0.2):
            if time.monotonic() > deadline:
                pytest.fail(f"the program did not exit; the screen:\n{self.screen[self.seen :]}")
        _, status = os.waitpid(self.pid, 0)
        self.status = os.waitstatus_to_exitcode(status)
        return self.status

    def close(self) -> None:
        if self.status is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


@pytest.fixture
def start():
    """Start therafaq on a pty with the fixture corpus and the test's own XDG folders."""
    started: list[Terminal] = []
    env = {**os.environ, "THERAFAQ_CORPUS": str(MINI_CORPUS), "TERM": "xterm-256color"}
    for name in ("COLUMNS", "LINES", "PAGER", "MANPAGER", "LESS", "NO_COLOR"):
        env.pop(name, None)

    def run(*args: str, rows: int = 24, columns: int = 80, **extra_env: str) -> Terminal:
        terminal = Terminal(list(args), {**env, **extra_env}, rows=rows, columns=columns)
        started.append(terminal)
        return terminal

    yield run
    for terminal in started:
        terminal.close()


# Interactive mode in a real terminal ----------------------------------------------


def test_a_whole_session(start):
    chat = start("chat")
    greeting = chat.expect("therafaq> ")
    assert "help (or ?) for commands" in flat(greeting)
    assert "not professional advice" in flat(greeting)

    answer = chat.enter("how often should I walk my dog")
    assert "Most dogs enjoy two walks a day." in answer
    assert "1. Why does my cat scratch the sofa?" in answer

    related = chat.enter("1")
    assert "Cats scratch to keep their claws healthy." in related
    assert "1. How often should I walk my dog?" in related

    shown = chat.enter("show fern-water")
    assert "How often should I water a fern?" in shown and "Keep the soil of a fern damp but never soggy." in shown

    topics = chat.enter("topics")
    assert "Questions about animals at home." in topics and "Questions about growing things." in topics

    saved = chat.enter("save ask about her plants")
    assert "Saved for your next session" in flat(saved)

    helped = chat.enter("help")
    assert "show ID" in helped and "save [note]" in helped

    chat.type(CTRL_D)
    assert chat.exit_code() == 0
    assert flat(chat.screen).count("not professional advice") == 1, "the disclaimer is shown once"
    kept = notes.read_notes()
    assert "(therafaq show fern-water)" in kept and "My thoughts: ask about her plants" in kept
    assert "Traceback" not in chat.screen


def test_no_arguments_on_a_terminal_opens_chat_and_quit_leaves(start):
    chat = start()
    assert "not professional advice" in flat(chat.expect("therafaq> "))
    assert "1. How often should I water a fern?" in chat.enter("what soil for a fern")
    assert "type save to keep it" in flat(chat.screen)
    assert "Keep the soil of a fern damp" in flat(chat.enter("1"))
    chat.type("quit\r")
    assert chat.exit_code() == 0


def test_a_risk_reply_in_chat_leads_with_support_and_is_never_kept_in_the_history(start):
    chat = start("chat", "--plain", THERAFAQ_REGION="GB")
    chat.expect("therafaq> ")
    shown = flat(chat.enter("I want to kill myself"))
    assert shown.index("You don't have to go through this alone") < shown.index("Samaritans")
    assert "116 123" in shown and "Shout" in shown and "Related questions" not in shown
    later = flat(chat.enter("how often should I walk my dog"))
    assert "Most dogs enjoy two walks a day." in later
    assert later.removesuffix("therafaq>").rstrip().endswith("elsewhere, findahelpline.com."), "help stays in replies"
    chat.type(CTRL_D)
    assert chat.exit_code() == 3, "a wrapper reading only the status must not hide that support was shown"
    kept = history_path().read_text()
    assert "walk my dog" in kept and "kill" not in kept


@pytest.mark.parametrize(("args", "env"), [(["--no-history"], {}), ([], {"THERAFAQ_NO_HISTORY": "1"})])
def test_history_can_be_turned_off(start, args, env):
    chat = start("chat", "--plain", *args, **env)
    chat.expect("therafaq> ")
    chat.enter("walk my dog")
    chat.type(CTRL_D)
    assert chat.exit_code() == 0
    assert not history_path().exists()


def test_forget_empties_the_history(start):
    chat = start("chat", "--plain")
    chat.expect("therafaq> ")
    chat.enter("walk my dog")
    assert "History emptied" in chat.enter("forget")
    chat.type(CTRL_D)
    assert chat.exit_code() == 0
    assert "walk my dog" not in history_path().read_text()


def test_ctrl_c_clears_a_typed_line_then_leaves_from_an_empty_one(start):
    chat = start("chat")
    chat.expect("therafaq> ")
    chat.type("walk my")
    chat.expect("walk my")
    chat.wait_for_a_key()
    chat.type(CTRL_C)
    chat.expect("therafaq> ")
    answer = chat.enter("water a fern")
    assert "How often should I water a fern?" in answer, "the cancelled words are gone"
    assert "walk" not in answer
    chat.wait_for_a_key()
    chat.type(CTRL_C)
    assert chat.exit_code() == 130
    assert "Traceback" not in chat.screen and "Aborted" not in chat.screen


def test_history_is_kept_for_the_next_session(start):
    first = start("chat")
    first.expect("therafaq> ")
    first.enter("walk my dog")
    first.type("quit\r")
    assert first.exit_code() == 0
    assert "walk my dog" in history_path().read_text()
    assert history_path().stat().st_mode & 0o777 == 0o600

    second = start("chat")
    second.expect("therafaq> ")
    second.type(UP + UP)  # past "quit", to the question
    assert "Most dogs enjoy two walks a day." in second.enter("")
    second.type(CTRL_D)
    assert second.exit_code() == 0


# Other terminal behaviour -----------------------------------------------------------


def test_long_list_goes_through_the_pager_only_when_it_does_not_fit(start):
    pager = "sed s/^/paged:/"
    short = start("list", "--plain", rows=40, PAGER=pager)
    assert short.exit_code() == 0
    assert "dog-walks: How often should I walk my dog?" in short.screen and "paged:" not in short.screen

    tall = start("list", "--plain", rows=4, PAGER=pager)
    assert tall.exit_code() == 0
    assert "paged:  dog-walks: How often should I walk my dog?" in tall.screen

    rich = start("list", rows=4, PAGER=pager)
    assert rich.exit_code() == 0
    assert re.search(r"paged:.*fern-water", rich.screen)


def test_a_pager_that_cannot_start_prints_the_list_directly(start):
    missing = start("list", "--plain", rows=4, PAGER="no-such-pager --flag")
    assert missing.exit_code() == 0
    assert "the pager 'no-such-pager' cannot be started" in missing.screen
    assert "dog-walks: How often should I walk my dog?" in missing.screen


@pytest.mark.parametrize(("reply", "kept"), [("n", True), ("y", False)])
def test_saved_clear_asks_first_on_a_terminal(start, reply, kept):
    notes.append_note(notes.Note("Can I hug my therapist?", date.today()))
    clear = start("saved", "--clear")
    assert "Remove the 1 saved question(s) in" in clear.expect("[y/N]:")
    clear.type(reply + "\r")
    assert clear.exit_code() == 0
    assert ("hug my therapist" in notes.read_notes()) is kept


# The prompt loop, line by line --------------------------------------------------------


@pytest.fixture
def chat(mini) -> Chat:
    return Chat(Answerer(mini))


def said(capsys) -> str:
    return capsys.readouterr().out


def test_numbers_follow_suggestions_when_nothing_fits(chat, capsys):
    chat.handle("what soil for a fern")
    out = said(capsys)
    assert "Did you mean:" in out
    first = out.split("1. ", 1)[1].split(" [", 1)[0]
    chat.handle("1")
    assert said(capsys).startswith(first)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["2"], "no numbered list to choose from yet"),
        (["walk my dog", "7"], "Choose a number from 1 to 2"),
        (["walk my dog", "0"], "Choose a number from 1 to 2"),
        (["show"], "show needs an entry id"),
        (["show fern-wter"], "Did you mean: fern-water"),
        (["show nothing-like-it-at-all-xyz"], "No entry with id 'nothing-like-it-at-all-xyz'"),
        (["save"], "Nothing to save yet"),
        (["HELP"], "Type a question and press Enter"),
        (["show me how to water a fern"], "How often should I water a fern?"),
        (["help me walk my dog"], "Most dogs enjoy two walks a day."),
        (["I want to kill myself", "1"], "no numbered list to choose from yet"),
        (["walk my dog", "\u0661"], "Cats scratch to keep their claws healthy."),
        (["walk my dog", "\u00b2"], "No confident answer for: '\u00b2'"),
        (["walk my dog", "9" * 5000], "No confident answer for"),
    ],
)
def test_lines_and_what_they_say(chat, capsys, lines, expected):
    for line in lines:
        assert chat.handle(line) is True
    assert expected in said(capsys)


@pytest.mark.parametrize("line", ["quit", "exit", "  QUIT  "])
def test_quit_words_end_the_loop(chat, line):
    assert chat.handle(line) is False


def test_empty_lines_do_nothing(chat, capsys):
    assert chat.handle("   ") is True
    assert said(capsys) == ""


def test_save_keeps_what_was_asked_and_what_answered_it(chat, capsys):
    chat.handle("wlak my dog")
    chat.handle("save")
    assert "Saved for your next session in " + str(notes.notes_path()) in said(capsys)
    text = notes.read_notes()
    assert "wlak my dog" in text and "(therafaq show dog-walks)" in text


def test_save_after_an_unanswered_question_keeps_the_question(chat):
    chat.handle("how do I repot a fern")
    chat.handle("save bring it up")
    text = notes.read_notes()
    assert "how do I repot a fern" in text and "no answer" in text and "bring it up" in text


def test_chat_without_a_terminal_reads_lines_without_prompts(runner):
    from therafaq.cli import app

    result = runner.invoke(app, ["chat", "--corpus", str(MINI_CORPUS)], input="walk my dog\n2\nquit\nfern\n")
    assert result.exit_code == 0
    assert "therafaq> " not in result.stdout
    assert result.stdout.index("Most dogs enjoy") < result.stdout.index("Ferns like bright, indirect light")
    assert " ".join(result.stdout.split()).count("not professional advice") == 1


def test_history_lives_in_the_state_directory(isolated_user: Path, monkeypatch):
    assert history_path() == isolated_user / "state" / "therafaq" / "history"
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", str(isolated_user))
    assert history_path() == isolated_user / ".local" / "state" / "therafaq" / "history"


class CliInterrupt(BaseException):
    """Like cli.Interrupted: Ctrl-C raised past the CLI framework."""


@pytest.mark.parametrize(("raised", "code"), [(EOFError, 0), (KeyboardInterrupt, 130), (CliInterrupt, 130)])
def test_end_of_input_and_ctrl_c_without_a_terminal(mini, monkeypatch, raised, code):
    def typed(prompt: str) -> str:
        raise raised

    monkeypatch.setattr("builtins.input", typed)
    assert Chat(Answerer(mini), interrupts=(KeyboardInterrupt, CliInterrupt)).run() == code


def test_history_is_never_written_through_a_symlink(tmp_path, capsys):
    from therafaq import interactive

    target = tmp_path / "precious.txt"
    target.write_text("do not truncate me\n")
    link = tmp_path / "history"
    link.symlink_to(target)

    class Readline:
        @staticmethod
        def write_history_file(path):
            Path(path).write_text("typed lines\n")

    interactive._save_history(Readline, link)
    assert target.read_text() == "do not truncate me\n"
    assert "is a symbolic link" in capsys.readouterr().err
    plain = tmp_path / "plain-history"
    interactive._save_history(Readline, plain)
    assert plain.read_text() == "typed lines\n" and oct(plain.stat().st_mode & 0o777) == "0o600"


def test_saved_on_a_terminal_is_numbered_and_wrapped(start):
    day = date(2026, 3, 14)  # a fixed day, so a run that crosses midnight still matches
    notes.append_note(notes.Note("Can I hug my therapist?", day, thoughts="word " * 40))
    shown = start("saved", columns=60)
    assert shown.exit_code() == 0
    assert f"1. {day.isoformat()}: Can I hug my therapist?" in shown.screen
    assert "## " not in shown.screen
    assert max(len(line) for line in shown.screen.splitlines()) <= 60


def test_chat_browses_topics_by_number_and_by_id(chat, capsys):
    chat.handle("topics")
    listed = said(capsys)
    assert "1. Pets [pets]" in listed and "2. Plants [plants]" in listed
    chat.handle("2")
    plants = said(capsys)
    assert "Plants:" in plants and "1. How much light does a fern need? [fern-light]" in plants
    chat.handle("1")
    assert said(capsys).startswith("How much light does a fern need?")
    chat.handle("topics")
    said(capsys)
    chat.handle("PETS")
    assert "Why does my cat scratch the sofa? [cat-scratching]" in said(capsys)


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("list plants", "How often should I water a fern? [fern-water]"),
        ("list", "Every question:"),
        ("list nowhere", "No topic 'nowhere'"),
        ("?", "list [TOPIC]"),
        ("random", "["),
    ],
)
def test_chat_commands_are_not_taken_for_questions(chat, capsys, line, shown):
    chat.handle(line)
    out = said(capsys)
    assert shown in out and "No confident answer" not in out


def test_back_shows_again_what_was_read_before(chat, capsys):
    chat.handle("walk my dog")
    chat.handle("show fern-light")
    said(capsys)
    chat.handle("back")
    assert said(capsys).startswith("How often should I walk my dog?")
    chat.handle("back")
    assert "Nothing to go back to" in said(capsys)


@pytest.mark.parametrize("word", ["q", "quit", "exit"])
def test_q_quit_and_exit_leave(chat, word):
    assert chat.handle(word) is False


def test_the_greeting_gives_examples(chat, capsys):
    chat.greet()
    assert '"can I hug my therapist?"' in said(capsys)


def test_a_long_answer_on_a_terminal_goes_through_the_pager(start):
    paged = start("ask", "--plain", "walk my dog", rows=4, PAGER="sed s/^/paged:/")
    assert paged.exit_code() == 0
    assert "paged:Most dogs enjoy two walks a day." in paged.screen
    roomy = start("ask", "--plain", "walk my dog", rows=60, PAGER="sed s/^/paged:/")
    assert roomy.exit_code() == 0 and "paged:" not in roomy.screen


def test_chat_on_a_terminal_browses_a_topic_by_number(start):
    chat = start()
    chat.expect("therafaq> ")
    assert "2. Plants [plants]" in chat.enter("topics")
    assert "1. How much light does a fern need? [fern-light]" in chat.enter("2")
    assert "Ferns like bright, indirect light" in flat(chat.enter("1"))
    chat.type("q\r")
    assert chat.exit_code() == 0
