"""The whole bundled corpus: schema, references, required ids, house style, own words."""

import csv
import json
import re

import pytest

from therafaq.corpus_file import bundled_corpus_path, load_corpus

from .conftest import shared_file

CORPUS = load_corpus(bundled_corpus_path())
DOCUMENT = json.loads(bundled_corpus_path().read_text(encoding="utf-8"))
MAX_SHARED_RUN = 12
SEED_FILES = {f"00{n}" for n in range(5)}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'").replace("'", ""))


def test_bundled_corpus_loads_and_every_reference_resolves():
    topic_ids = {t.id for t in CORPUS.topics}
    entry_ids = [e.id for e in CORPUS.entries]
    assert len(entry_ids) == len(set(entry_ids))
    for entry in CORPUS.entries:
        assert entry.topic in topic_ids
        assert set(entry.related) <= set(entry_ids)
    assert all(CORPUS.entries_in(t) for t in topic_ids), "every topic holds entries"


def test_every_required_id_still_resolves_as_an_entry_or_an_alias():
    with shared_file("entries.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(rows) >= 50
    missing = [row["id"] for row in rows if CORPUS.entry(row["id"]) is None]
    assert not missing


def test_merged_ids_resolve_to_the_entry_that_absorbed_them():
    assert CORPUS.aliases() == {"sad-when-clients-leave": "therapists-miss-clients"}
    assert CORPUS.entry("sad-when-clients-leave") is CORPUS.entry("therapists-miss-clients")


@pytest.mark.parametrize(
    ("entry_id", "signpost"),
    [
        ("hugs-and-touch", "crossed-a-line"),
        ("therapists-develop-feelings", "crossed-a-line"),
        ("therapists-find-clients-attractive", "crossed-a-line"),
        ("feelings-for-therapist", "crossed-a-line"),
        ("therapist-flirts", "crossed-a-line"),
        ("boundary-violations", "crossed-a-line"),
        ("ending-therapy", "crossed-a-line"),
        ("new-therapist", "crossed-a-line"),
        ("dating-former-therapist", "crossed-a-line"),
        ("therapist-not-available-24-7", "unsafe-between-sessions"),
        ("dependency", "unsafe-between-sessions"),
        ("therapists-worry-about-clients", "unsafe-between-sessions"),
        ("feeling-worse-after-therapy", "unsafe-between-sessions"),
    ],
)
def test_entries_about_something_wrong_carry_where_to_turn(entry_id, signpost):
    assert signpost in [s.id for s in CORPUS.entry(entry_id).signposts]


def test_where_to_turn_names_routes_for_the_main_regions_and_everywhere_else():
    crossed = next(s for s in CORPUS.signposts if s.id == "crossed-a-line")
    regions = {region for line in crossed.lines for region in line.regions}
    assert {"US", "GB", "IE", "CA", "AU", "NZ"} <= regions
    assert [line for line in crossed.lines if not line.regions], "a line for everywhere else"
    unsafe = next(s for s in CORPUS.signposts if s.id == "unsafe-between-sessions")
    assert unsafe.crisis_lines


def test_something_wrong_has_its_own_topic():
    ids = {e.id for e in CORPUS.entries_in("something-wrong")}
    assert {
        "boundary-violations",
        "therapist-flirts",
        "therapists-make-mistakes",
        "feeling-stuck",
        "new-therapist",
    } <= ids


def test_every_entry_is_the_next_question_of_another():
    linked = {related for entry in CORPUS.entries for related in entry.related}
    assert not [entry.id for entry in CORPUS.entries if entry.id not in linked]


@pytest.mark.parametrize("entry", CORPUS.entries, ids=lambda e: e.id)
def test_entry_follows_house_style(entry):
    words = len(entry.answer.split())
    assert 60 <= words <= 180, f"answer has {words} words"
    assert len(entry.alternates) >= 4
    assert 2 <= len(entry.related) <= 4
    assert entry.id not in entry.related
    assert not re.search(r"\[|\]|\*\*|https?://", entry.answer), "answers are plain text"
    for source in entry.sources:
        assert source.file[:3] in SEED_FILES and source.file.endswith(".txt")


@pytest.mark.parametrize("entry", CORPUS.entries, ids=lambda e: e.id)
def test_answer_shares_no_long_run_of_words_with_a_source(entry):
    seeds = sorted(shared_file("seeds").glob("*.txt"))
    assert len(seeds) == 5
    answer = _words(entry.answer)
    runs = {tuple(answer[i : i + MAX_SHARED_RUN]) for i in range(len(answer) - MAX_SHARED_RUN + 1)}
    for seed in seeds:
        words = _words(seed.read_text(encoding="utf-8"))
        for i in range(len(words) - MAX_SHARED_RUN + 1):
            assert tuple(words[i : i + MAX_SHARED_RUN]) not in runs, f"copies {seed.name}: {words[i : i + 12]}"


def test_no_alternate_is_shared_between_entries():
    seen: dict[str, str] = {}
    for entry in CORPUS.entries:
        for wording in entry.wordings:
            key = " ".join(_words(wording))
            assert seen.setdefault(key, entry.id) == entry.id, f"{wording!r} in {seen[key]} and {entry.id}"


def test_corpus_file_is_version_1_with_vocabulary():
    assert DOCUMENT["version"] == 1
    assert any(group["term"] == "therapist" for group in DOCUMENT["vocabulary"])


def test_the_overlap_check_would_catch_a_copied_sentence():
    seed = sorted(shared_file("seeds").glob("004_*.txt"))[0]
    copied = " ".join(_words(seed.read_text(encoding="utf-8"))[:20])
    answer = _words("Some words first. " + copied)
    seed_words = _words(seed.read_text(encoding="utf-8"))
    seed_runs = {tuple(seed_words[i : i + MAX_SHARED_RUN]) for i in range(len(seed_words) - MAX_SHARED_RUN + 1)}
    assert any(tuple(answer[i : i + MAX_SHARED_RUN]) in seed_runs for i in range(len(answer)))
