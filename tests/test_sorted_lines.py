"""The tables the models read in place: each key's line found by bisection over the file's bytes."""

import pytest

from therafaq.entry_model import COUNTS_FILE
from therafaq.sorted_lines import SortedLines
from therafaq.word_model import WEIGHTS_FILE

LINES = ["feature\tcounts", "a\t1", "a b\t2", "ab\t3", "b\t4", "caf\u00e9\t5", "~a\t6", "\u00fcber\t7"]


@pytest.mark.parametrize("ending", ["", "\n"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])  # CRLF: a checkout whose line ends git turned
@pytest.mark.parametrize(
    ("key", "found"),
    [
        ("a", "1"),  # the first line after the header
        ("a b", "2"),
        ("ab", "3"),  # shares its start with "a" and "a b"
        ("b", "4"),
        ("caf\u00e9", "5"),
        ("~a", "6"),
        ("\u00fcber", "7"),  # the last line
        ("", None),  # before every key
        ("aa", None),  # between two keys
        ("zzz", None),  # between the ASCII letters and "~"
        ("\U0001f600", None),  # after every key
        ("feature", None),  # the header is not a line of the table
        ("caf", None),  # a key's start is not the key
        ("\udcff", None),  # a lone surrogate, as undecodable input arrives
    ],
)
def test_a_key_finds_its_own_line_or_nothing(key, found, ending, newline):
    assert LINES[1:] == sorted(LINES[1:])
    table = SortedLines((newline.join(LINES) + ending.replace("\n", newline)).encode("utf-8"))
    assert table.header == "feature\tcounts"
    assert table.find(key) == found


@pytest.mark.parametrize("data", [b"", b"feature\tcounts", b"feature\tcounts\n"])
def test_a_table_of_no_lines_finds_nothing(data):
    assert SortedLines(data).find("a") is None


@pytest.mark.parametrize("path", [COUNTS_FILE, WEIGHTS_FILE])
def test_every_line_of_the_packaged_tables_is_found_by_its_key(path):
    lines = path.read_text("utf-8").splitlines()
    table = SortedLines.read(path)
    assert all(table.find(key) == rest for key, rest in (line.split("\t", 1) for line in lines[1:]))
