"""Tests for vocmine.prepare: cleaning, redaction, language, CSAT and the Item normalise() builds.

Redaction is the part that must not fail: every kind of personal data is tested in French, English,
Spanish and German sentences, next to look-alikes that must survive (dates, amounts, versions, step
counts, order numbers), and every redacted text is checked to be a fixed point of redact().
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from vocmine.models import Item, RawFeedback
from vocmine.prepare.clean import clean_text, strip_html, strip_quoted_reply, strip_signature
from vocmine.prepare.language import detect_language
from vocmine.prepare.normalise import normalise, parse_csat, text_hash
from vocmine.prepare.redact import PLACEHOLDERS, hash_user, iban_valid, luhn_valid, redact

WHEN = datetime(2026, 10, 12, 9, 30, tzinfo=UTC)


def make_raw(text: str, **fields: object) -> RawFeedback:
    values: dict[str, object] = {
        "source": "play",
        "external_id": "r1",
        "kind": "review",
        "text": text,
        "created_at": WHEN,
    }
    values.update(fields)
    return RawFeedback(**values)  # type: ignore[arg-type]


# -- HTML -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("Bonjour<br>l'appli plante", "Bonjour\nl'appli plante"),
        ("Bonjour<br/>ok<BR />fin", "Bonjour\nok\nfin"),
        ("<p>Un</p><p>Deux</p>", "\nUn\n\nDeux\n"),
        ("<div>Un</div><div>Deux</div>", "\nUn\n\nDeux\n"),
        ("<ul><li>pas</li><li>points</li></ul>", "\n\npas\n\npoints\n\n"),
        ("<p>L&#39;appli <b>plante</b> &amp; <i>rame</i></p>", "\nL'appli plante & rame\n"),
        ("<div><span style='x'><a href='https://x.fr'>lien</a></span></div>", "\nlien\n"),
        (
            "<p>avant</p><script>alert('x')</script><style>p {color: red}</style>après",
            "\navant\n  après",
        ),
        ("<p>a</p><!-- commentaire <b>caché</b> -->b", "\na\n b"),
        ("<table><tr><td>a</td><td>b</td></tr></table>", "\n\n a  b \n\n"),
        ("<p>caf&eacute; &lt;3 &nbsp;ok &#x1F600;</p>", "\ncafé <3 \xa0ok 😀\n"),
    ],
)
def test_strip_html(html: str, expected: str) -> None:
    assert strip_html(html) == expected


@pytest.mark.parametrize(
    "text",
    ["I <3 this app", "3 < 5 > 2", "a <b c", "pas de html ici", "Tom & Jerry", "R&D, AT&T"],
)
def test_strip_html_leaves_plain_text_alone(text: str) -> None:
    assert strip_html(text) == text


def test_strip_html_unescapes_entities_in_plain_text() -> None:
    assert strip_html("Tom &amp; Jerry, l&#39;appli") == "Tom & Jerry, l'appli"


def test_strip_html_drops_unclosed_script() -> None:
    assert strip_html("<p>texte</p><script>var secret = 1;") == "\ntexte\n "


# -- quoted replies -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        (
            "Toujours pas de points.\n\nLe lun. 12 oct. 2026 à 10:00, Support Marche "
            "<support@marche.fr> a écrit :\n> Bonjour,\n> Pouvez-vous redémarrer ?",
            "Toujours pas de points.",
        ),
        (
            "Still no points.\n\nOn Mon, Oct 12, 2026 at 10:00 AM Support <support@x.com> wrote:\n"
            "> Hi,\n> please restart the app",
            "Still no points.",
        ),
        (
            # Gmail wraps long attributions over two lines.
            "Still no points.\n\nOn Mon, Oct 12, 2026 at 10:00 AM Walking Rewards Support Team <\n"
            "support@walking-rewards.example.com> wrote:\n\n> Hi",
            "Still no points.",
        ),
        (
            "Sigue sin funcionar.\n\nEl lun, 12 oct 2026 a las 10:00, Soporte (<s@x.es>) "
            "escribió:\n> Hola",
            "Sigue sin funcionar.",
        ),
        (
            "Geht immer noch nicht.\n\nAm 12.10.2026 um 10:00 schrieb Support <s@x.de>:\n> Hallo",
            "Geht immer noch nicht.",
        ),
        (
            "Ma réponse\n\n________________________________\nDe : Support <s@x.fr>\n"
            "Envoyé : lundi 12 octobre 2026 10:00\nÀ : Marie\nObjet : RE: points\n\nBonjour Marie,",
            "Ma réponse",
        ),
        (
            "My answer\n\n-----Original Message-----\nFrom: Support\nSent: Monday, October 12\n"
            "To: John\nSubject: RE: points\n\nHi John,",
            "My answer",
        ),
        (
            "Ma réponse\n-------- Message d'origine --------\nDe : Support\nDate : 12/10/2026\n"
            "Ancien message",
            "Ma réponse",
        ),
        (
            "My answer\n\nFrom: Support <s@x.com>\nSent: Monday, October 12, 2026 10:00\n"
            "To: John\n\nold text",
            "My answer",
        ),
        ("> old quoted\n> more\nMy inline reply here", "My inline reply here"),
        ("First answer\n> quoted question\nSecond answer", "First answer\nSecond answer"),
        ("Le 12 octobre j'ai marché 10 km et rien n'a été compté", None),
        ("On Monday the app crashed twice", None),
    ],
)
def test_strip_quoted_reply(email: str, expected: str | None) -> None:
    assert strip_quoted_reply(email) == (email if expected is None else expected)


def test_strip_quoted_reply_keeps_forwarded_message_when_nothing_above() -> None:
    email = (
        "---------- Forwarded message ---------\nFrom: Marie <m@x.fr>\nDate: Mon, Oct 12, 2026\n"
        "Subject: points\nTo: support\n\nMes points ont disparu"
    )
    assert strip_quoted_reply(email) == "Mes points ont disparu"


def test_strip_quoted_reply_with_only_history_is_empty() -> None:
    # Nothing new above a reply header: the old thread is not the user's feedback.
    email = "On Mon, Oct 12, 2026 at 10:00 AM Support <s@x.com> wrote:\n> Hi\n> bye"
    assert strip_quoted_reply(email) == ""


# -- signatures -----------------------------------------------------------------------------------

BODY = "Bonjour,\nmes pas ne sont pas comptés depuis la mise à jour."


@pytest.mark.parametrize(
    "signature",
    [
        "Cordialement,\nMarie Dupont",
        "Bien cordialement\nMarie",
        "Cordialement, Marie Dupont\n06 12 34 56 78",
        "Bien à vous,\nJean-Pierre Martin\nResponsable\nSociété X",
        "Merci d'avance,\nMarie",
        "Merci d'avance,\nMarie D.",
        "Best regards,\nJohn Smith",
        "Regards,\nJohn",
        "Kind regards\nJohn",
        "Thanks,\nJohn",
        "Thank you,\nJohn Smith",
        "Saludos,\nAna",
        "Un saludo\nAna García",
        "Mit freundlichen Grüßen\nHans Müller",
        "Viele Grüße\nHans",
        "LG\nHans",
        "-- \nMarie\nwww.example.com",
        "Envoyé de mon iPhone",
        "Envoyé depuis mon Samsung Galaxy",
        "Sent from my iPhone",
        "Sent from my Android",
        "Cordialement,\nMarie\n\nEnvoyé de mon iPhone",
    ],
)
def test_strip_signature(signature: str) -> None:
    assert strip_signature(f"{BODY}\n\n{signature}") == BODY


@pytest.mark.parametrize(
    "text",
    [
        # "cordialement" inside a sentence.
        "Je vous remercie cordialement pour votre aide.\nMais le problème persiste.",
        # "Merci d'avance" with no name line after it is part of the message.
        "Mes points ont disparu.\nMerci d'avance pour votre aide, je reste disponible.",
        "The app crashes.\nThanks!",
        # A sign-off followed by more than 300 characters of text is not a signature.
        "Cordialement\n" + "Le compteur de pas se remet à zéro chaque nuit. " * 7 + "Voilà.",
        # More than 6 non-blank lines after it.
        "Salut\nRegards\n" + "\n".join(f"ligne {i}" for i in range(8)),
        # Words that merely start like a sign-off.
        "Regardez mes pas\nils ne sont pas comptés",
        # A device phrase in the user's own words, not the mail app's line.
        "The photo I sent from my phone yesterday",
        "Help\nsent from my phone twice, still nothing",
        "Bonne journée à vous aussi, merci pour la réponse rapide !\nJ'ai bien reçu mes points.",
    ],
)
def test_strip_signature_keeps_text(text: str) -> None:
    assert strip_signature(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "L'appli plante. Merci de regarder. Cordialement, Jean Dupont",
            "L'appli plante. Merci de regarder.",
        ),
        ("The app crashes. Best regards, John", "The app crashes."),
        ("L'appli plante Envoyé depuis mon Samsung Galaxy", "L'appli plante"),
        ("App crashes Sent from my iPhone", "App crashes"),
    ],
)
def test_strip_signature_inline(text: str, expected: str) -> None:
    # Forms and exports sometimes lose the line breaks before a signature.
    assert strip_signature(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Je vous remercie cordialement pour votre aide.",
        "Merci. Cordialement vôtre, je reste disponible pour en parler.",
        "Merci. Saludos a todos",
        "The photo I sent from my phone yesterday",
    ],
)
def test_strip_signature_inline_keeps_sentences(text: str) -> None:
    assert strip_signature(text) == text


# -- clean_text -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  trop   de\n\nblancs\t ici  ", "trop de blancs ici"),
        ("a\u200bb\u200cc\u200dd\ufeffe\u00adf\u2060g", "abcdefg"),
        ("contrôle\x00\x07\x1b\x7f\x9fok", "contrôleok"),
        ("ligne\x85suivante\x0bfin", "ligne suivante fin"),  # NEL and VT are line breaks
        ("ＡＰＰＬＩ ﬁne ① ２", "APPLI fine 1 2"),  # NFKC: full-width letters, ligatures
        ("ligne\r\nsuivante\rencore\u2028fin", "ligne suivante encore fin"),
        ("<p>Bonjour&nbsp;!</p><p>Merci</p>", "Bonjour ! Merci"),
        ("<p>zero&#8203;width</p>", "zerowidth"),
        ("Cordialement\nMarie", "Cordialement Marie"),  # not a ticket: no signature stripping
    ],
)
def test_clean_text(text: str, expected: str) -> None:
    assert clean_text(text, kind="review") == expected


def test_clean_text_ticket_strips_replies_and_signature() -> None:
    ticket = (
        "<div>Bonjour,<br>mes pas ne sont pas comptés.<br><br>Cordialement,<br>Marie Dupont</div>"
        '<div class="gmail_quote">Le lun. 12 oct. 2026 à 10:00, Support &lt;s@x.fr&gt; a écrit :'
        "<br><blockquote>Pouvez-vous réinstaller ?</blockquote></div>"
    )
    assert clean_text(ticket, kind="ticket") == "Bonjour, mes pas ne sont pas comptés."


def test_clean_text_only_tickets_lose_replies() -> None:
    text = "Super appli\n> citation\nCordialement,\nMarie"
    assert clean_text(text, kind="review") == "Super appli > citation Cordialement, Marie"
    assert clean_text(text, kind="ticket") == "Super appli"


# -- checksums ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("4111111111111111", True),  # Visa test number
        ("5500000000000004", True),  # Mastercard
        ("378282246310005", True),  # Amex
        ("6011111111111117", True),  # Discover
        ("4111111111111112", False),
        ("1234567890123456", False),
        ("0", True),
        ("", False),
        ("4111 1111 1111 1111", False),  # digits only
        ("²³", False),  # digits for isdigit(), not for int()
    ],
)
def test_luhn_valid(digits: str, valid: bool) -> None:
    assert luhn_valid(digits) is valid


@pytest.mark.parametrize(
    ("iban", "valid"),
    [
        ("FR7630006000011234567890189", True),
        ("DE89370400440532013000", True),
        ("ES9121000418450200051332", True),
        ("GB82WEST12345698765432", True),
        ("NL91ABNA0417164300", True),
        ("fr7630006000011234567890189", True),  # case does not matter
        ("FR7630006000011234567890100", False),  # wrong check
        ("DE88370400440532013000", False),
        ("FR76", False),  # too short
        ("7630006000011234567890189FR", False),  # country code first
        ("FR76 3000 6000 0112 3456 7890 189", False),  # compact form only
    ],
)
def test_iban_valid(iban: str, valid: bool) -> None:
    assert iban_valid(iban) is valid


# -- redaction ------------------------------------------------------------------------------------

EMAILS = [
    ("Écrivez-moi à jean.dupont@gmail.com svp", "Écrivez-moi à [EMAIL] svp"),
    ("mail : j_dupont+test@sub.domain.fr.", "mail : [EMAIL]."),
    ("my email is JOHN.SMITH@Example.COM thanks", "my email is [EMAIL] thanks"),
    ("Escríbeme a ana.garcia@correo.es por favor", "Escríbeme a [EMAIL] por favor"),
    ("Schreiben Sie mir an hans.mueller@web.de bitte", "Schreiben Sie mir an [EMAIL] bitte"),
    ("<jean@x.fr>", "<[EMAIL]>"),
    ("contact : jean.dupont (at) gmail (dot) com", "contact : [EMAIL]"),
    ("jean.dupont [at] gmail.com", "[EMAIL]"),
    ("jean arobase gmail point com", "[EMAIL]"),
    ("write to john at gmail dot com please", "write to [EMAIL] please"),
    ("jean.dupont @ gmail.com", "[EMAIL]"),
]
PHONES = [
    ("Appelez-moi au 06 12 34 56 78 svp", "Appelez-moi au [PHONE] svp"),
    ("tél. 06.12.34.56.78", "tél. [PHONE]"),
    ("tel 06-12-34-56-78.", "tel [PHONE]."),
    ("numéro : 0612345678", "numéro : [PHONE]"),
    ("fixe 01 23 45 67 89", "fixe [PHONE]"),
    ("+33 6 12 34 56 78 ou +33612345678", "[PHONE] ou [PHONE]"),
    ("0033 6 12 34 56 78", "[PHONE]"),
    ("+33 (0)6 12 34 56 78", "[PHONE]"),
    ("(0)6 12 34 56 78", "[PHONE]"),
    ("call me on +44 20 7946 0958 tomorrow", "call me on [PHONE] tomorrow"),
    ("my number is +1 (555) 123-4567", "my number is [PHONE]"),
    ("(555) 123-4567 or 555-123-4567", "[PHONE] or [PHONE]"),
    ("my UK mobile is 07700 900123", "my UK mobile is [PHONE]"),
    ("Ruf mich an: +49 151 23456789", "Ruf mich an: [PHONE]"),
    ("Handy 0151 23456789 oder 0176/12345678", "Handy [PHONE] oder [PHONE]"),
    ("Llámame al +34 612 345 678 por la tarde", "Llámame al [PHONE] por la tarde"),
    ("mi móvil es 612 345 678", "mi móvil es [PHONE]"),
]
IBANS = [
    ("IBAN FR76 3000 6000 0112 3456 7890 189 pour le virement", "IBAN [IBAN] pour le virement"),
    ("mon compte FR7630006000011234567890189", "mon compte [IBAN]"),
    ("mein IBAN ist DE89 3704 0044 0532 0130 00", "mein IBAN ist [IBAN]"),
    ("DE89370400440532013000 et ES91 2100 0418 4502 0005 1332", "[IBAN] et [IBAN]"),
    ("mi IBAN es ES91 2100 0418 4502 0005 1332 gracias", "mi IBAN es [IBAN] gracias"),
    ("GB82 WEST 1234 5698 7654 32 ok", "[IBAN] ok"),
    ("nl91abna0417164300", "[IBAN]"),
    # After IBAN/RIB, checksum or not: a typo must not leak the account.
    ("IBAN: FR76 3000 6000 0112 3456 7890 100 merci", "IBAN: [IBAN] merci"),
    ("mon RIB : 30006 00001 12345678901 89", "mon RIB : [IBAN]"),
    ("mon RIB est 30006 00001 12345678901 89", "mon RIB est [IBAN]"),
]
CARDS = [
    ("carte 4111 1111 1111 1111 débitée deux fois", "carte [CARD] débitée deux fois"),
    ("5500-0000-0000-0004 charged twice", "[CARD] charged twice"),
    ("paid with 4111111111111111", "paid with [CARD]"),
    ("amex 3782 822463 10005", "amex [CARD]"),
    # Luhn-invalid numbers count when a card word precedes them.
    ("ma carte 1234 5678 9012 3456 a été refusée", "ma carte [CARD] a été refusée"),
    ("CB 1234567890123456 refusée", "CB [CARD] refusée"),
    ("card number: 1234 5678 9012 3456", "card number: [CARD]"),
    ("tarjeta 1234 5678 9012 3456 rechazada", "tarjeta [CARD] rechazada"),
    ("Karte 1234 5678 9012 3456 abgelehnt", "Karte [CARD] abgelehnt"),
]
ADDRESSES = [
    ("j'habite au 12 rue de la Paix 75009 Paris depuis", "j'habite au [ADDRESS] depuis"),
    ("12 rue de la Paix, 75009 Paris", "[ADDRESS]"),
    ("livré au 3 bis avenue Jean Jaurès", "livré au [ADDRESS]"),
    ("45, boulevard Haussmann", "[ADDRESS]"),
    ("8 bd Voltaire et 9 av. Foch", "[ADDRESS] et [ADDRESS]"),
    ("je suis au 7 impasse des Lilas, 33000 Bordeaux", "je suis au [ADDRESS]"),
    ("10 allée des Tilleuls", "[ADDRESS]"),
    ("12 place de la République 69001 Lyon", "[ADDRESS]"),
    ("5 chemin du Moulin", "[ADDRESS]"),
    ("2 quai de la Tournelle", "[ADDRESS]"),
    ("14 route de Lyon", "[ADDRESS]"),
    ("3 cours Mirabeau", "[ADDRESS]"),
    ("12 rue de la paix", "[ADDRESS]"),
    ("I live at 221B Baker Street, London", "I live at [ADDRESS], London"),
    ("ship to 123 Main St please", "ship to [ADDRESS] please"),
    ("10 Downing Street", "[ADDRESS]"),
    ("5 Main Road, NW1 6XE", "[ADDRESS]"),
    ("vivo en Calle Mayor 5, 28013 Madrid", "vivo en [ADDRESS]"),
    ("C/ Alcalá 12", "[ADDRESS]"),
    ("Plaza de España 3", "[ADDRESS]"),
    ("wohne in der Hauptstraße 12, 10115 Berlin", "wohne in der [ADDRESS]"),
    ("Berliner Str. 5", "[ADDRESS]"),
    ("Bahnhofstr. 7 in München", "[ADDRESS] in München"),
]
USER_IDS = [
    ("user id: 123456", "user id: [USER_ID]"),
    ("ID utilisateur : 88123", "ID utilisateur : [USER_ID]"),
    ("mon identifiant est AB12CD34", "mon identifiant est [USER_ID]"),
    ("my account id is 55123", "my account id is [USER_ID]"),
    ("id client 99881", "id client [USER_ID]"),
    ("n° de compte 12345678", "n° de compte [USER_ID]"),
    ("numéro client 445566", "numéro client [USER_ID]"),
    ("customer id #A1B2C3", "customer id #[USER_ID]"),
    ("mi id es 778899", "mi id es [USER_ID]"),
    ("id de usuario 778899", "id de usuario [USER_ID]"),
    ("Kundennummer: 4455667 bitte", "Kundennummer: [USER_ID] bitte"),
    ("Benutzer-ID 998877", "Benutzer-ID [USER_ID]"),
]
NAMES = [
    ("je m'appelle Marie Dupont et j'ai un souci", "je m'appelle [NAME] et j'ai un souci"),
    ("je m'appelle marie dupont et j'ai un souci", "je m'appelle [NAME] et j'ai un souci"),
    ("Je m’appelle Jean-Pierre, mes pas", "Je m’appelle [NAME], mes pas"),
    ("my name is John Smith. The app crashes", "my name is [NAME]. The app crashes"),
    ("My name is John and I walk", "My name is [NAME] and I walk"),
    ("me llamo Ana García y tengo problemas", "me llamo [NAME] y tengo problemas"),
    ("mi nombre es Lucía Pérez y vivo", "mi nombre es [NAME] y vivo"),
    ("ich heiße Hans Müller und die App", "ich heiße [NAME] und die App"),
    ("mein Name ist Anna Schmidt und", "mein Name ist [NAME] und"),
    ("c'est Paul Martin ici, j'ai un souci", "c'est [NAME] ici, j'ai un souci"),
    ("super appli. Merci, Marie", "super appli. Merci, [NAME]"),
    ("Great app. Thanks, John D.", "Great app. Thanks, [NAME]"),
    ("Merci d'avance, Marie.", "Merci d'avance, [NAME]."),
    ("rien ne marche. Cordialement, Jean Dupont", "rien ne marche. Cordialement, [NAME]"),
    ("Cordialement Marie DUPONT", "Cordialement [NAME]"),
    ("Best regards, John", "Best regards, [NAME]"),
    ("Saludos, Ana García", "Saludos, [NAME]"),
    ("Viele Grüße, Hans Müller", "Viele Grüße, [NAME]"),
    ("Mit freundlichen Grüßen Hans Müller", "Mit freundlichen Grüßen [NAME]"),
]
REDACTED = EMAILS + PHONES + IBANS + CARDS + ADDRESSES + USER_IDS + NAMES

KEPT = [
    "Le 12/10/2026 à 10:30 j'ai marché",
    "depuis le 2026-10-12",
    "le 06.10.2026 à 10:00",  # a German/French date with dots is not a phone
    "Am 06.10.2026 10:00 stürzte die App ab",
    "J'ai payé 15,50 € hier",
    "1 234,56 € et €1,234.56",
    "1 000 pas aujourd'hui",
    "10000 steps today",
    "Plus de 8 000 000 de pas",
    "+5 points et +10000 pas",
    "version 4.12.0 plante",
    "appli v5.2.1 build 20261012",
    "commande 12345678",
    "ticket #87654321",
    "colis 1234567890123456",  # 16 digits, Luhn-invalid, no card word
    "j'ai 45 ans et 3 enfants",
    "06 12",
    "il reste 1 place de libre",
    "2 cours de yoga par semaine",
    "je vis à Paris",
    "I walked 3 miles down the street",
    "Spring 2026 update is great",
    "mon identifiant est perdu",
    "mon RIB est faux",
    "Je vous remercie cordialement pour votre aide",
    "Merci beaucoup",
    "Merci Beaucoup !",
    "No thanks. Uninstall.",
    "the Best App Ever",
    "Thanks a lot",
    "I looked at google.com yesterday",
    "at this point de vue",
    "Ki66iiku was also in charge",  # IBAN-shaped words that happen to pass mod-97
    "J'adore <3",
]


@pytest.mark.parametrize(("text", "expected"), REDACTED)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_redact_keeps_look_alikes(text: str) -> None:
    assert redact(text) == text


def test_iban_shaped_without_checksum_or_context_is_not_an_iban() -> None:
    # Documented limit: no checksum and no IBAN/RIB word, so it is not taken for an IBAN
    # (a UK-style phone pattern still catches part of its digits).
    assert "[IBAN]" not in redact("FR76 3000 6000 0112 3456 7890 100")


@pytest.mark.parametrize("text", [t for t, _ in REDACTED] + KEPT)
def test_redact_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


@pytest.mark.parametrize("placeholder", PLACEHOLDERS)
def test_placeholders_survive_redaction(placeholder: str) -> None:
    text = f"user id: {placeholder}, je m'appelle {placeholder}, Merci, {placeholder}"
    assert redact(text) == text
    assert redact(text, user_id=placeholder.strip("[]")) == text


def test_redact_raw_user_id() -> None:
    text = "Mon pseudo marche_2026 a perdu ses points, MARCHE_2026 aussi"
    assert redact(text, user_id="marche_2026") == (
        "Mon pseudo [USER_ID] a perdu ses points, [USER_ID] aussi"
    )


def test_redact_raw_user_id_only_whole_tokens() -> None:
    assert redact("commande 881234 et 88123", user_id="88123") == "commande 881234 et [USER_ID]"


def test_redact_ignores_short_user_ids() -> None:
    assert redact("abc et 42", user_id="abc") == "abc et 42"


def test_redact_many_kinds_in_one_text() -> None:
    text = (
        "Bonjour, je m'appelle Marie Dupont, user id: 88123. Mon email est marie.d@gmail.com, "
        "mon tél +33 6 12 34 56 78, j'habite 12 rue de la Paix 75009 Paris. IBAN FR76 3000 6000 "
        "0112 3456 7890 189, carte 4111 1111 1111 1111. Le 12/10/2026 j'ai fait 10000 pas. "
        "Merci, Marie"
    )
    assert redact(text) == (
        "Bonjour, je m'appelle [NAME], user id: [USER_ID]. Mon email est [EMAIL], "
        "mon tél [PHONE], j'habite [ADDRESS]. IBAN [IBAN], carte [CARD]. "
        "Le 12/10/2026 j'ai fait 10000 pas. Merci, [NAME]"
    )


# -- language -------------------------------------------------------------------------------------

LANGUAGES = [
    ("appli géniale je recommande", "fr"),
    ("les points ne sont pas crédités depuis hier", "fr"),
    ("mes pas ne sont plus comptés depuis la mise à jour", "fr"),
    ("impossible de me connecter à mon compte", "fr"),
    ("APPLI GÉNIALE JE RECOMMANDE", "fr"),
    ("the app keeps crashing when I open it", "en"),
    ("my steps are not counted anymore", "en"),
    ("la aplicación no funciona bien", "es"),
    ("no me cuenta los pasos desde ayer", "es"),
    ("die App stürzt ständig ab", "de"),
    ("meine Schritte werden nicht gezählt", "de"),
    ("écrivez-moi à [EMAIL] ou au [PHONE], mes points ne sont pas crédités", "fr"),
]


@pytest.mark.parametrize(("text", "language"), LANGUAGES)
def test_detect_language(text: str, language: str) -> None:
    code, probability = detect_language(text)
    assert code == language
    assert 0.5 <= probability <= 1.0
    assert probability == round(probability, 4)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ok",
        "👍👍",
        "???",
        "[EMAIL]",
        "[NAME] [PHONE] [EMAIL] [ADDRESS]",
        "super appli",  # 2 words: langdetect says "it"
        "ok merci",
        "12345 678 90",
        "https://example.com/some/long/path?x=1",
        "top top top",  # 3 words but fewer than 12 letters
        "!!! 😡😡😡 ...",
    ],
)
def test_detect_language_undetermined(text: str) -> None:
    assert detect_language(text) == ("und", 0.0)


def test_detect_language_is_deterministic_in_any_order() -> None:
    texts = [text for text, _ in LANGUAGES] + ["ça marche", "bonne appli mais trop de pubs"]
    expected = {text: detect_language(text) for text in texts}
    calls = texts * 5
    for seed in range(5):
        random.Random(seed).shuffle(calls)
        assert {text: detect_language(text) for text in calls} == expected
    assert len(calls) == 70


def test_detect_language_ignores_the_global_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    from langdetect import DetectorFactory

    text = "bonne appli mais trop de pubs"
    before = detect_language(text)
    monkeypatch.setattr(DetectorFactory, "seed", 12345)
    assert detect_language(text) == before


# -- CSAT -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("good", ("good", False)),
        ("Good", ("good", False)),
        ("satisfied", ("good", False)),
        ("Satisfait", ("good", False)),
        ("yes", ("good", False)),
        ("oui", ("good", False)),
        ("👍", ("good", False)),
        ("👍🏽", ("good", False)),
        ("bad", ("bad", True)),
        ("unsatisfied", ("bad", True)),
        ("insatisfait", ("bad", True)),
        ("no", ("bad", True)),
        ("NON", ("bad", True)),
        ("👎", ("bad", True)),
        ("1", ("1", True)),
        ("2", ("2", True)),
        ("3", ("3", False)),
        ("4", ("4", False)),
        (" 5 ", ("5", False)),
        ("4.0", ("4", False)),
        ("2/5", ("2", True)),
        ("6", ("6", True)),  # above 5: a 0-10 scale, 0-6 are detractors
        ("7", ("7", False)),
        ("10", ("10", False)),
        ("4/10", ("4", True)),
        ("0", ("0", True)),
        ("offered", (None, None)),
        ("unoffered", (None, None)),
        ("", (None, None)),
        ("   ", (None, None)),
        (None, (None, None)),
        ("11", (None, None)),
        ("6/5", (None, None)),
        ("peut-être", (None, None)),
    ],
)
def test_parse_csat(value: str | None, expected: tuple[str | None, bool | None]) -> None:
    assert parse_csat(value) == expected


# -- hashes ---------------------------------------------------------------------------------------


def test_hash_user() -> None:
    import hashlib

    expected = hashlib.sha256(b"salt\x0088123").hexdigest()[:16]
    assert hash_user("88123", salt="salt") == expected
    assert re.fullmatch(r"[0-9a-f]{16}", expected)
    assert hash_user("88123", salt="other") != expected
    # The separator keeps ("ab", "c") and ("a", "bc") apart.
    assert hash_user("c", salt="ab") != hash_user("bc", salt="a")


def test_text_hash() -> None:
    import hashlib

    assert text_hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert text_hash("pas comptés") == hashlib.sha256("pas comptés".encode()).hexdigest()


# -- normalise ------------------------------------------------------------------------------------


def test_normalise_builds_a_redacted_item() -> None:
    raw = make_raw(
        "Mes pas ne sont pas comptés depuis la mise à jour, écrivez-moi à marie.d@gmail.com",
        rating=2.0,
        csat="bad",
        country="FR",
        app_version="4.12.0",
        user_id="88123",
        channel="play",
    )
    item = normalise(raw, salt="s3cret")
    assert item == Item(
        source="play",
        external_id="r1",
        kind="review",
        text="Mes pas ne sont pas comptés depuis la mise à jour, écrivez-moi à [EMAIL]",
        text_hash=text_hash(
            "Mes pas ne sont pas comptés depuis la mise à jour, écrivez-moi à [EMAIL]"
        ),
        created_at=WHEN,
        language="fr",
        language_prob=item.language_prob,
        rating=2.0,
        csat_score="bad",
        csat_negative=True,
        country="FR",
        app_version="4.12.0",
        user_hash=hash_user("88123", salt="s3cret"),
        channel="play",
        extra={},
    )
    assert item.language_prob > 0.9


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Nul", "plante tout le temps", "Nul. plante tout le temps"),
        ("Nul !", "plante tout le temps", "Nul ! plante tout le temps"),
        ("Super.", "je recommande", "Super. je recommande"),
        ("Plante", "Plante tout le temps", "Plante tout le temps"),  # already starts with it
        ("  ", "texte", "texte"),
        (None, "texte", "texte"),
    ],
)
def test_normalise_joins_title(title: str | None, text: str, expected: str) -> None:
    assert normalise(make_raw(text, title=title), salt="s").text == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("FR", "fr"), ("fr-FR", "fr"), ("en_GB", "en"), (" es ", "es"), ("de", "de")],
)
def test_normalise_trusts_the_source_language(language: str, expected: str) -> None:
    item = normalise(make_raw("the app keeps crashing when I open it", language=language), salt="s")
    assert (item.language, item.language_prob) == (expected, 1.0)


@pytest.mark.parametrize("language", [None, "", "French", "und", "12"])
def test_normalise_detects_when_the_source_language_is_unusable(language: str | None) -> None:
    item = normalise(make_raw("the app keeps crashing when I open it", language=language), salt="s")
    assert item.language == "en"


def test_normalise_short_text_is_undetermined() -> None:
    item = normalise(make_raw("👍"), salt="s")
    assert (item.language, item.language_prob) == ("und", 0.0)


def test_normalise_without_user_id_has_no_hash() -> None:
    assert normalise(make_raw("texte"), salt="s").user_hash is None


def test_normalise_ticket_strips_history_before_redacting() -> None:
    raw = make_raw(
        "Bonjour,\nmes points ont disparu.\n\nCordialement,\nMarie Dupont\n06 12 34 56 78\n\n"
        "Le lun. 12 oct. 2026 à 10:00, Support <support@x.fr> a écrit :\n> Bonjour Marie",
        kind="ticket",
        title="Points disparus",
    )
    assert normalise(raw, salt="s").text == "Points disparus. Bonjour, mes points ont disparu."


def test_normalise_redacts_extra_values() -> None:
    extra: dict[str, Any] = {
        "reply": "Écrivez-nous à support@x.fr, Marie : 06 12 34 56 78",
        "thumbs_up": 3,
        "tags": ["points", "contact jean@x.fr"],
        "nested": {"note": "user id: 88123"},
        "missing": None,
    }
    item = normalise(make_raw("texte", extra=extra), salt="s")
    assert item.extra == {
        "reply": "Écrivez-nous à [EMAIL], Marie : [PHONE]",
        "thumbs_up": 3,
        "tags": ["points", "contact [EMAIL]"],
        "nested": {"note": "user id: [USER_ID]"},
        "missing": None,
    }
    assert extra["reply"].startswith("Écrivez-nous à support@")  # the input is not modified
    json.dumps(item.extra)  # still storable


PERSONAL = [
    "marie.dupont@gmail.com",
    "06 12 34 56 78",
    "+33 6 12 34 56 78",
    "FR76 3000 6000 0112 3456 7890 189",
    "4111 1111 1111 1111",
    "5500-0000-0000-0004",
    "12 rue de la Paix",
    "Marie Dupont",
    "mdupont_75",
]


@pytest.mark.parametrize("kind", ["ticket", "csat", "review", "survey"])
def test_normalise_leaves_no_personal_data_in_any_field(kind: str) -> None:
    text = (
        "<p>Bonjour, je m'appelle Marie Dupont (mdupont_75).</p><p>Mes points ont disparu, "
        "écrivez à marie.dupont@gmail.com ou au 06 12 34 56 78 / +33 6 12 34 56 78.</p>"
        "<p>Remboursez sur FR76 3000 6000 0112 3456 7890 189 ou la carte 4111 1111 1111 1111 "
        "(ou 5500-0000-0000-0004), 12 rue de la Paix 75009 Paris.</p>"
    )
    raw = make_raw(
        text,
        kind=kind,
        title="Contact marie.dupont@gmail.com",
        user_id="mdupont_75",
        extra={"developer_reply": "Bonjour, appelez le 06 12 34 56 78 ou marie.dupont@gmail.com"},
    )
    item = normalise(raw, salt="s")
    stored = json.dumps(
        {f.name: getattr(item, f.name) for f in dataclasses.fields(item)},
        default=str,
        ensure_ascii=False,
    )
    for value in PERSONAL:
        assert value not in stored
        assert value.replace(" ", "") not in stored.replace(" ", "")
    assert "Mes points ont disparu" in item.text
    assert item.user_hash == hash_user("mdupont_75", salt="s")
