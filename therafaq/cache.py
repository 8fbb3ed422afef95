"""A validated corpus and its index, kept on disk between runs.

Validating a corpus and building its index takes far longer than answering
a question (about 45 ms for the bundled corpus, against 3 ms to load them
back), so both are pickled into the user's cache directory, one file per
corpus path. The file names the corpus bytes it was built from (their
length, CRC-32 and Adler-32, over this code and the Python version too) and
carries a checksum of its own bytes (CRC-32), so a changed corpus, a damaged
or truncated cache, one from another version, or anything else that is not
exactly what was written is never used: the corpus is built again in memory, answered from, and the
cache replaced if that can be done. A cache that cannot be read, written or
replaced is simply not used. Pipes and other files that are not regular
files (`--corpus <(...)`) are never cached.
"""

from __future__ import annotations

import gc
import os
import pickle
import stat
import sys
import zlib
from pathlib import Path

from therafaq import __version__
from therafaq.corpus import Corpus
from therafaq.corpus_file import decode_corpus, read_corpus_bytes
from therafaq.dirs import cache_dir
from therafaq.index import Index, build_index

FORMAT = 10
MAGIC = b"therafaq cache\n"
# What the cache was built from: its length, CRC-32 and Adler-32. An accidental
# change that keeps all three is vanishingly rare, and zlib is already loaded,
# where hashlib would load OpenSSL (2 ms of every run, a tenth of the budget).
_KEY = 16
_CHECK = 4  # a CRC-32 of the rest: it catches every burst of damage up to 32 bits, and is fast
# A cache is read only when it is no larger than this many times its corpus
# (plus a little): a file far larger is not one therafaq wrote.
MAX_GROWTH = 64


def load_indexed(path: str | os.PathLike[str]) -> tuple[Corpus, Index]:
    """A corpus file and its index, from the cache when it was built from these bytes.

    Raises CorpusError exactly as `corpus_file.load_corpus` does. What is
    loaded lives as long as the process, so it is moved out of the garbage
    collector's sight (`gc.freeze`) and the collector, which `__main__` kept
    off while importing, is turned back on.
    """
    try:
        return _load(path)
    finally:
        gc.freeze()
        gc.enable()


def _load(path: str | os.PathLike[str]) -> tuple[Corpus, Index]:
    raw = read_corpus_bytes(path)
    name = str(path)
    cache = _cache_file(path)
    if cache is None:
        return _build(raw, name)
    key = _key(raw)
    loaded = _read(cache, key, len(raw))
    if loaded is not None and loaded[0].path == name:
        return loaded
    built = _build(raw, name)
    _write(cache, key, built)
    return built


def _build(raw: bytes, name: str) -> tuple[Corpus, Index]:
    corpus = decode_corpus(raw, name)
    return corpus, build_index(corpus)


def _cache_file(path: str | os.PathLike[str]) -> Path | None:
    """The cache file of a regular corpus file; None for pipes, devices and the like."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
    except OSError:
        return None
    place = _digest(os.path.abspath(path).encode("utf-8", "surrogatepass"))[4:].hex()
    return cache_dir() / f"corpus-{place}.pickle"


def _key(raw: bytes) -> bytes:
    """What the cached data depends on: the corpus bytes, this code, the Python version."""
    here = Path(__file__).parent
    code = b"".join((here / name).read_bytes() for name in ("cache.py", "corpus.py", "index.py", "scope.py", "text.py"))
    version = f"{FORMAT} {__version__} {sys.version_info[0]}.{sys.version_info[1]}".encode()
    return _digest(version, code, raw)


def _digest(*parts: bytes) -> bytes:
    """Length, CRC-32 and Adler-32 of the parts as one string, without joining them (a copy of
    a large corpus would cost more than both checksums)."""
    crc, adler = 0, 1
    for part in parts:
        crc, adler = zlib.crc32(part, crc), zlib.adler32(part, adler)
    size = sum(map(len, parts))
    return b"".join(value.to_bytes(width, "big") for value, width in ((size, 8), (crc, 4), (adler, 4)))


def _read(cache: Path, key: bytes, corpus_size: int) -> tuple[Corpus, Index] | None:
    """The cached pair if the file is whole, ours and built from `key`; else None."""
    try:
        with cache.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_GROWTH * corpus_size + (1 << 20):
                return None
            data = handle.read()
    except (OSError, ValueError):  # missing, unreadable, a directory
        return None
    head = len(MAGIC) + _KEY + _CHECK
    if len(data) < head or not data.startswith(MAGIC) or data[len(MAGIC) : len(MAGIC) + _KEY] != key:
        return None
    payload = memoryview(data)[head:]  # a view: a copy of a large cache costs more than its checksum
    if zlib.crc32(payload).to_bytes(_CHECK, "big") != data[len(MAGIC) + _KEY : head]:
        return None
    try:
        loaded = pickle.loads(payload)
    except Exception:  # a checksum that matches damaged bytes is all but impossible; still never fatal
        return None
    if not (isinstance(loaded, tuple) and len(loaded) == 2 and isinstance(loaded[0], Corpus)):
        return None
    return loaded[0], loaded[1]


def _write(cache: Path, key: bytes, built: tuple[Corpus, Index]) -> None:
    """Replace the cache atomically; any failure leaves no file behind and is not an error."""
    import tempfile  # only a run that builds the index writes; importing it costs several milliseconds

    payload = pickle.dumps(built, protocol=pickle.HIGHEST_PROTOCOL)
    data = b"".join((MAGIC, key, zlib.crc32(payload).to_bytes(_CHECK, "big"), payload))
    temporary = None
    try:
        cache.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache.parent, prefix=".corpus-", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, cache)
        temporary = None
    except OSError:
        pass
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
