"""The entry model: its arithmetic, the corpus it applies to, its files, and what it does to a match."""

from __future__ import annotations

import dataclasses
import json
import math
import sys

import pytest

from tests.conftest import DATA, ROOT
from therafaq import matching
from therafaq.corpus_file import bundled_corpus_path, load_corpus
from therafaq.entry_model import (
    COUNTS_FILE,
    COUNTS_HEADER,
    MODEL_FILE,
    NO_SUBJECT,
    EntryModel,
    count_lines,
    features,
    fingerprint,
    model_for,
)
from therafaq.json_render import explain_dict
from therafaq.matching import DEFAULT_MIN_SCORE, Matcher
from therafaq.render import plain_explain
from therafaq.sorted_lines import SortedLines

BUNDLED = load_corpus(bundled_corpus_path())
# What every class of the fixture corpus has seen, besides what a test adds: dog-walks, cat-scratching,
# fern-light, fern-water and (place 4) questions not covered.
SEEN = {"leash": {0: 20}, "cat": {1: 20}, "fern": {2: 20, 3: 20}, "cost": {4: 20}}


def _model(corpus, counts: dict[str, dict[int, int]], **chosen: float) -> EntryModel:
    """A model over `corpus`'s entries (and "not covered", the last class) with these counts."""
    classes = len(corpus.entries) + 1
    totals = [sum(by.get(n, 0) for by in counts.values()) for n in range(classes)]
    settings = {
        "entries": list(corpus.ids),
        "fingerprint": fingerprint(corpus),
        "alpha": 0.5,
        "vocabulary": len(counts),
        "totals": totals,
        **{"temper": 1.0, "weight": 0.3, "null_weight": 1.0, "shift": 0.0, **chosen},
    }
    return EntryModel(settings, SortedLines.of(count_lines(counts)))


@pytest.mark.parametrize(
    ("terms", "subject", "expected"),
    [
        (["hug", "therapist", "ok"], True, {"hug", "therapist", "ok", "hug therapist", "therapist ok"}),
        (["hug", "friend"], False, {"hug", "friend", "hug friend", NO_SUBJECT, "~hug", "~friend"}),
        ([], False, {NO_SUBJECT}),
        (["availabl"], True, {"availabl"}),  # "contact my therapist", filed under availability, names the subject
    ],
)
def test_features_are_the_terms_their_pairs_and_without_the_subject_each_term_as_said_without_it(
    terms, subject, expected
):
    assert features(terms, subject) == expected


def test_a_question_without_the_subject_reads_as_what_such_questions_were_in_fitting(mini):
    model = _model(mini, {"leash": {0: 5, 4: 5}, NO_SUBJECT: {4: 20}})
    _, naming = model.posterior(["leash"], True)
    _, without = model.posterior(["leash"], False)
    assert without > 2 * naming


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("can i contact my therapist on weekends", True),  # its phrase becomes another group's term
        ("can i text my therapist", True),
        ("my friend cried in front of me", False),
    ],
)
def test_the_matcher_reads_whether_the_subject_is_named_from_the_words_written(question, subject):
    assert Matcher(BUNDLED, entry_model=False).reading(question)[1] is subject


def test_the_posterior_is_naive_bayes_over_the_features_it_knows(mini):
    model = _model(mini, {"leash": {0: 3}, "sofa": {1: 2, 4: 1}}, temper=0.5)
    p_entry, p_null = model.posterior(["leash", "sofa", "zebra"], True)  # "zebra" was never seen: it says nothing
    totals, alpha, vocabulary = [3, 2, 0, 0, 1], 0.5, 2
    counts = [(3, 0), (0, 2), (0, 0), (0, 0), (0, 1)]
    logs = [
        0.5 * sum(math.log((n + alpha) / (total + alpha * vocabulary)) for n in pair)
        for pair, total in zip(counts, totals, strict=True)
    ]
    expected = [math.exp(x) / sum(math.exp(y) for y in logs) for x in logs]
    assert [*p_entry, p_null] == pytest.approx(expected)


def test_a_question_of_unseen_words_leaves_every_class_equally_likely(mini):
    p_entry, p_null = _model(mini, {"leash": {0: 1}, "cost": {4: 50}}).posterior(["zebra"], True)
    assert p_entry == [pytest.approx(0.2)] * 4 and p_null == pytest.approx(0.2)


@pytest.mark.parametrize(
    ("score", "shown"),
    [
        (-20.0, 0.0),
        (40.0, 40.0),
        (DEFAULT_MIN_SCORE, DEFAULT_MIN_SCORE),
        (125.0, 100.0),  # the most there is: 100 and 30 points, less the shift of 5
        (90.0, 55 + 35 * 45 / 70),
    ],
)
def test_a_shown_score_keeps_the_line_and_ends_at_100(mini, score, shown):
    model = _model(mini, {"leash": {0: 1}}, weight=0.3, shift=5.0)
    assert model.shown(score, DEFAULT_MIN_SCORE) == pytest.approx(shown, abs=0.05)


def test_the_packaged_model_applies_to_the_bundled_corpus_only(mini):
    assert model_for(BUNDLED) is not None
    assert model_for(mini) is None


@pytest.mark.parametrize(
    "edit",
    [
        lambda c: dataclasses.replace(c, entries=c.entries[::-1]),  # the same entries, in another order
        lambda c: dataclasses.replace(
            c, entries=(dataclasses.replace(c.entries[0], alternates=("a new wording",)), *c.entries[1:])
        ),
        lambda c: dataclasses.replace(c, vocabulary=c.vocabulary[1:]),
    ],
)
def test_an_edited_copy_of_the_bundled_corpus_is_matched_by_its_words_alone(edit):
    edited = edit(BUNDLED)
    assert model_for(edited) is None
    assert Matcher(edited).learned is None


