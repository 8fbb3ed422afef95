"""The cached corpus and index answer exactly as freshly built ones, and follow the file."""

import json
import marshal
import os
import struct
import subprocess
import sys

import pytest

from therafaq import cache
from therafaq.cache import cache_dir, from_data, load_indexed, to_data
from therafaq.corpus import CorpusError
from therafaq.corpus_file import load_corpus
from therafaq.index import build_index
from therafaq.matching import Matcher

from .conftest import MINI_CORPUS

QUESTIONS = ["how often should I walk my doggo", "fern watering", "wlak the dgo", "cat scratches sofa", "pizza"]


def _answers(corpus, index=None):
    matcher = Matcher(corpus, index)
    return [matcher.match(q, top=3) for q in QUESTIONS]


def test_corpus_and_index_survive_a_marshal_round_trip(mini):
    built = build_index(mini)
    corpus, restored = from_data(*marshal.loads(marshal.dumps(to_data(mini, built))), mini.path)
    assert corpus == mini
    assert [corpus.entry(e.id) for e in mini.entries] == list(mini.entries)
    assert corpus.entries_in("pets") == mini.entries_in("pets")
    assert _answers(corpus, restored) == _answers(mini, built)


def test_cached_corpus_and_index_equal_fresh_ones(mini):
    first = load_indexed(MINI_CORPUS)
    assert len(list(cache_dir().glob("corpus-*.marshal"))) == 1
    second = load_indexed(MINI_CORPUS)
    assert second[0] == mini == first[0]
    assert _answers(*second) == _answers(mini)


def _edit_cached_index(path, edit):
    """Rewrite the cache file's head (length, then marshal) with `edit` applied to its shared index part."""
    data = path.read_bytes()
    (length,) = struct.unpack_from("<Q", data)
    stamp, head, shared, offsets = marshal.loads(data[8 : 8 + length])
    edit(shared)
    top = marshal.dumps((stamp, head, shared, offsets))
    path.write_bytes(struct.pack("<Q", len(top)) + top + data[8 + length :])


def test_the_cache_is_read_not_rebuilt(mini):
    load_indexed(MINI_CORPUS)
    [path] = cache_dir().glob("corpus-*.marshal")
    _edit_cached_index(path, lambda shared: shared["idf"].__setitem__("dog", 99.0))
    corpus, index = load_indexed(MINI_CORPUS)
    assert index.idf["dog"] == 99.0
    assert corpus == mini


def test_an_old_enough_stamp_is_trusted_without_reading_the_corpus(tmp_path, mini_document, monkeypatch):
    path = tmp_path / "faq.json"
    path.write_text(json.dumps(mini_document))
    monkeypatch.setattr(cache, "RACY_NS", 0)
    load_indexed(path)
    monkeypatch.setattr(cache, "read_corpus_bytes", _refuse)
    assert load_indexed(path)[0].entry("dog-walks") is not None


def test_a_stamp_too_close_to_the_caching_is_checked_by_content(tmp_path, mini_document, monkeypatch):
    path = tmp_path / "faq.json"
    path.write_text(json.dumps(mini_document))
    monkeypatch.setattr(cache, "RACY_NS", 10**18)
    load_indexed(path)
    reads = []
    monkeypatch.setattr(cache, "read_corpus_bytes", lambda p: reads.append(p) or path.read_bytes())
    assert load_indexed(path)[0].entry("dog-walks") is not None
    assert reads == [path]


def test_a_same_size_edit_right_after_caching_is_noticed(tmp_path, mini_document):
    path = tmp_path / "faq.json"
    path.write_text(json.dumps(mini_document))
    before = path.stat()
    load_indexed(path)
    answer = mini_document["entries"][0]["answer"]
    mini_document["entries"][0]["answer"] = answer.replace("a", "o", 1)
    path.write_text(json.dumps(mini_document))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size and mtime: only content tells
    assert load_indexed(path)[0].entry("dog-walks").answer == answer.replace("a", "o", 1)


def test_a_touched_but_unchanged_corpus_keeps_its_cache(tmp_path, mini_document, monkeypatch):
    path = tmp_path / "faq.json"
    path.write_text(json.dumps(mini_document))
    load_indexed(path)
    os.utime(path, ns=(1, 1))
    monkeypatch.setattr(cache, "build_index", _refuse)
    assert load_indexed(path)[0].entry("dog-walks") is not None


