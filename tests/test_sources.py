"""The bundled answers against their five source articles: own words, figures, honest attribution."""

import re

import pytest

from therafaq.corpus_file import bundled_corpus_path, load_corpus

from .conftest import shared_file
from .copying import seed_sources, sentences, shared_run, unquoted

CORPUS = load_corpus(bundled_corpus_path())
MAX_SHARED_RUN = 12
# A sentence is a close paraphrase when it shares at least this many content
# words with one source sentence, and they make up this share of its own
# content words or come in this many same-order pairs. Measured on the
# review's examples (8 of its 18 are caught; the rest swap in synonyms and
# keep only the structure, which no threshold separates from fresh writing)
# and on the sentences of the rewritten answers (531; 5 were flagged and rewritten).
MIN_SHARED, MIN_SHARE, MIN_PAIRS = 5, 0.45, 2
# How an answer names each source the first time it uses it.
NAMED_AS = {
    "000": ("social-work background",),
    "001": ("GoodTherapy",),
    "002": ("Ravel",),
    "003": ("Therapist Confessions",),
    "004": ("Q&A page", "Fornos", "Journal of Clinical Psychology", "Psychotherapy"),
}
# Descriptions the review found untrue of the articles.
UNTRUE = ("clinical social worker", "mental health practice", "interview", "compilation")
NUMBER_WORDS = dict(
    zip("two three four five six seven eight nine ten eleven twelve".split(), map(str, range(2, 13)), strict=True)
)
# Our own prose uses one spelling (British); quotations and alternates keep the writer's.
AMERICAN = re.compile(
    r"\b(favorite|judgment|counseling|counselor|behavior|color|recognize|apologize|realize|center|fulfill)s?\b", re.I
)
# Close paraphrases the review found in the answers as they were, verbatim.
REVIEW_EXAMPLES = [
    "In most situations a therapist isn't allowed to talk about any client, so they're ethically bound not to reveal "
    "anything about you to the people in your photos.",
    "A study published in the Journal of Clinical Psychology found that 86% of the therapists the researchers "
    "interviewed said they sometimes search for their patients online.",
    "One clinical social worker writes that, like any decent therapist in their view, they have been in therapy "
    "themselves, which is how they know first-hand how odd it can feel to open up to someone new.",
    "Therapists don't open up the way clients do, but they're still meant to be real people in the room, and a human "
    "reaction can show you that what you said landed.",
    "A GoodTherapy.org article describes clients moving from telling intimate details to a near stranger to feeling "
    "they have a warm confidant.",
    "A more recent study found that what therapists value above everything else is a client who is motivated and "
    "open-minded.",
    "According to one writer, none of the ethics boards overseeing mental health professionals specifically bans "
    "touch or labels it unethical.",
    "She admits it frustrates her, especially when the person asking for the fix seems to need therapy more than the "
    "one they brought along, or even dragged, to the appointment.",
]


def _seeds():
    return {path.name[:3]: path.read_text(encoding="utf-8") for path in sorted(shared_file("seeds").glob("*.txt"))}


def _close(sentence: str) -> bool:
    found = seed_sources(shared_file("seeds")).closest_sentence(sentence)
    return found.shared >= MIN_SHARED and (found.share >= MIN_SHARE or found.pairs >= MIN_PAIRS)


@pytest.mark.parametrize("entry", CORPUS.entries, ids=lambda e: e.id)
def test_answer_shares_no_long_run_of_words_with_a_source(entry):
    for name, text in _seeds().items():
        assert shared_run(entry.answer, text, MAX_SHARED_RUN) is None, f"copies {name}"


@pytest.mark.parametrize("entry", CORPUS.entries, ids=lambda e: e.id)
def test_no_answer_sentence_closely_paraphrases_a_source_sentence(entry):
    close = [s for s in sentences(entry.answer) if _close(s)]
    assert not close, f"close to a source sentence: {close}"


@pytest.mark.parametrize("sentence", REVIEW_EXAMPLES, ids=lambda s: s[:40])
def test_paraphrase_check_catches_the_reviews_examples(sentence):
    assert _close(sentence)


def test_paraphrase_check_passes_a_quotation_and_catches_its_unquoted_copy():
    quoted = (
        'She says: "As a client you put your trust and vulnerability into a professional, and them acting on that '
        'would be violating you and their ethics."'
    )
    assert not _close(quoted)
    assert _close(quoted.replace('"', ""))


def test_the_run_check_would_catch_a_copied_sentence():
    seed = _seeds()["004"]
    copied = "Some words first. " + " ".join(seed.split()[:20])
    assert shared_run(copied, seed, MAX_SHARED_RUN) is not None


@pytest.mark.parametrize("entry", CORPUS.entries, ids=lambda e: e.id)
def test_every_figure_in_an_answer_is_in_one_of_its_sources(entry):
    seeds = _seeds()
    cited = " ".join(seeds[s.file[:3]] for s in entry.sources).lower()
    cited_tokens = set(re.findall(r"[a-z]+|\d+", cited))
    for token in re.findall(r"\d+|[a-z]+", entry.answer.lower()):
        if token.isdigit() or token in NUMBER_WORDS:
            forms = {token, NUMBER_WORDS.get(token, "")} | {w for w, d in NUMBER_WORDS.items() if d == token}
            assert forms & cited_tokens, f"{token!r} is in none of {[s.file[:3] for s in entry.sources]}"


@pytest.mark.parametrize("entry", CORPUS.entries, ids=lambda e: e.id)
def test_sources_are_exactly_the_articles_the_answer_names(entry):
    listed = {s.file[:3] for s in entry.sources}
    named = {name for name, marks in NAMED_AS.items() if any(mark in entry.answer for mark in marks)}
    assert named == listed, f"answer names {sorted(named)}, sources list {sorted(listed)}"


def test_each_article_is_described_the_same_way_everywhere_and_exists():
    seeds = {path.name for path in shared_file("seeds").glob("*.txt")}
    described = {}
    for entry in CORPUS.entries:
        for source in entry.sources:
            assert source.file in seeds
            assert described.setdefault(source.file, source) == source, f"{entry.id} describes {source.file} anew"


@pytest.mark.parametrize("entry", CORPUS.entries, ids=lambda e: e.id)
def test_answers_use_no_description_the_review_found_untrue(entry):
    text = " ".join([entry.answer, *(f"{s.title} {s.publisher}" for s in entry.sources)]).lower()
    assert not [phrase for phrase in UNTRUE if re.search(rf"\b{phrase}", text)]


@pytest.mark.parametrize("entry", CORPUS.entries, ids=lambda e: e.id)
def test_questions_and_answers_use_british_spelling_outside_quotations(entry):
    assert not AMERICAN.findall(unquoted(f"{entry.question} {entry.answer}"))
