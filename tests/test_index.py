"""The cached corpus and index answer exactly as freshly built ones, and follow the file."""

import json
import marshal

import pytest

from therafaq.corpus import CorpusError, load_corpus
from therafaq.index import build_index, cache_dir, from_data, load_indexed, to_data
from therafaq.matching import Matcher

from .conftest import MINI_CORPUS

QUESTIONS = ["how often should I walk my doggo", "fern watering", "wlak the dgo", "cat scratches sofa", "pizza"]


def _answers(corpus, index=None):
    matcher = Matcher(corpus, index)
    return [matcher.match(q, top=3) for q in QUESTIONS]


def test_corpus_and_index_survive_a_marshal_round_trip(mini):
    built = build_index(mini)
    corpus, restored = from_data(marshal.loads(marshal.dumps(to_data(mini, built))), mini.path)
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


def test_the_cache_is_read_not_rebuilt(mini):
    load_indexed(MINI_CORPUS)
    [path] = cache_dir().glob("corpus-*.marshal")
    head, shared, records = marshal.loads(path.read_bytes())
    shared["idf"]["dog"] = 99.0
    path.write_bytes(marshal.dumps((head, shared, records)))
    assert load_indexed(MINI_CORPUS)[1].idf["dog"] == 99.0


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
