"""Signposts under an entry ("Where to turn"), and ids that live on as aliases."""

import io
import json

import pytest
from rich.console import Console

from therafaq.cache import load_indexed
from therafaq.corpus import CorpusError
from therafaq.corpus_file import parse_corpus
from therafaq.render import ROUTES_NOTE, plain_entry
from therafaq.rich_render import entry_panel

from .conftest import MINI, MINI_CORPUS, golden, run


@pytest.mark.parametrize("region", ["GB", None])
def test_plain_entry_with_signposts_reads_as_its_golden_file(mini, region):
    """Regenerate with THERAFAQ_WRITE_GOLDEN=1, then read the diff."""
    shown = plain_entry(mini.entry("cat-scratching"), mini, 80, region=region) + "\n"
    assert shown == golden(f"where-to-turn-{(region or 'none').lower()}.txt", shown)


def test_rich_draws_signposts_in_their_own_labelled_panel(mini):
    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(entry_panel(mini.entry("cat-scratching"), mini, region="GB"))
    drawn = console.file.getvalue()
    assert "\u256d\u2500 Where to turn" in drawn and ROUTES_NOTE in drawn
    assert "In the UK: call NHS 111." in drawn and "Elsewhere: ask a local pharmacist." in drawn
    assert "In the US" not in drawn
    assert drawn.index("Cats scratch") < drawn.index("Where to turn") < drawn.index("Related questions")


def test_an_entry_without_signposts_shows_no_block(mini):
    assert "Where to turn" not in plain_entry(mini.entry("dog-walks"), mini, 80)


def test_show_json_carries_the_signposts_for_the_region(runner):
    entry = json.loads(run(runner, "show", "cat-scratching", "--json", "--region", "US", *MINI).stdout)
    scratched, unsafe = entry["signposts"]
    assert scratched["id"] == "scratched" and scratched["title"] == "If a pet has hurt you"
    assert scratched["lines"] == ["In the US: ask a pharmacist.", "Elsewhere: ask a local pharmacist."]
    assert scratched["contacts"] == []
    assert unsafe["contacts"][0]["name"] == "988 Suicide & Crisis Lifeline"


def test_ask_json_carries_the_signposts_on_the_match(runner):
    result = run(runner, "ask", "why does my cat scratch the sofa", "--json", "--region", "GB", *MINI)
    [match] = json.loads(result.stdout)["matches"]
    assert [s["id"] for s in match["signposts"]] == ["scratched", "unsafe"]
    assert match["signposts"][0]["lines"] == ["In the UK: call NHS 111.", "Elsewhere: ask a local pharmacist."]
    assert match["signposts"][1]["contacts"][0]["name"] == "Samaritans"


def test_plain_ask_shows_the_block_under_the_answer(runner):
    result = run(runner, "ask", "why does my cat scratch the sofa", "--plain", "--region", "GB", *MINI)
    assert f"Where to turn ({ROUTES_NOTE})" in result.stdout
    assert "Samaritans (UK and Ireland): call 116 123" in result.stdout


@pytest.mark.parametrize("output", [[], ["--plain"], ["--json"]])
def test_an_old_id_shows_the_entry_it_was_merged_into(runner, output):
    result = run(runner, "show", "water-fern", *output, *MINI)
    assert result.exit_code == 0
    if output == ["--json"]:
        entry = json.loads(result.stdout)
        assert entry["id"] == "fern-water" and entry["aliases"] == ["water-fern"]
    else:
        assert "fern-water" in result.stdout


def test_the_cache_keeps_signposts_and_aliases(mini, tmp_path):
    copy = tmp_path / "mini.json"
    copy.write_bytes(MINI_CORPUS.read_bytes())
    load_indexed(copy)  # builds and writes the cache
    cached, _ = load_indexed(copy)
    assert cached.entry("cat-scratching") == mini.entry("cat-scratching")
    assert cached.entry("water-fern") == mini.entry("fern-water")
    assert cached.signposts == mini.signposts


def _problems(document):
    with pytest.raises(CorpusError) as caught:
        parse_corpus(document)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["entries"][0].update(signposts=["nowhere"]), "unknown signpost id 'nowhere'"),
        (lambda d: d["entries"][0].update(aliases=["fern-light"]), "'fern-light' is already the id of an entry"),
        (lambda d: d["entries"][0].update(aliases=["water-fern"]), "'water-fern' is already the id of an alias of"),
        (lambda d: d["entries"][0].update(aliases=["Old Id"]), "expected ids of lower-case letters"),
        (lambda d: d["signposts"][0]["lines"][0].update(regions=["usa"]), "two-letter upper-case country codes"),
        (lambda d: d["signposts"][1].update(crisis_lines="yes"), "expected true or false"),
        (lambda d: d["signposts"].append(dict(d["signposts"][0])), "duplicate signpost id"),
        (lambda d: d["signposts"][0].update(text=[]), "expected at least one paragraph"),
    ],
)
def test_broken_signposts_and_aliases_are_named(mini_document, change, expected):
    change(mini_document)
    assert any(expected in problem for problem in _problems(mini_document)), _problems(mini_document)
