"""Tables of one sorted line per key, searched where they lie instead of parsed.

The word model's weights and the entry model's counts are thousands of lines, of which one
question needs a few dozen. A run reads the file's bytes and finds each key by bisection over
them: splitting the file into lines first cost each run 1 to 3 ms, building a dict of every
line several more. A line is `key<TAB>rest`; keys hold no tab; the first line is a header; the
lines after it are sorted as strings, which is the order of their UTF-8 bytes. A checkout that
turned the line ends into CRLF (git on Windows) is read as if it had not.
"""

from __future__ import annotations

from pathlib import Path


class SortedLines:
    """One table's bytes: its header and what follows each key."""

    __slots__ = ("_data", "_first", "header")

    def __init__(self, data: bytes) -> None:
        if b"\r" in data:
            data = data.replace(b"\r\n", b"\n")
        end = data.find(b"\n")
        self._data = data
        self._first = len(data) if end < 0 else end + 1  # where the first line after the header starts
        self.header = data[: len(data) if end < 0 else end].decode("utf-8")

    @classmethod
    def read(cls, path: Path) -> SortedLines:
        return cls(path.read_bytes())

    @classmethod
    def of(cls, lines: list[str]) -> SortedLines:
        """A table held in memory (a model being fitted, a test's)."""
        return cls("\n".join(lines).encode("utf-8"))

    def find(self, key: str) -> str | None:
        """What follows `key` and its tab on its line, or None."""
        prefix = key.encode("utf-8", "surrogatepass") + b"\t"  # a key from a user's text may hold anything
        data = self._data
        low, high = self._first, len(data)
        while low < high:  # `low` is always the start of a line; the first line not below `prefix` is in [low, high]
            start = data.rfind(b"\n", low, (low + high) // 2) + 1 or low
            end = data.find(b"\n", start)
            end = len(data) if end < 0 else end
            if data[start:end] < prefix:
                low = end + 1
            else:
                high = start
        if not data.startswith(prefix, low):
            return None
        end = data.find(b"\n", low)
        return data[low + len(prefix) : len(data) if end < 0 else end].decode("utf-8")