def _refuse(*args):
    raise AssertionError("the cache should have been used")


def test_a_changed_corpus_gets_its_own_entry(tmp_path, mini_document):
    load_indexed(MINI_CORPUS)
    mini_document["entries"][0]["alternates"].append("doggy exercise routine")
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(mini_document))
    corpus, index = load_indexed(changed)
    assert "doggy exercise routine" in corpus.entry("dog-walks").alternates
    assert "routin" in index.idf
    assert len(list(cache_dir().glob("corpus-*.marshal"))) == 2


def test_a_broken_or_unwritable_cache_is_rebuilt_not_fatal(mini, monkeypatch, tmp_path):
    load_indexed(MINI_CORPUS)
    [path] = cache_dir().glob("corpus-*.marshal")
    path.write_bytes(b"\x00garbage")
    assert _answers(*load_indexed(MINI_CORPUS)) == _answers(mini)
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert _answers(*load_indexed(MINI_CORPUS)) == _answers(mini)


def test_a_broken_corpus_is_never_served_from_cache(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    for _ in range(2):
        with pytest.raises(CorpusError):
            load_indexed(broken)
    assert load_corpus(MINI_CORPUS) == load_indexed(MINI_CORPUS)[0]


def test_an_edited_corpus_replaces_its_old_index(tmp_path, mini_document):
    path = tmp_path / "faq.json"
    path.write_text(json.dumps(mini_document))
    load_indexed(path)
    mini_document["entries"][0]["answer"] = "Walk your dog twice a day, rain or shine, for its health."
    path.write_text(json.dumps(mini_document))
    corpus, _ = load_indexed(path)
    assert corpus.entry("dog-walks").answer.startswith("Walk your dog twice")
    load_indexed(MINI_CORPUS)
    assert len(list(cache_dir().glob("corpus-*.marshal"))) == 2, "one file per corpus file"


def test_a_cache_cut_short_is_rebuilt(mini):
    load_indexed(MINI_CORPUS)
    [path] = cache_dir().glob("corpus-*.marshal")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert _answers(*load_indexed(MINI_CORPUS)) == _answers(mini)


def test_a_damaged_entry_record_is_reported_and_the_cache_removed(mini):
    load_indexed(MINI_CORPUS)
    [path] = cache_dir().glob("corpus-*.marshal")
    data = bytearray(path.read_bytes())
    data[-40:] = b"\xff" * 40  # inside the last entry's record; the length is unchanged
    path.write_bytes(bytes(data))
    corpus, _ = load_indexed(MINI_CORPUS)
    with pytest.raises(CorpusError) as raised:
        list(corpus.entries)
    assert "index cache" in str(raised.value) and not path.exists()
    assert load_indexed(MINI_CORPUS)[0] == mini


def test_a_damaged_cache_is_a_message_not_a_traceback(mini):
    load_indexed(MINI_CORPUS)
    [path] = cache_dir().glob("corpus-*.marshal")
    data = bytearray(path.read_bytes())
    data[-40:] = b"\xff" * 40
    path.write_bytes(bytes(data))
    result = subprocess.run(
        [sys.executable, "-m", "therafaq", "list", "--corpus", str(MINI_CORPUS)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "index cache: is damaged" in result.stderr and "Traceback" not in result.stderr


def test_a_checksum_confirmed_cache_is_restamped_once_the_times_can_be_trusted(tmp_path, mini_document, monkeypatch):
    path = tmp_path / "faq.json"
    path.write_text(json.dumps(mini_document))
    changed = path.stat().st_ctime_ns
    monkeypatch.setattr(cache.time, "time_ns", lambda: changed + 1_000_000)  # built right after the edit
    load_indexed(path)
    reads = []
    monkeypatch.setattr(cache.time, "time_ns", lambda: changed + 10 * cache.RACY_NS)
    monkeypatch.setattr(cache, "read_corpus_bytes", lambda p: reads.append(p) or path.read_bytes())
    load_indexed(path)  # checked by content, then restamped
    load_indexed(path)  # trusted by its stamp
    assert reads == [path]
