from therafaq.roles import agreed_sides, sides


def test_a_word_is_on_the_side_of_the_person_named_before_it():
    assert sides("should i worry about my therapist".split()) == {"worry": True}
    assert sides("does my therapist worry about me".split()) == {"worry": False}
    assert sides("is it ok to cry in therapy".split()) == {}
    assert sides("we talk every week".split()) == {}


def test_an_entry_agrees_on_a_side_only_when_its_wordings_do():
    agreed = agreed_sides(["do therapist cry", "my therapist cry in session", "i cry in session"])
    assert "cry" not in agreed
    assert agreed_sides(["do therapist cry", "has a therapist ever cry"]) == {"cry": False}
