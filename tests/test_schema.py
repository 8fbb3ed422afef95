"""The shipped JSON Schema and the loader agree on what a valid corpus is.

Every document below is the fixture corpus with one change. The schema
cannot see across the document (that a `related` id exists, that an alias
is not another entry's id), so those changes are checked by the loader
alone, in tests/test_corpus.py; everything here is structure, where the two
must give the same verdict.
"""

import copy
import json

import jsonschema
import pytest

from therafaq.corpus import CorpusError
from therafaq.corpus_file import PACKAGE_DIR, parse_corpus

from .conftest import MINI_CORPUS

SCHEMA = json.loads((PACKAGE_DIR / "corpus.schema.json").read_text(encoding="utf-8"))
BASE = json.loads(MINI_CORPUS.read_text(encoding="utf-8"))


def _entry(d):
    return d["entries"][0]


def _set(getter, key, value):
    def change(document):
        getter(document)[key] = value

    return change


def _drop(getter, key):
    def change(document):
        getter(document).pop(key)

    return change


def _topic(d):
    return d["topics"][0]


def _source(d):
    return _entry(d)["sources"][0]


def _signpost(d):
    return d["signposts"][0]


MUTATIONS = {
    "unchanged": lambda d: None,
    "no version": _drop(lambda d: d, "version"),
    "version 2": _set(lambda d: d, "version", 2),
    "version true": _set(lambda d: d, "version", True),
    "unknown top-level key": _set(lambda d: d, "extra", 1),
    "entries not a list": _set(lambda d: d, "entries", {}),
    "no entries": _set(lambda d: d, "entries", []),
    "no vocabulary": _drop(lambda d: d, "vocabulary"),
    "no signposts": lambda d: [d.pop("signposts"), *(e.pop("signposts", None) for e in d["entries"])],
    "id with leading hyphen": _set(_entry, "id", "-dog-walks"),
    "id with double hyphen": _set(_entry, "id", "dog--walks"),
    "id with capitals": _set(_entry, "id", "Dog-walks"),
    "id with a space": _set(_entry, "id", "dog walks"),
    "empty question": _set(_entry, "question", ""),
    "blank question": _set(_entry, "question", "   "),
    "question a number": _set(_entry, "question", 7),
    "no question": _drop(_entry, "question"),
    "no answer": _drop(_entry, "answer"),
    "no alternates": _drop(_entry, "alternates"),
    "alternates null": _set(_entry, "alternates", None),
    "alternate empty": _set(_entry, "alternates", [""]),
    "keywords null": _set(_entry, "keywords", None),
    "related null": _set(_entry, "related", None),
    "related not ids": _set(_entry, "related", ["Not An Id"]),
    "aliases not ids": _set(_entry, "aliases", ["Not An Id"]),
    "no sources": _set(_entry, "sources", []),
    "source without publisher": _drop(_source, "publisher"),
    "source file empty": _set(_source, "file", ""),
    "source file null": _set(_source, "file", None),
    "source without file": _drop(_source, "file"),
    "source unknown key": _set(_source, "url", "https://example.org"),
    "unknown entry key": _set(_entry, "notes", "x"),
    "topic id bad": _set(_topic, "id", "Bad Topic"),
    "topic without title": _drop(_topic, "title"),
    "topic unknown key": _set(_topic, "icon", "x"),
    "signpost without text": _drop(_signpost, "text"),
    "signpost text empty": _set(_signpost, "text", []),
    "signpost region lower case": lambda d: _signpost(d)["lines"][0].update(regions=["us"]),
    "signpost line without text": lambda d: _signpost(d)["lines"][0].pop("text"),
    "signpost crisis_lines text": _set(_signpost, "crisis_lines", "yes"),
    "vocabulary variants not a list": lambda d: d["vocabulary"][0].update(variants="counsellor"),
    "vocabulary term of 13 words": lambda d: d["vocabulary"][0].update(term=" ".join(["word"] * 13)),
    "vocabulary term of 12 words": lambda d: d["vocabulary"][0].update(term=" ".join(["word"] * 12)),
    "vocabulary variant of 20,000 words": lambda d: d["vocabulary"][0]["variants"].append(" ".join(["w"] * 20000)),
    "vocabulary variant of 121 characters": lambda d: d["vocabulary"][0]["variants"].append("x" * 121),
    "vocabulary scope subject": lambda d: d["vocabulary"][0].update(scope="subject"),
    "vocabulary scope outside": lambda d: d["vocabulary"][0].update(scope="outside"),
    "vocabulary scope unknown": lambda d: d["vocabulary"][0].update(scope="elsewhere"),
    "vocabulary scope null": lambda d: d["vocabulary"][0].update(scope=None),
    "vocabulary scope a list": lambda d: d["vocabulary"][0].update(scope=["subject"]),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_schema_and_loader_agree(name):
    document = copy.deepcopy(BASE)
    MUTATIONS[name](document)
    schema_valid = jsonschema.Draft202012Validator(SCHEMA).is_valid(document)
    try:
        parse_corpus(document)
        loader_valid = True
    except CorpusError:
        loader_valid = False
    assert schema_valid == loader_valid, f"schema says {schema_valid}, loader says {loader_valid}"


def test_the_schema_itself_is_valid_and_describes_the_bundled_corpus():
    from therafaq.corpus_file import bundled_corpus_path

    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(json.loads(bundled_corpus_path().read_text(encoding="utf-8")), SCHEMA)
