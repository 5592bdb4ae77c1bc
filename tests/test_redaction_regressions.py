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


@pytest.mark.parametrize(
    "text",
    [
        "je suis très déçu par la mise à jour",
        "Je suis Très déçu",
        "JE SUIS TRÈS DÉÇU",
        "this is broken since the update",
        "I am Very disappointed",
        "ich bin enttäuscht von der App",
        "Ich bin Kunde seit 2020",
        "soy usuario desde hace años",
        "Bonjour, L'appli plante",
        "Hallo Zusammen, die App stürzt ab",
        "No thanks. Uninstall.",
        "Thanks Viber",
        "le 06.10.2026 à 10:00, 8 000 000 de pas, version 4.12.0.1",
        "commande 12345678 et ticket #87654321",
    ],
)
def test_ordinary_words_after_name_cues_are_kept(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("je suis Marie Dupont et j'ai un souci", "je suis [NAME] et j'ai un souci"),
        ("Bonjour, ici Paul. Rien ne marche", "Bonjour, ici [NAME]. Rien ne marche"),
        ("Hi, this is John Smith from Leeds", "Hi, this is [NAME] from Leeds"),
        ("Hola, soy Ana García y", "Hola, soy [NAME] y"),
        ("Hallo, hier ist Anna Weber.", "Hallo, hier ist [NAME]."),
        ("Super appli. Bonne journée, Marie", "Super appli. Bonne journée, [NAME]"),
        ("Great app. Cheers, John. Five stars", "Great app. Cheers, [NAME]. Five stars"),
        ("Die App ist gut. Grüße Hans", "Die App ist gut. Grüße [NAME]"),
        ("(020) 7946 0958, 030 12345678, 0470 12 34 56", "[PHONE], [PHONE], [PHONE]"),
        ("91 123 45 67 ou 0470/12.34.56", "[PHONE] ou [PHONE]"),
        ("commande n° XYZ123 et order #A12345", "commande n° [ORDER] et order #[ORDER]"),
        ("@marie_d75 depuis 192.168.1.12", "[HANDLE] depuis [IP]"),
        ("née le 12/03/1985, NIR 1 85 05 78 006 084 91", "née le [DOB], NIR [NIR]"),
        ("passeport n° 12AB34567", "passeport n° [PASSPORT]"),
    ],
)
def test_issue_15_leaks_are_redacted(text: str, expected: str) -> None:
    assert redact(text) == expected
    assert redact(expected) == expected


def test_lone_name_on_the_last_line_of_a_review() -> None:
    from vocmine.models import RawFeedback  # noqa: F401 (the path normalise() takes)
    from vocmine.prepare.normalise import normalise

    from .helpers import raw

    item = normalise(raw("r1", "Super appli, je recommande\nMarie"), salt="s")
    assert item.text == "Super appli, je recommande [NAME]"