def test_unreadable_packaged_files_leave_the_words_alone_to_answer(monkeypatch, tmp_path):
    import therafaq.entry_model as entry_model

    monkeypatch.setattr(entry_model, "MODEL_FILE", tmp_path / "missing.json")
    assert model_for(BUNDLED) is None
    assert Matcher(BUNDLED).match("can i hug my therapist").matches[0].entry.id == "hugs-and-touch"
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    monkeypatch.setattr(entry_model, "MODEL_FILE", tmp_path / "broken.json")
    assert model_for(BUNDLED) is None


def test_a_model_of_other_entries_is_refused(mini):
    with pytest.raises(ValueError, match="other entries"):
        Matcher(BUNDLED, entry_model=_model(mini, SEEN))


@pytest.mark.parametrize("name", ["style_train2", "style_train3"])
def test_the_best_match_does_not_depend_on_how_many_are_asked_for(name):
    """The model can lift an entry the words rank fifth: one match asked for is the first of three."""
    matcher = Matcher(BUNDLED)
    for line in (DATA / f"{name}.jsonl").read_text("utf-8").splitlines():
        question = json.loads(line)["q"]
        one, three = matcher.match(question, top=1), matcher.match(question, top=3)
        assert one.matches[:1] == three.matches[:1] and one.answered == three.answered, question


def test_the_model_lifts_the_entry_it_knows_over_the_line(mini):
    question = "my pup pulls on the lead on our walk"  # the words alone find dog-walks by "walk" only (25)
    assert not Matcher(mini, entry_model=False).match(question).answered
    model = _model(mini, {**SEEN, "lead": {0: 5}, "pull": {0: 5}, "pup": {0: 5}}, weight=0.5)
    found = Matcher(mini, entry_model=model).match(question, top=3)
    assert found.answered and found.matches[0].entry.id == "dog-walks"
    assert found.matches[0].explanation.learned is not None and found.matches[0].explanation.learned > 30


@pytest.mark.parametrize(("candidates", "best"), [(0, "fern-light"), (1, "fern-water")])
def test_the_models_likeliest_entry_is_scored_even_below_the_words_depth(monkeypatch, mini, candidates, best):
    """With a depth of one, the words alone would rerank only fern-light; the model reads the
    question as fern-water, so that entry is scored too and lifted past it."""
    monkeypatch.setattr(matching, "RERANK_DEPTH", 1)
    monkeypatch.setattr(matching, "MODEL_CANDIDATES", candidates)
    question = "how much light does my fern need when i forget to water it"
    assert Matcher(mini, entry_model=False).match(question, top=2).matches[0].entry.id == "fern-light"
    model = _model(mini, {**SEEN, "forget": {3: 20}, "water": {3: 20}, "forget water": {3: 20}}, weight=0.5)
    assert Matcher(mini, entry_model=model).match(question).matches[0].entry.id == best


def test_a_question_the_model_reads_as_not_covered_is_pulled_below_the_line(mini):
    question = "how often should I walk my dog"
    assert Matcher(mini, entry_model=False).match(question).answered
    model = _model(mini, {**SEEN, "walk": {4: 20}, "dog": {4: 20}, "walk dog": {4: 20}}, weight=0.5)
    assert not Matcher(mini, entry_model=model).match(question).answered


def test_explain_shows_the_models_points_and_none_without_a_model(mini):
    learned = Matcher(BUNDLED).match("can i hug my therapist").matches[0]
    assert f"the entry model: {learned.explanation.learned:+.1f} points" in plain_explain(learned)
    assert explain_dict(learned)["learned"] == learned.explanation.learned
    alone = Matcher(mini).match("how often should I walk my dog").matches[0]
    assert explain_dict(alone)["learned"] is None and "entry model" not in plain_explain(alone)


def test_counts_without_their_header_are_refused(mini):
    settings = json.loads(MODEL_FILE.read_text("utf-8"))
    with pytest.raises(ValueError, match="feature"):
        EntryModel(settings, SortedLines.of(["leash\t0:1"]))


def test_the_packaged_counts_are_one_sorted_line_per_feature_and_add_up_to_the_totals():
    lines = COUNTS_FILE.read_text("utf-8").splitlines()
    settings = json.loads(MODEL_FILE.read_text("utf-8"))
    assert lines[0] == COUNTS_HEADER and lines[1:] == sorted(lines[1:])
    totals = [0] * len(settings["totals"])
    names = [line.split("\t")[0] for line in lines[1:]]
    for line in lines[1:]:
        for pair in line.split("\t")[1].split(" "):
            place, count = map(int, pair.split(":"))
            totals[place] += count
    assert totals == settings["totals"] and len(set(names)) == len(names) == settings["vocabulary"]


def test_the_packaged_model_is_what_its_fitting_gives_today():
    """A change to the corpus's wordings or vocabulary, or to a tuning set, needs a refit:
    .venv/bin/python bench/entry_model.py --write"""
    sys.path.insert(0, str(ROOT / "bench"))
    import entry_model as bench

    shipped = json.loads(MODEL_FILE.read_text("utf-8"))
    chosen = {name: shipped[name] for name in ("temper", "weight", "null_weight", "shift")}
    fitter = bench.Fitter(BUNDLED)
    cases = [case for path in bench.TUNING_SETS for case in bench.lines(path, BUNDLED)]
    settings, counts = fitter.fit([*bench.wordings(BUNDLED), *cases], **chosen)
    assert settings == shipped, "stale entry model: run .venv/bin/python bench/entry_model.py --write"
    assert counts == COUNTS_FILE.read_text("utf-8").splitlines(), (
        "stale entry model: run .venv/bin/python bench/entry_model.py --write"
    )
