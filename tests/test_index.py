"""The cached index answers exactly as a freshly built one, and follows the corpus."""

import json

from therafaq.corpus import load_corpus
from therafaq.index import Index, build_index, cache_dir, cached_index
from therafaq.matching import Matcher

from .conftest import MINI_CORPUS

QUESTIONS = ["how often should I walk my doggo", "fern watering", "wlak the dgo", "cat scratches sofa", "pizza"]


def _answers(matcher):
    return [matcher.match(q, top=3) for q in QUESTIONS]


def test_index_survives_a_json_round_trip(mini):
    built = build_index(mini)
    restored = Index.from_data(json.loads(json.dumps(built.to_data())))
    assert _answers(Matcher(mini, restored)) == _answers(Matcher(mini, built))


def test_cached_index_is_written_once_and_reused(mini):
    first = cached_index(mini)
    files = list(cache_dir().glob("index-*.json"))
    assert len(files) == 1
    files[0].write_text(json.dumps({**first.to_data(), "idf": {**first.idf, "dog": 99.0}}))
    assert cached_index(mini).idf["dog"] == 99.0, "the stored index is read, not rebuilt"


def test_a_changed_corpus_gets_its_own_index(tmp_path, mini_document):
    cached_index(load_corpus(MINI_CORPUS))
    mini_document["entries"][0]["alternates"].append("doggy exercise routine")
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(mini_document))
    index = cached_index(load_corpus(changed))
    assert "routin" in index.idf, "the new alternate is indexed (stemmed)"
    assert len(list(cache_dir().glob("index-*.json"))) == 2


def test_a_broken_or_unwritable_cache_is_rebuilt_not_fatal(mini, monkeypatch, tmp_path):
    cached_index(mini)
    [path] = cache_dir().glob("index-*.json")
    path.write_text("{not json")
    assert _answers(Matcher(mini, cached_index(mini))) == _answers(Matcher(mini))
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert _answers(Matcher(mini, cached_index(mini))) == _answers(Matcher(mini))
