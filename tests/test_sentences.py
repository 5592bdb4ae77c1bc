"""The sentences the assignment gate scores: where a text splits, what is dropped, the cap."""

from vocmine.prepare.sentences import MAX_SENTENCES, sentences


def test_a_one_sentence_text_has_no_separate_sentences() -> None:
    assert sentences("The app crashes on start") == []
    assert sentences("The app crashes on start.") == []
    assert sentences("  ") == []


def test_splits_on_end_marks_and_line_breaks_and_drops_fragments() -> None:
    text = "Bonjour, Mon virement n'est jamais arrivé !\nJ'ai attendu dix jours déjà. Merci"
    assert sentences(text) == [
        "Bonjour, Mon virement n'est jamais arrivé !",
        "J'ai attendu dix jours déjà.",
    ]  # "Merci" alone is a fragment: it would match anything a little


def test_version_numbers_and_decimals_do_not_split() -> None:
    text = "Crashes since 4.12.0 on my phone. Version 4.11 was fine for me"
    assert sentences(text) == ["Crashes since 4.12.0 on my phone.", "Version 4.11 was fine for me"]


def test_a_long_ticket_keeps_its_first_sentences_only() -> None:
    text = " ".join(f"This is sentence number {i}." for i in range(20))
    found = sentences(text)
    assert len(found) == MAX_SENTENCES and found[0] == "This is sentence number 0."
    assert sentences(text, limit=2, min_words=5) == found[:2]
