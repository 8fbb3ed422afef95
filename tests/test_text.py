import pytest

from therafaq.text import Canonicaliser, content_terms, fold, stem, stem_all, words
from therafaq.typos import _misspelt_stopword


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Can\u2019t", ["can", "not"]),
        ("I'm", ["i", "am"]),
        ("im", ["i", "am"]),
        ("dont", ["do", "not"]),
        ("won't", ["will", "not"]),
        ("My therapist's FAVOURITE", ["my", "therapist", "favorite"]),
        ("counsellor?!", ["counselor"]),
        ("u wanna", ["you", "want", "to"]),
        ("Caf\u00e9 na\u00efve", ["cafe", "naive"]),
        ("do they go them selves", ["do", "they", "go", "themselves"]),
        ("hiding my self harm", ["hiding", "my", "self", "harm"]),
        ("til next week", ["until", "next", "week"]),
    ],
)
def test_words_normalise_case_quotes_contractions_and_spelling(text, expected):
    assert words(text) == tuple(expected)


@pytest.mark.parametrize(
    ("forms", "stemmed"),
    [
        ("cry cries cried crying", "cry"),
        ("hug hugs hugged hugging", "hug"),
        ("care cares cared caring", "care"),
        ("judge judges judged judging", "judg"),
        ("flirt flirts flirted flirting", "flirt"),
        ("watch watches", "watch"),
        ("worry worries worried", "worry"),
        ("feel feels feeling feelings", "feel"),  # a plural of -ing meets its singular
        ("meet meets meeting meetings", "meet"),
        ("see sees seeing", "see"),
    ],
)
def test_stem_brings_word_forms_together(forms, stemmed):
    assert {stem(form) for form in forms.split()} == {stemmed}


@pytest.mark.parametrize("word", ["is", "this", "boss", "bus", "car", "hour", "focus"])
def test_stem_leaves_short_and_unsuffixed_words_alone(word):
    assert stem(word) == word


def test_canonicaliser_rewrites_words_and_phrases_longest_first():
    canonical = Canonicaliser([("therapist", ["counsellor", "shrink"]), ("crush", ["in love", "fall in love"])])
    assert content_terms("I'm falling in love with my shrink", canonical) == ["crush", "therapist"]
    assert content_terms("do counsellors have crushes", canonical) == ["therapist", "crush"]


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("art\u0131k ya\u015famak", ("artik", "yasamak")),  # Turkish dotless i
        ("Chciałbym umrzeć", ("chcialbym", "umrzec")),  # Polish ł
        ("Jeg vil dø", ("jeg", "vil", "do")),
        ("cœur", ("coeur",)),
        ("café naïve", ("cafe", "naive")),  # letters Unicode does decompose
    ],
)
def test_letters_with_marks_fold_to_their_base_letters(written, folded):
    assert words(written) == folded


def test_fold_unifies_curly_quotes_and_case():
    assert fold("\u201cDON\u2019T\u201d") == '"don\'t"'


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("does my therapist like me", True),
        ("do therapists like some clients more", True),
        ("i feel like a burden", False),
        ("someone like my therapist", False),
        ("i would like to know", False),
        ("it looks like she is bored", False),
    ],
)
def test_like_is_content_as_a_verb_and_a_stopword_as_a_comparison(text, kept):
    assert ("like" in stem_all(words(text))) is kept


@pytest.mark.parametrize("text", ["feel ill", "my id card"])
def test_ill_and_id_stay_words_for_matching(text):
    assert words(text) == tuple(text.split())


@pytest.mark.parametrize(
    ("typed", "slip"),
    [("dose", True), ("thier", True), ("becuase", True), ("fever", False), ("lover", False), ("tour", False)],
)
def test_a_letter_added_in_front_makes_a_word_not_a_misspelt_stopword(typed, slip):
    assert _misspelt_stopword(typed) is slip
