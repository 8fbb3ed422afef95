"""The cached corpus and index answer exactly as freshly built ones, follow the file, and never hurt."""

import json
import os
import pickle
import random
import subprocess
import sys

import pytest

from therafaq import cache
from therafaq.cache import load_indexed
from therafaq.corpus import CorpusError
from therafaq.dirs import cache_dir
from therafaq.matching import Matcher

from .conftest import MINI_CORPUS

QUESTIONS = ["how often should I walk my doggo", "fern watering", "wlak the dgo", "cat scratches sofa", "pizza"]


def _answers(corpus, index=None):
    matcher = Matcher(corpus, index)
    return [matcher.match(q, top=3) for q in QUESTIONS]


def _cache_files():
    return sorted(cache_dir().glob("corpus-*.pickle"))


def _refuse(*args):
    raise AssertionError("the cache should have been used")


def test_cached_corpus_and_index_equal_fresh_ones(mini):
    first = load_indexed(MINI_CORPUS)
    assert len(_cache_files()) == 1
    second = load_indexed(MINI_CORPUS)
    assert second[0] == mini == first[0]
    assert _answers(*second) == _answers(mini)


def test_the_cache_is_read_not_rebuilt(mini, monkeypatch):
    load_indexed(MINI_CORPUS)
    monkeypatch.setattr(cache, "build_index", _refuse)
    assert load_indexed(MINI_CORPUS)[0] == mini


def test_an_edit_of_the_same_size_and_time_is_noticed(tmp_path, mini_document):
    path = tmp_path / "faq.json"
    path.write_text(json.dumps(mini_document))
    before = path.stat()
    load_indexed(path)
    answer = mini_document["entries"][0]["answer"]
    mini_document["entries"][0]["answer"] = answer.replace("a", "o", 1)
    path.write_text(json.dumps(mini_document))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size and mtime: only the bytes tell
    assert load_indexed(path)[0].entry("dog-walks").answer == answer.replace("a", "o", 1)


def test_each_corpus_file_has_one_cache_file_that_follows_its_edits(tmp_path, mini_document):
    path = tmp_path / "faq.json"
    path.write_text(json.dumps(mini_document))
    load_indexed(path)
    mini_document["entries"][0]["answer"] = "Walk your dog twice a day, rain or shine, for its health."
    path.write_text(json.dumps(mini_document))
    assert load_indexed(path)[0].entry("dog-walks").answer.startswith("Walk your dog twice")
    load_indexed(MINI_CORPUS)
    assert len(_cache_files()) == 2


def test_a_copy_at_another_path_reports_its_own_path(tmp_path):
    copy = tmp_path / "copy.json"
    copy.write_bytes(MINI_CORPUS.read_bytes())
    load_indexed(MINI_CORPUS)
    assert load_indexed(copy)[0].path == str(copy)


def test_a_broken_corpus_is_never_served_from_cache(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    for _ in range(2):
        with pytest.raises(CorpusError):
            load_indexed(broken)
    assert not _cache_files()


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: b"\x00garbage",
        lambda data: b"",
        lambda data: data[:-40] + b"\xff" * 40,  # the payload, same length
        lambda data: data.replace(b"therafaq cache", b"therafaq cachE", 1),  # another format
    ],
    ids=["truncated", "garbage", "empty", "payload", "magic"],
)
def test_a_damaged_cache_is_rebuilt_and_replaced(mini, damage):
    load_indexed(MINI_CORPUS)
    [path] = _cache_files()
    good = path.read_bytes()
    path.write_bytes(damage(good))
    assert _answers(*load_indexed(MINI_CORPUS)) == _answers(mini)
    assert path.read_bytes()[:100] == good[:100]


def test_no_random_damage_ever_changes_an_answer(mini):
    """The review's fault: random byte writes into the old cache changed answers silently."""
    load_indexed(MINI_CORPUS)
    [path] = _cache_files()
    good = path.read_bytes()
    expected = [m.entry.answer for r in _answers(mini) for m in r.matches]
    chance = random.Random(7)
    for _ in range(200):
        data = bytearray(good)
        data[chance.randrange(len(data))] = chance.randrange(256)
        path.write_bytes(bytes(data))
        corpus, index = load_indexed(MINI_CORPUS)
        assert [m.entry.answer for r in _answers(corpus, index) for m in r.matches] == expected


def test_an_unwritable_or_undeletable_cache_is_skipped(mini, monkeypatch, tmp_path):
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert _answers(*load_indexed(MINI_CORPUS)) == _answers(mini)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    load_indexed(MINI_CORPUS)
    [path] = _cache_files()
    path.unlink()
    path.mkdir()  # a directory where the cache file goes
    assert _answers(*load_indexed(MINI_CORPUS)) == _answers(mini)
    monkeypatch.setattr(cache.os, "replace", _no_permission)
    path.rmdir()
    assert _answers(*load_indexed(MINI_CORPUS)) == _answers(mini)
    assert not list(cache_dir().iterdir()), "no temporary file left behind"


def _no_permission(*args):
    raise PermissionError(13, "Permission denied")


def test_a_huge_cache_file_is_not_read(mini, monkeypatch):
    load_indexed(MINI_CORPUS)
    [path] = _cache_files()
    monkeypatch.setattr(cache, "MAX_GROWTH", 0)
    with path.open("ab") as grown:
        grown.write(b"\0" * (2 << 20))
    assert load_indexed(MINI_CORPUS)[0] == mini


def test_a_pipe_is_never_cached(tmp_path):
    result = subprocess.run(
        ["bash", "-c", f'{sys.executable} -m therafaq list --plain --corpus <(cat "{MINI_CORPUS}")'],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert result.returncode == 0, result.stderr
    assert "dog-walks" in result.stdout
    assert not (tmp_path / "cache").exists()


def test_an_interrupted_write_leaves_no_temporary_file(mini, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cache.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load_indexed(MINI_CORPUS)
    assert not list(cache_dir().iterdir())


def test_the_cache_holds_exactly_the_validated_pair(mini):
    load_indexed(MINI_CORPUS)
    [path] = _cache_files()
    data = path.read_bytes()
    corpus, index = pickle.loads(data[len(cache.MAGIC) + cache._KEY + cache._CHECK :])
    assert corpus == mini and index.idf == Matcher(mini)._idf


def test_a_damaged_cache_is_never_a_traceback_in_a_real_run(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "therafaq", "list", "--plain", "--corpus", str(MINI_CORPUS)]
    subprocess.run(command, capture_output=True, timeout=60, env=env, check=True)
    [path] = (tmp_path / "cache" / "therafaq").glob("corpus-*.pickle")
    path.write_bytes(path.read_bytes()[:-40] + b"\xff" * 40)
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0 and "Traceback" not in result.stderr and result.stderr == ""
