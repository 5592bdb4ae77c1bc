"""Personal data that once survived redaction, found by the end-to-end test on examples/."""

import pytest

from vocmine.prepare.clean import clean_text, strip_signature
from vocmine.prepare.redact import redact


@pytest.mark.parametrize(
    ("ticket", "name"),
    [
        (
            "Bonjour,\n\nPouvez-vous faire le nécessaire svp ?\n\nBonne journée,\nCamille Martin\n"
            "+33 7 48 13 56 65\n\nEnvoyé de mon Samsung Galaxy",
            "Camille Martin",
        ),
        (
            "Bonjour,\nJe veux supprimer mes données.\nBonne journée,\nThomas Guérin",
            "Thomas Guérin",
        ),
        ("Hello,\nMy steps are not counted.\nHave a nice day,\nJohn Smith", "John Smith"),
        ("Hola,\nNo me llega la transferencia.\nUn buen día,\nAna García", "Ana García"),
        ("Hallo,\nDie App stürzt ab.\nSchönen Tag noch,\nHans Müller", "Hans Müller"),
        (
            "Le compteur s'arrête quand l'écran est éteint.\nJean-Pierre Dubois",
            "Jean-Pierre Dubois",
        ),
    ],
)
def test_names_after_closing_wishes_or_alone_are_removed(ticket: str, name: str) -> None:
    cleaned = redact(clean_text(ticket, kind="ticket"))
    assert name not in cleaned
    assert "+33" not in cleaned


def test_closing_wish_inside_a_sentence_is_kept() -> None:
    text = "Je vous souhaite une bonne journée mais mon virement n'est pas arrivé."
    assert strip_signature(text) == text


def test_single_line_ticket_is_not_taken_for_a_name() -> None:
    assert clean_text("Points Manquants", kind="ticket") == "Points Manquants"


@pytest.mark.parametrize(
    "text",
    [
        "Mon id Marcheo c'est 7091869. J'ai vidé le cache",
        "My Marcheo id is 7709561. Support always answered quickly.",
        "Mi id de Marcheo es 771234, gracias",
        "Meine Marcheo Nummer ist 8812345.",
        "mon identifiant Marcheo : 8812345",
    ],
)
def test_user_ids_with_the_product_name_in_between(text: str) -> None:
    redacted = redact(text)
    assert "[USER_ID]" in redacted
    assert not any(ch.isdigit() for ch in redacted.split("[USER_ID]")[0][-12:])


@pytest.mark.parametrize(
    "text",
    [
        "mon identifiant ne marche pas depuis 3 jours",
        "Version 4.12.0 id like to say it crashes",
        "My id card photo was rejected twice",
    ],
)
def test_id_words_without_an_id_value_are_kept(text: str) -> None:
    assert redact(text) == text
