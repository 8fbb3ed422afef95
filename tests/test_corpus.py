import copy
import json

import pytest

from therafaq import corpus_file as corpus_module
from therafaq.corpus import CorpusError
from therafaq.corpus_file import bundled_corpus_path, load_corpus, parse_corpus, resolve_corpus_path

from .conftest import MINI_CORPUS


def test_loads_fixture_into_frozen_dataclasses(mini):
    assert [t.id for t in mini.topics] == ["pets", "plants"]
    entry = mini.entry("dog-walks")
    assert entry.wordings[0] == "How often should I walk my dog?"
    assert entry.sources[0].publisher == "Test Press"
    assert entry.related == ("cat-scratching", "fern-light")
    assert [e.id for e in mini.entries_in("plants")] == ["fern-light", "fern-water"]
    with pytest.raises(AttributeError):
        entry.answer = "changed"


def _mutate(document, path, value):
    target = document
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return document


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "where", "message"),
    [
        (("version",), 2, "version", "expected 1"),
        (("entries",), {}, "entries", "expected a list of entry objects"),
        (("entries", 0, "answer"), "  ", "entry 'dog-walks' (#0) field 'answer'", "expected non-empty text"),
        (("entries", 0, "alternates"), "one", "field 'alternates'", "expected a list of non-empty texts"),
        (("entries", 0, "alternates"), ["ok", 3], "field 'alternates'", "item 1 is a number"),
        (("entries", 0, "topic"), "cars", "entry 'dog-walks' field 'topic'", "unknown topic 'cars'"),
        (("entries", 0, "related"), ["nope"], "entry 'dog-walks' field 'related'", "unknown entry id 'nope'"),
        (("entries", 0, "related"), ["dog-walks"], "field 'related'", "related to itself"),
        (("entries", 1, "id"), "dog-walks", "entry 'dog-walks'", "duplicate entry id"),
        (("entries", 0, "id"), "Dog Walks", "field 'id'", "lower-case letters"),
        (("entries", 0, "sources"), [], "field 'sources'", "expected a non-empty list"),
        (("entries", 0, "sources", 0, "title"), None, "sources' item 0 field 'title'", "expected non-empty text"),
        (("entries", 0, "colour"), "red", "entry 'dog-walks' (#0)", "unknown field 'colour'"),
        (("entries", 2), "text", "entry 2", "expected an object"),
        (("topics", 0, "description"), _DELETE, "topic 'pets' (#0) field 'description'", "expected non-empty text"),
        (("vocabulary", 1, "variants"), ["Puppy"], "vocabulary phrase 'puppy'", "in the groups 'dog' and 'water'"),
    ],
)
def test_every_problem_names_where_and_what(mini_document, path, value, where, message):
    document = _mutate(copy.deepcopy(mini_document), path, value)
    with pytest.raises(CorpusError) as raised:
        parse_corpus(document, "test.json")
    problems = [str(p) for p in raised.value.problems]
    assert any(where in p and message in p for p in problems), problems


def test_all_problems_are_collected_not_just_the_first(mini_document):
    mini_document["entries"][0]["answer"] = ""
    mini_document["entries"][1]["topic"] = "nowhere"
    mini_document["version"] = 7
    with pytest.raises(CorpusError) as raised:
        parse_corpus(mini_document, "x.json")
    assert len(raised.value.problems) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"version": 1, "topics": [', "not valid JSON"),
        (b"[1, 2, 3]", "expected a JSON object"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b'{"version": 1, "topics": [], "entries": []}', "at least one entry"),
        (b"[" * 100000 + b"]" * 100000, "nested too deeply"),
    ],
)
def test_broken_files_give_corpus_error_naming_the_file(tmp_path, content, message):
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    with pytest.raises(CorpusError) as raised:
        load_corpus(path)
    assert raised.value.path == str(path)
    assert message in str(raised.value)


def test_missing_file_and_directory_are_corpus_errors(tmp_path):
    with pytest.raises(CorpusError, match="No such file"):
        load_corpus(tmp_path / "absent.json")
    with pytest.raises(CorpusError, match="directory"):
        load_corpus(tmp_path)


def test_huge_file_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus_module, "MAX_CORPUS_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_text(" " * 101)
    with pytest.raises(CorpusError, match="the limit is"):
        load_corpus(path)


def test_corpus_path_resolution_order(monkeypatch, tmp_path):
    assert resolve_corpus_path(None) == bundled_corpus_path()
    monkeypatch.setenv("THERAFAQ_CORPUS", str(MINI_CORPUS))
    assert resolve_corpus_path(None) == MINI_CORPUS
    assert resolve_corpus_path(tmp_path / "x.json") == tmp_path / "x.json"


def test_bundled_corpus_path_exists():
    assert json.loads(bundled_corpus_path().read_text(encoding="utf-8"))["version"] == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"version": 1, "version": 1, "topics": [], "entries": []}', "key 'version' is given twice"),
        (
            '{"version": 1, "topics": [{"id": "a", "id": "b", "title": "t", "description": "d"}], "entries": []}',
            "key 'id' is given twice",
        ),
        ('{"version": 1' + "0" * 5000 + ', "topics": [], "entries": []}', "digits long"),
        ('{"version": NaN, "topics": [], "entries": []}', "NaN is not valid JSON"),
        ('{"version": Infinity, "topics": [], "entries": []}', "Infinity is not valid JSON"),
    ],
    ids=["duplicate-top", "duplicate-nested", "huge-integer", "nan", "infinity"],
)
def test_json_a_corpus_must_not_hold_is_named(tmp_path, text, expected):
    path = tmp_path / "odd.json"
    path.write_text(text)
    with pytest.raises(CorpusError) as raised:
        load_corpus(path)
    assert expected in str(raised.value)


def test_validate_reports_a_duplicate_key_instead_of_passing(runner, tmp_path, mini_document):
    from therafaq.cli import app

    text = json.dumps(mini_document).replace('"answer":', '"answer": "first", "answer":', 1)
    path = tmp_path / "dup.json"
    path.write_text(text)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and "is given twice" in result.stdout
