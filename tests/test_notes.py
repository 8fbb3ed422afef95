"""Taking questions to a therapy session: ask --save, saved, saved --clear, and the file itself."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import pytest

from therafaq import notes

from .conftest import MINI, json_lines, run

DAY = date(2026, 3, 14)
TODAY = DAY.isoformat()


class _FixedDay(date):
    @classmethod
    def today(cls) -> date:
        return DAY


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    """Notes are dated when saved: a fixed day keeps a run that crosses midnight from failing."""
    monkeypatch.setattr(notes, "date", _FixedDay)


def test_ask_save_keeps_question_answer_and_date(runner):
    plain = run(runner, "ask", "wlak my dog", *MINI)
    result = run(runner, "ask", "wlak my dog", "--save", *MINI)
    assert result.exit_code == 0
    assert result.stdout == plain.stdout, "saving changes nothing on stdout"
    assert f"saved for your session in {notes.notes_path()}" in result.stderr
    assert notes.read_notes() == (
        notes.HEADER + f"\n## {TODAY}: wlak my dog\n\n"
        '- Answer I read: "How often should I walk my dog?" (therafaq show dog-walks)\n'
    )


def test_notes_are_appended_in_order_and_note_implies_save(runner):
    run(runner, "ask", "fern light", "--save", *MINI)
    run(runner, "ask", "water a fern", "--note", "  mine keeps\n dying  ", *MINI)
    text = notes.read_notes()
    assert text.count("# For my session") == 1
    assert text.index("## " + TODAY + ": fern light") < text.index("## " + TODAY + ": water a fern")
    assert "- My thoughts: mine keeps dying\n" in text
    assert notes.count_notes(text) == 2


def test_unanswered_question_is_saved_without_an_answer(runner):
    result = run(runner, "ask", "how do I repot a fern", "--save", *MINI)
    assert result.exit_code == 1
    assert "## " + TODAY + ": how do I repot a fern\n\n- therafaq had no answer for this one." in notes.read_notes()


def test_save_with_json_keeps_stdout_json(runner):
    result = run(runner, "ask", "--json", "--save", "fern light", *MINI)
    [record] = json_lines(result.stdout)
    assert record["matches"][0]["id"] == "fern-light"
    assert "fern-light" in notes.read_notes()


def test_save_refuses_questions_from_stdin(runner):
    result = run(runner, "ask", "--save", "-", *MINI, input="walk my dog\n")
    assert result.exit_code == 2 and "--save keeps one question" in result.stderr
    assert not notes.notes_path().exists()


def test_saved_prints_the_file(runner):
    run(runner, "ask", "walk my dog", "--note", "ask about routines", *MINI)
    result = run(runner, "saved")
    assert result.exit_code == 0
    assert result.stdout == notes.read_notes()
    assert result.stdout.startswith("# For my session\n") and "ask about routines" in result.stdout


def test_saved_with_nothing_saved_says_how_to_save(runner):
    result = run(runner, "saved")
    assert result.exit_code == 0 and result.stdout == ""
    assert "nothing saved yet" in result.stderr and "--save" in result.stderr


def test_saved_shows_typed_control_characters_inertly(runner):
    run(runner, "ask", "walk my dog", "--note", "\x1b[31mred\x1b]8;;http://x\x07", *MINI)
    out = run(runner, "saved").stdout
    assert "\x1b" not in out and "\x07" not in out
    assert "[31mred" in out


def test_saved_clear_without_a_terminal_needs_yes(runner):
    run(runner, "ask", "walk my dog", "--save", *MINI)
    refused = run(runner, "saved", "--clear", input="y\n")
    assert refused.exit_code == 2 and "add --yes" in refused.stderr
    assert "walk my dog" in notes.read_notes()

    cleared = run(runner, "saved", "--clear", "--yes")
    assert cleared.exit_code == 0 and "removed 1 saved question(s)" in cleared.stderr
    assert notes.read_notes() == ""
    assert "nothing saved yet" in run(runner, "saved").stderr


def test_saved_clear_with_nothing_saved_is_quiet(runner):
    result = run(runner, "saved", "--clear")
    assert result.exit_code == 0 and "nothing saved yet" in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_file_is_private_to_its_owner(runner):
    run(runner, "ask", "walk my dog", "--save", *MINI)
    path = notes.notes_path()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_the_file_lives_in_the_data_directory(isolated_user: Path, monkeypatch):
    assert notes.notes_path() == isolated_user / "data" / "therafaq" / "for-my-session.md"
    monkeypatch.setenv("HOME", str(isolated_user))
    for unusable in ("", "relative/path"):
        monkeypatch.setenv("XDG_DATA_HOME", unusable)
        assert notes.notes_path() == isolated_user / ".local" / "share" / "therafaq" / "for-my-session.md"


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        (
            notes.Note("Can I\nhug them?", date(2024, 5, 1), "hugs", "Is a hug OK?", "I\n\nwant one"),
            '## 2024-05-01: Can I hug them?\n\n- Answer I read: "Is a hug OK?" (therafaq show hugs)\n'
            "- My thoughts: I want one\n",
        ),
        (
            notes.Note("pizza?", date(2024, 5, 2), thoughts="   "),
            "## 2024-05-02: pizza?\n\n- therafaq had no answer for this one.\n",
        ),
    ],
)
def test_format_note(note, expected):
    assert notes.format_note(note) == expected


@pytest.mark.parametrize("command", ["saved", "chat", "random"])
def test_new_commands_have_help_with_an_example(runner, command):
    result = run(runner, command, "-h")
    assert result.exit_code == 0 and "Example" in result.stdout


# Files a person trusts ----------------------------------------------------------


def test_clear_removes_only_the_notes_it_showed(runner):
    notes.append_note(notes.Note("first question", date.today()))
    shown = notes.read_notes()
    notes.append_note(notes.Note("saved while the prompt was open", date.today()))
    assert notes.clear_notes(shown) == 1
    left = notes.read_notes()
    assert "saved while the prompt was open" in left and "first question" not in left
    assert left.startswith(notes.HEADER)


def test_notes_are_never_written_through_a_symlink(runner, tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("do not truncate me\n")
    notes.notes_path().parent.mkdir(parents=True, exist_ok=True)
    notes.notes_path().symlink_to(target)
    result = run(runner, "ask", "wlak my dog", "--save", *MINI)
    assert result.exit_code == 2
    assert "is a symbolic link" in result.stderr and "Traceback" not in result.stderr
    assert target.read_text() == "do not truncate me\n"


def test_a_risk_question_that_cannot_be_saved_still_exits_3(runner):
    notes.notes_path().parent.mkdir(parents=True, exist_ok=True)
    notes.notes_path().mkdir()
    result = run(runner, "ask", "i want to die", "--save", *MINI)
    assert result.exit_code == 3
    assert "could not save" in result.stderr


def test_a_failed_write_leaves_the_previous_notes_whole(runner, monkeypatch):
    notes.append_note(notes.Note("kept question", date.today()))
    before = notes.read_notes()

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("therafaq.user_files.os.replace", disk_full)
    result = run(runner, "ask", "wlak my dog", "--save", *MINI)
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert notes.read_notes() == before
    assert [p.name for p in notes.notes_path().parent.iterdir()] == [notes.NOTES_FILE]


@pytest.mark.parametrize("make", ["directory", "unreadable"])
def test_saved_on_a_file_that_cannot_be_read_is_a_message(runner, make):
    path = notes.notes_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if make == "directory":
        path.mkdir()
    else:
        if os.geteuid() == 0:
            pytest.skip("root reads any file")
        path.write_text("x")
        path.chmod(0)
    result = run(runner, "saved")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert str(path) in result.stderr


def test_typed_control_characters_reach_the_file_inert(runner):
    run(runner, "ask", "walk my dog\x1b[2J", "--note", "bell\x07", *MINI)
    text = notes.read_notes()
    assert "\x1b" not in text and "\x07" not in text and "\u241b[2J" in text


def test_saving_the_same_question_twice_keeps_one(runner):
    first = run(runner, "ask", "wlak my dog", "--save", *MINI)
    again = run(runner, "ask", "wlak my dog", "--save", *MINI)
    assert first.exit_code == again.exit_code == 0
    assert "saved already" in again.stderr
    assert notes.count_notes(notes.read_notes()) == 1
    run(runner, "ask", "wlak my dog", "--note", "and something new", *MINI)
    assert notes.count_notes(notes.read_notes()) == 2, "a new thought is a new note"


def test_saved_remove_takes_out_one_question(runner):
    for question in ("walk my dog", "fern light", "water a fern"):
        run(runner, "ask", question, "--save", *MINI)
    result = run(runner, "saved", "--remove", "2")
    assert result.exit_code == 0 and "removed saved question 2" in result.stderr and "fern light" in result.stderr
    left = notes.read_notes()
    assert "walk my dog" in left and "water a fern" in left and "fern light" not in left
    missing = run(runner, "saved", "--remove", "9")
    assert missing.exit_code == 2 and "there are 2" in missing.stderr


def test_a_risk_question_saved_says_support_was_shown(runner):
    run(runner, "ask", "i want to die", "--save", *MINI)
    text = notes.read_notes()
    assert "showed where to get support" in text and "had no answer" not in text
