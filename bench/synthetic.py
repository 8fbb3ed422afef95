"""Questions and corpora for the speed benchmark: noisy wordings, and synthetic corpora of any size.

Kept apart from `speed.py` so the timing script reads top to bottom; nothing here measures anything.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

GENERATOR_VERSION = 1

# Background for batch questions; none of them is about therapy.
OFF_TOPIC = (
    "how do i renew my passport",
    "what time does the pharmacy open on sundays",
    "best way to store fresh basil",
    "can dogs eat grapes",
    "how many miles is a marathon",
    "who won the world cup in 1998",
    "how to fix a leaking kitchen tap",
    "is it going to rain tomorrow in leeds",
)
FILLERS_BEFORE = ("", "", "", "hey so ", "quick question: ", "honestly ", "ok weird one but ", "um ")
FILLERS_AFTER = ("", "", "", "?", "??", " lol", " haha", " asking for a friend", "...")


def noisy_questions(document: dict, count: int, seed: int) -> list[str]:
    """Wordings of the corpus with typos, fillers and case changes; one in ten is off-topic."""
    rng = random.Random(seed)
    wordings = [w for entry in document["entries"] for w in (entry["question"], *entry["alternates"])]
    questions = []
    for _ in range(count):
        if rng.random() < 0.1:
            text = rng.choice(OFF_TOPIC)
        else:
            text = rng.choice(wordings)
            words = text.split()
            if rng.random() < 0.4:
                position = rng.randrange(len(words))
                words[position] = _typo(words[position], rng)
            text = " ".join(words)
        text = rng.choice(FILLERS_BEFORE) + text.rstrip("?") + rng.choice(FILLERS_AFTER)
        questions.append(text.lower() if rng.random() < 0.5 else text)
    return questions


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


STARTERS = (
    "can my therapist",
    "is it normal for my therapist to",
    "why does my counselor",
    "should i tell my therapist about",
    "do therapists ever",
    "what if my psychologist",
    "how do i talk about",
    "is it okay to ask about",
    "am i allowed to mention",
    "will my therapist judge",
    "what does it mean when my therapist",
    "my therapist keeps",
)


def synthetic_corpus(size: int, real: dict, directory: Path) -> Path:
    """A corpus of `size` entries shaped like the bundled one, cached by size and generator version.

    Lengths follow the bundled corpus (about 8 words a wording, 9 alternates, 6 keywords, 150-word answers,
    3 related entries). Each entry gets its own subject words from a large pseudo-word lexicon drawn with a
    Zipf-like skew, so the vocabulary grows with the corpus as a real one would; the rest of the text is real
    words of the bundled answers, and the bundled vocabulary groups are kept.
    """
    path = directory / f"corpus-{size}-v{GENERATOR_VERSION}.json"
    if path.is_file():
        return path
    rng = random.Random(size)
    real_words = sorted({w.strip(".,;:!?\"'()").lower() for e in real["entries"] for w in e["answer"].split()} - {""})
    lexicon = _pseudo_words(max(2000, size * 2), rng)
    subject_weights = _zipf_cumulative(len(lexicon))
    real_weights = _zipf_cumulative(len(real_words))
    topics = [{"id": f"topic-{t}", "title": f"Topic {t}", "description": "Synthetic."} for t in range(9 + size // 500)]
    entries = []
    for index in range(size):
        subject = rng.choices(lexicon, cum_weights=subject_weights, k=3)
        common = rng.choices(real_words, cum_weights=real_weights, k=40)

        answer_words = rng.choices(real_words, cum_weights=real_weights, k=rng.randint(130, 170)) + subject * 3
        rng.shuffle(answer_words)
        entries.append(
            {
                "id": f"entry-{index}",
                "topic": rng.choice(topics)["id"],
                "question": _wording(rng, subject, common).capitalize(),
                "alternates": [_wording(rng, subject, common) for _ in range(rng.randint(5, 12))],
                "keywords": subject + rng.sample(common, 3),
                "answer": " ".join(answer_words).capitalize() + ".",
                "sources": [{"title": f"Source {index}", "publisher": "Synthetic publisher"}],
                "related": [f"entry-{r}" for r in rng.sample(range(size), min(3, size)) if r != index],
            }
        )
    document = {"version": 1, "topics": topics, "vocabulary": real.get("vocabulary", []), "entries": entries}
    directory.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(document), encoding="utf-8")
    partial.replace(path)
    return path


def _wording(rng: random.Random, subject: list[str], common: list[str]) -> str:
    words = rng.sample(subject, rng.randint(1, 3)) + rng.sample(common, rng.randint(1, 4))
    rng.shuffle(words)
    return f"{rng.choice(STARTERS)} {' '.join(words)}?"


def _pseudo_words(count: int, rng: random.Random) -> list[str]:
    onsets = "b c d f g h j k l m n p r s t v w z br cr dr fl gr pl sk st tr sh ch th".split()
    vowels = "a e i o u ai ea io ou".split()
    codas = ["", "", "n", "r", "l", "s", "t", "m", "nd", "st", "rk"]
    found: set[str] = set()
    while len(found) < count:
        syllables = rng.randint(2, 4)
        found.add("".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(syllables)))
    return sorted(found)


def _zipf_cumulative(count: int) -> list[float]:
    total, cumulative = 0.0, []
    for rank in range(1, count + 1):
        total += 1 / rank**0.8
        cumulative.append(total)
    return cumulative
