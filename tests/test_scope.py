"""A question about someone the corpus is not about (a vocabulary group's `scope`)."""

import json

import pytest

from tests.conftest import MINI_CORPUS, json_lines, run
from therafaq.corpus import VocabularyGroup
from therafaq.corpus_file import CorpusError, bundled_corpus_path, load_corpus
from therafaq.matching import Matcher
from therafaq.scope import Scope
from therafaq.text import words

GROUPS = (
    VocabularyGroup("therapist", ("counsellor", "shrink"), "subject"),
    VocabularyGroup("session", ("appointment",), "setting"),
    VocabularyGroup("layperson", ("hairdresser", "landlord", "physical therapist"), "outside"),
    VocabularyGroup("available", ("contact my therapist",)),  # unscoped: its subject word still counts
)


@pytest.mark.parametrize(
    ("question", "outside"),
    [
        ("can i hug my hairdresser", ("hairdresser",)),
        ("my landlord and my hairdresser both ignore me", ("landlord", "hairdresser")),
        ("can i hug my physical therapist", ("physical therapist",)),  # the phrase, not its "therapist"
        ("can i hug my therapist", ()),
        ("my counsellor reminds me of my landlord", ()),  # the subject is named too
        ("can i contact my therapist about my landlord", ()),
        ("can i hug my dog", ()),  # no one outside is named: the words decide, as ever
        ("my hairdresser talks about herself the whole appointment", ("hairdresser",)),  # the setting is hers
        ("my counsellor talks about my landlord the whole session", ()),
    ],
)
def test_a_question_is_outside_only_when_it_names_someone_outside_and_nothing_of_the_subject(question, outside):
    assert Scope(GROUPS).about(list(words(question)))[1] == outside


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("can i hug my therapist", True),
        ("can i contact my therapist", True),  # a phrase another group files elsewhere still names the therapist
        ("my counsellor reminds me of my landlord", True),
        ("can i hug my dog", False),
        ("can i hug my physical therapist", False),  # someone else's title, not the subject
        ("can i hug at the end of a session", True),  # a session is the subject's, unless someone outside is named
        ("my hairdresser talks about herself the whole appointment", True),  # named, but outside decides
    ],
)
def test_whether_a_question_names_the_subject(question, named):
    assert Scope(GROUPS).about(list(words(question)))[0] is named


def test_a_corpus_without_scoped_groups_names_its_subject_in_every_question_and_no_one_outside():
    unscoped = [VocabularyGroup(g.term, g.variants) for g in GROUPS]
    assert Scope(unscoped).about(list(words("can i hug my hairdresser"))) == (True, ())


@pytest.fixture(scope="module")
def bundled() -> Matcher:
    return Matcher(load_corpus(bundled_corpus_path()))


@pytest.mark.parametrize(
    ("question", "outside"),
    [
        ("Is it weird to show my hairdresser photos of my kids?", ("hairdresser",)),
        ("is it ok to add my professor on instagram", ("professor",)),
        ("My personal trainer flirts with everyone, is it just his job?", ("personal trainer",)),
        ("can I hug my physio", ("physio",)),
        # Clients and patients are the other side of the room, not whom a question is about:
        # someone else's are theirs.
        ("How many clients does a typical hairdresser see in a day?", ("hairdresser",)),
        ("do dentists gossip about their patients", ("dentists",)),
        ("can i ask my doctor where she grew up", ("doctor",)),
    ],
)
def test_the_bundled_corpus_does_not_answer_for_someone_else(bundled, question, outside):
    result = bundled.match(question)
    assert result.outside == outside
    assert not result.answered
    assert not bundled.match(question, min_score=0).answered  # --min-score does not make it about a therapist


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Is it weird to show my therapist photos of my kids?", "showing-pictures"),
        ("my therapist keeps asking about my landlord, why does she care", None),
        ("my counsellor reminds me of my old teacher, is that transference", None),
    ],
)
def test_naming_the_therapist_too_keeps_a_question_in(bundled, question, expected):
    result = bundled.match(question)
    assert result.outside == ()
    if expected is not None:
        assert result.answered and result.matches[0].entry.id == expected


def test_ask_says_whom_the_articles_do_not_cover(runner):
    question = "can I hug my hairdresser"
    result = run(runner, "ask", "--plain", question)
    assert result.exit_code == 1
    assert "therafaq's articles don't cover \"hairdresser\"." in result.stdout
    assert "findahelpline.com" in result.stdout
    record = json_lines(run(runner, "ask", "--json", question).stdout)[0]
    assert record["answered"] is False and record["unknown_words"] == ["hairdresser"]
    explained = run(runner, "ask", "--plain", "--explain", question).stdout
    assert 'Why no answer:\n  it is about someone the corpus is not about ("hairdresser")' in explained


@pytest.mark.parametrize("scope", ["elsewhere", None, ["subject"]])
def test_a_scope_other_than_subject_outside_or_setting_is_a_corpus_error(tmp_path, scope):
    document = json.loads(MINI_CORPUS.read_text(encoding="utf-8"))
    document["vocabulary"][0]["scope"] = scope
    path = tmp_path / "corpus.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        load_corpus(path)
    assert "field 'scope'" in str(caught.value) and "'outside' or 'setting'" in str(caught.value)
