"""A seeded corpus of personal values planted in realistic feedback, to count what redaction leaks.

Every record holds exactly one planted value of one type (name, phone, order number, ...), in one
language (fr, en, es, de) and one kind of feedback (ticket, review, survey, csat), so a leak can be
attributed. Used by tests/test_pii_corpus.py (zero leaks, through redact() and through the CLI)
and bench/pii_leaks.py (the table of leaks per type and language).

Example:
    >>> corpus = build_corpus(seed=15)
    >>> len(corpus) >= 500, leaked(corpus[0], corpus[0].text)
    (True, True)
"""

from __future__ import annotations

import functools
import random
import re
import unicodedata
from dataclasses import dataclass

TYPES = (
    "email",
    "phone",
    "iban",
    "card",
    "address",
    "user_id",
    "name",
    "order",
    "handle",
    "ip",
    "dob",
    "nir",
    "passport",
)
LANGUAGES = ("fr", "en", "es", "de")
KINDS = ("ticket", "review", "survey", "csat")
PHONE_COUNTRIES = ("fr", "be", "de", "es", "uk", "ch", "it", "nl", "at", "lu", "pt", "intl")


@dataclass(frozen=True)
class Planted:
    """One feedback text and the personal value planted in it."""

    id: str
    type: str  # one of TYPES
    language: str  # one of LANGUAGES
    kind: str  # one of KINDS
    value: str  # the planted value, as written in the text
    text: str
    form: str = ""  # the variant (phone country, name cue...)


FIRST = {
    "fr": ["Marie", "Camille", "Thomas", "Julien", "Sophie", "Nathalie", "Élodie", "Jean-Pierre"],
    "en": ["John", "Emily", "Oliver", "Charlotte", "James", "Hannah", "Sarah", "Daniel"],
    "es": ["Ana", "Lucía", "Javier", "Carmen", "Pablo", "Alejandro", "Isabel", "Mercedes"],
    "de": ["Hans", "Anna", "Jürgen", "Katrin", "Lukas", "Sabine", "Matthias", "Ursula"],
}
LAST = {
    "fr": ["Dupont", "Lefèvre", "Moreau", "Girard", "Fontaine", "Chevalier", "Rousseau", "Garnier"],
    "en": ["Smith", "Johnson", "Taylor", "Hughes", "Walker", "Wright", "Thompson", "Robinson"],
    "es": ["García", "Fernández", "López", "Martínez", "Sánchez", "Romero", "Navarro", "Ortega"],
    "de": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Wagner"],
}
BODY = {
    "fr": [
        "l'appli ne compte plus mes pas depuis la mise à jour.",
        "mes points ne sont pas crédités depuis trois jours.",
        "impossible de me connecter à mon compte.",
        "le virement de mes gains n'est jamais arrivé.",
    ],
    "en": [
        "the app stopped counting my steps after the update.",
        "my points have not been credited for three days.",
        "I cannot log in to my account anymore.",
        "the payout of my rewards never arrived.",
    ],
    "es": [
        "la aplicación ya no cuenta mis pasos desde la actualización.",
        "mis puntos no se acreditan desde hace tres días.",
        "no puedo iniciar sesión en mi cuenta.",
        "la transferencia de mis premios nunca llegó.",
    ],
    "de": [
        "die App zählt meine Schritte seit dem Update nicht mehr.",
        "meine Punkte werden seit drei Tagen nicht gutgeschrieben.",
        "ich kann mich nicht mehr in mein Konto einloggen.",
        "die Auszahlung meiner Prämien ist nie angekommen.",
    ],
}
GREETING = {"fr": "Bonjour,", "en": "Hello,", "es": "Hola,", "de": "Hallo,"}

# Sentences that carry a value: {v}. A template starting with "\n" must end the text.
SENTENCES: dict[str, dict[str, list[str]]] = {
    "email": {
        "fr": ["Écrivez-moi à {v} svp.", "mon adresse mail : {v}"],
        "en": ["Please email me at {v} asap.", "my email is {v}"],
        "es": ["Escríbeme a {v} por favor.", "mi correo es {v}"],
        "de": ["Schreiben Sie mir an {v} bitte.", "meine E-Mail: {v}"],
    },
    "phone": {
        "fr": ["Appelez-moi au {v} svp.", "mon numéro : {v}", "joignable au {v}, le soir."],
        "en": ["Call me on {v} please.", "my number is {v}", "reach me at {v}, after 6pm."],
        "es": [
            "Llámame al {v} por la tarde.",
            "mi teléfono es {v}",
            "estoy en el {v}, por la tarde.",
        ],
        "de": [
            "Rufen Sie mich an: {v} bitte.",
            "meine Nummer ist {v}",
            "erreichbar unter {v}, abends.",
        ],
    },
    "iban": {
        "fr": ["Remboursez sur {v} svp.", "mon IBAN est {v}"],
        "en": ["Refund to {v} please.", "my IBAN is {v}"],
        "es": ["Devolvedlo a {v} por favor.", "mi IBAN es {v}"],
        "de": ["Bitte auf {v} erstatten.", "meine IBAN ist {v}"],
    },
    "card": {
        "fr": ["j'ai payé avec {v} et rien.", "ma carte {v} a été débitée deux fois."],
        "en": ["I paid with {v} and nothing.", "my card {v} was charged twice."],
        "es": ["pagué con {v} y nada.", "mi tarjeta {v} fue cobrada dos veces."],
        "de": ["ich habe mit {v} bezahlt und nichts.", "meine Karte {v} wurde doppelt belastet."],
    },
    "address": {
        "fr": ["Envoyez le colis au {v} svp.", "j'habite {v} depuis peu."],
        "en": ["Send the parcel to {v} please.", "I live at {v} now."],
        "es": ["Enviad el paquete a {v} por favor.", "vivo en {v} desde hace poco."],
        "de": ["Schicken Sie das Paket an {v} bitte.", "ich wohne in der {v} seit kurzem."],
    },
    "user_id": {
        "fr": ["mon identifiant est {v} merci.", "ID utilisateur : {v}"],
        "en": ["my user id is {v} thanks.", "customer id: {v}"],
        "es": ["mi id de usuario es {v} gracias.", "id de cliente {v}"],
        "de": ["meine Kundennummer ist {v} danke.", "Benutzer-ID {v}"],
    },
    "order": {
        "fr": ["ma commande n° {v} n'est pas arrivée.", "numéro de commande {v} bloqué."],
        "en": ["my order #{v} never arrived.", "order number {v} is stuck."],
        "es": ["mi pedido nº {v} no llegó.", "número de pedido {v} bloqueado."],
        "de": ["meine Bestellung Nr. {v} kam nie an.", "Bestellnummer {v} hängt fest."],
    },
    "handle": {
        "fr": ["suivez-moi sur Instagram {v} pour voir.", "mon pseudo twitter {v} a tout posté."],
        "en": ["DM me on Twitter {v} for details.", "my Instagram is {v} if you need it."],
        "es": ["escríbeme en Instagram {v} para más.", "mi usuario es {v} en Twitter."],
        "de": ["schreibt mir auf Instagram {v} bitte.", "mein Twitter ist {v} falls nötig."],
    },
    "ip": {
        "fr": ["mon adresse IP est {v} si ça aide.", "bloqué depuis l'IP {v} hier."],
        "en": ["my IP address is {v} if it helps.", "blocked from {v} yesterday."],
        "es": ["mi dirección IP es {v} por si ayuda.", "bloqueado desde la IP {v} ayer."],
        "de": ["meine IP-Adresse ist {v} falls es hilft.", "gesperrt von {v} gestern."],
    },
    "dob": {
        "fr": ["je suis née le {v} et l'appli refuse.", "date de naissance : {v}"],
        "en": ["I was born on {v} and the app refuses.", "DOB: {v}"],
        "es": ["fecha de nacimiento: {v} y la app lo rechaza.", "nací el {v}"],
        "de": ["ich bin geboren am {v} und die App lehnt ab.", "Geburtsdatum: {v}"],
    },
    "nir": {
        "fr": [
            "mon numéro de sécurité sociale est {v} merci.",
            "voici mon NIR {v} pour le dossier.",
        ],
        "en": ["my French social security number is {v} thanks.", "here is my NIR {v}."],
        "es": ["mi número de la seguridad social francesa es {v}.", "mi NIR es {v}."],
        "de": ["meine französische Sozialversicherungsnummer ist {v}.", "meine NIR ist {v}."],
    },
    "passport": {
        "fr": ["mon passeport n° {v} a été refusé.", "numéro de passeport : {v}"],
        "en": ["my passport number is {v} and it was rejected.", "passport no. {v}"],
        "es": ["mi pasaporte {v} fue rechazado.", "número de pasaporte: {v}"],
        "de": ["mein Reisepass {v} wurde abgelehnt.", "Reisepassnummer: {v}"],
    },
}
# Names: (form, template, "full" or "first"). Every form of the issue: self-introductions,
# greetings, sign-offs inside a line or on their own lines, and a name alone on the last line.
NAME_FORMS: dict[str, list[tuple[str, str, str]]] = {
    "fr": [
        ("intro", "je suis {v} et j'ai un souci.", "full"),
        ("intro", "Je suis {v}, cliente depuis 2020.", "first"),
        ("cest", "c'est {v}, je vous écris encore.", "first"),
        ("greeting", "Bonjour, ici {v}. Rien ne marche.", "first"),
        ("appelle", "je m'appelle {v} et je marche beaucoup.", "full"),
        ("signoff", "\nBonne journée,\n{v}", "full"),
        ("signoff", " Merci, {v}", "first"),
        ("signoff", " Cordialement, {v}", "full"),
        ("last_line", "\n{v}", "full"),
        ("last_line", "\n{v}", "first"),
    ],
    "en": [
        ("intro", "this is {v} and I have a problem.", "full"),
        ("intro", "Hi, this is {v}. Nothing works.", "first"),
        ("intro", "I am {v} and I walk a lot.", "first"),
        ("intro", "I'm {v}, a user since 2020.", "full"),
        ("myname", "my name is {v} and I walk a lot.", "full"),
        ("signoff", "\nCheers,\n{v}", "first"),
        ("signoff", " Thanks, {v}", "full"),
        ("signoff", " Best regards, {v}", "full"),
        ("last_line", "\n{v}", "full"),
        ("last_line", "\n{v}", "first"),
    ],
    "es": [
        ("intro", "soy {v} y tengo un problema.", "full"),
        ("intro", "Hola, soy {v}. Nada funciona.", "first"),
        ("mellamo", "me llamo {v} y camino mucho.", "full"),
        ("signoff", "\nSaludos,\n{v}", "full"),
        ("signoff", " Gracias, {v}", "first"),
        ("signoff", "\nUn saludo\n{v}", "first"),
        ("last_line", "\n{v}", "full"),
        ("last_line", "\n{v}", "first"),
    ],
    "de": [
        ("intro", "ich bin {v} und habe ein Problem.", "full"),
        ("intro", "Hallo, hier ist {v}. Nichts geht.", "first"),
        ("intro", "Hier ist {v}, Kundin seit 2020.", "full"),
        ("heisse", "ich heiße {v} und laufe viel.", "full"),
        ("signoff", "\nViele Grüße,\n{v}", "full"),
        ("signoff", "\nGrüße\n{v}", "first"),
        ("signoff", " Danke, {v}", "first"),
        ("last_line", "\n{v}", "full"),
        ("last_line", "\n{v}", "first"),
    ],
}


def build_corpus(seed: int = 15, per_cell: int = 3) -> list[Planted]:
    """``per_cell`` planted values for every type, language and kind (13 x 4 x 4 x 3 = 624).

    Example:
        >>> {p.type for p in build_corpus()} == set(TYPES)
        True
    """
    rng = random.Random(seed)
    corpus: list[Planted] = []
    counter = 0
    for type_ in TYPES:
        for language in LANGUAGES:
            for kind in KINDS:
                for _ in range(per_cell):
                    counter += 1
                    value, sentence, form = _value_and_sentence(rng, type_, language, counter)
                    text = _feedback(rng, kind, language, sentence.format(v=value))
                    corpus.append(
                        Planted(f"p{counter:04d}", type_, language, kind, value, text, form)
                    )
    return corpus


def leaked(planted: Planted, text: str) -> bool:
    """Whether any part of the planted value that identifies someone is still in ``text``.

    Names leak by any of their words; values with digits leak also with separators removed
    ("06 12 34 56 78" as "0612345678"); handles leak without their "@" too.
    """
    value = planted.value
    if value in text:
        return True
    if planted.type == "name":
        return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text) for w in value.split())
    if planted.type == "handle":
        return re.search(rf"(?<!\w){re.escape(value.lstrip('@'))}(?!\w)", text) is not None
    if planted.type == "email":
        return value.split("@")[0] in text
    if any(char.isdigit() for char in value):
        compact = _compact(value)
        return len(compact) >= 6 and compact in _compact(text)
    return False


def _compact(text: str) -> str:
    return re.sub(r"[\s.\-/()]", "", text)


def _feedback(rng: random.Random, kind: str, language: str, sentence: str) -> str:
    body, other = rng.sample(BODY[language], 2)
    at_end = sentence.startswith(("\n", " "))
    if kind == "ticket":
        middle = f"{_cap(body)}{sentence}" if at_end else f"{_cap(body)} {sentence} {_cap(other)}"
        return f"{GREETING[language]}\n{middle}"
    if kind == "review":
        return f"{_cap(body)}{sentence}" if at_end else f"{_cap(body)} {sentence} {_cap(other)}"
    if kind == "survey":
        return f"{_cap(body)}{sentence}" if at_end else f"{_cap(sentence)} {_cap(other)}"
    return f"{_cap(other)}{sentence}" if at_end else _cap(sentence)  # csat: one short comment


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _value_and_sentence(
    rng: random.Random, type_: str, language: str, counter: int
) -> tuple[str, str, str]:
    if type_ == "name":
        form, template, size = NAME_FORMS[language][counter % len(NAME_FORMS[language])]
        first, last = rng.choice(FIRST[language]), rng.choice(LAST[language])
        return (f"{first} {last}" if size == "full" else first), template, f"{form}:{size}"
    sentence = rng.choice(SENTENCES[type_][language])
    if type_ == "phone":
        country = PHONE_COUNTRIES[counter % len(PHONE_COUNTRIES)]
        return _phone(rng, country), sentence, country
    make = {
        "email": _email,
        "iban": _iban,
        "card": _card,
        "address": _address,
        "user_id": _user_id,
        "order": _order,
        "handle": _handle,
        "ip": _ip,
        "dob": _dob,
        "nir": _nir,
        "passport": _passport,
    }[type_]
    value, form = make(rng, language)
    return value, sentence, form


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def _phone(rng: random.Random, country: str) -> str:
    d = functools.partial(_digits, rng)
    formats = {
        "fr": [f"0{rng.choice('1234567')} {d(2)} {d(2)} {d(2)} {d(2)}", f"06.{d(2)}.{d(2)}.{d(2)}.{d(2)}"],
        "be": [f"04{rng.choice('789')}{d(1)} {d(2)} {d(2)} {d(2)}", f"02 {d(3)} {d(2)} {d(2)}",
               f"04{rng.choice('789')}{d(1)}/{d(2)}.{d(2)}.{d(2)}", f"0{rng.choice('56789')}{d(1)} {d(2)} {d(2)} {d(2)}"],
        "de": [f"030 {d(8)}", f"0{rng.choice('2345689')}{d(1)} {d(7)}", f"(030) {d(8)}",
               f"0{rng.choice('2345689')}{d(2)}/{d(6)}", f"015{rng.choice('123')} {d(8)}"],
        "es": [f"9{rng.choice('1345')} {d(3)} {d(2)} {d(2)}", f"6{d(2)} {d(3)} {d(3)}",
               f"9{d(2)} {d(3)} {d(3)}", f"6{d(2)} {d(2)} {d(2)} {d(2)}"],
        "uk": [f"(020) {d(4)} {d(4)}", f"020 {d(4)} {d(4)}", f"07{d(3)} {d(6)}", f"0161 {d(3)} {d(4)}"],
        "ch": [f"0{rng.choice('2346')}{d(1)} {d(3)} {d(2)} {d(2)}", f"07{rng.choice('6789')} {d(3)} {d(2)} {d(2)}"],
        "it": [f"02 {d(4)} {d(4)}", f"06 {d(8)}", f"3{d(2)} {d(3)} {d(4)}", f"3{d(2)} {d(7)}"],
        "nl": [f"020 {d(3)} {d(4)}", f"06-{d(8)}", f"010-{d(7)}", f"06 {d(8)}"],
        "at": [f"01 {d(3)} {d(4)}", f"066{d(1)} {d(7)}", f"0316 {d(6)}", f"0676 {d(3)} {d(2)} {d(2)}"],
        "lu": [f"6{rng.choice('2569')}1 {d(3)} {d(3)}", f"{rng.choice('2345')}{d(1)} {d(2)} {d(2)} {d(2)}"],
        "pt": [f"2{d(1)} {d(3)} {d(4)}", f"9{rng.choice('1236')}{d(1)} {d(3)} {d(3)}"],
        "intl": [f"+33 6 {d(2)} {d(2)} {d(2)} {d(2)}", f"+32 4{d(2)} {d(2)} {d(2)} {d(2)}",
                 f"+49 (0)30 {d(8)}", f"+44 20 {d(4)} {d(4)}", f"0034 6{d(2)} {d(3)} {d(3)}",
                 f"+41 79 {d(3)} {d(2)} {d(2)}", f"+39 06 {d(4)} {d(4)}", f"+31 6 {d(8)}",
                 f"+43 664 {d(7)}", f"+352 621 {d(3)} {d(3)}", f"+351 912 {d(3)} {d(3)}"],
    }  # fmt: skip
    return rng.choice(formats[country])


def _mod97_check(country: str, bban: str) -> str:
    numeric = "".join(str(int(char, 36)) for char in bban + country + "00")
    return f"{98 - int(numeric) % 97:02d}"


def _iban(rng: random.Random, language: str) -> tuple[str, str]:
    country, size = {"fr": ("FR", 23), "en": ("GB", 0), "es": ("ES", 20), "de": ("DE", 18)}[
        language
    ]
    bban = "WEST" + _digits(rng, 14) if country == "GB" else _digits(rng, size)
    iban = country + _mod97_check(country, bban) + bban
    if rng.random() < 0.3:
        return iban, "compact"
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)), "grouped"


def _card(rng: random.Random, language: str) -> tuple[str, str]:
    body = rng.choice("45") + _digits(rng, 14)
    for check in "0123456789":
        total = 0
        for position, char in enumerate(reversed(body + check)):
            value = int(char) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            break
    number = body + check
    separator = rng.choice([" ", "-", ""])
    return separator.join(number[i : i + 4] for i in range(0, 16, 4)), "luhn"


def _address(rng: random.Random, language: str) -> tuple[str, str]:
    n = rng.randint(2, 180)
    streets = {
        "fr": [f"{n} rue des Lilas", f"{n} avenue Victor Hugo", f"{n} boulevard Voltaire 75011 Paris"],
        "en": [f"{n} Baker Street", f"{n} Elm Road", f"{n} Church Lane"],
        "es": [f"Calle Mayor {n}", f"Avenida de la Constitución {n}", f"Calle Alcalá {n}, 28013 Madrid"],
        "de": [f"Hauptstraße {n}", f"Berliner Str. {n}", f"Bahnhofstraße {n}, 10115 Berlin"],
    }  # fmt: skip
    return rng.choice(streets[language]), "street"


def _user_id(rng: random.Random, language: str) -> tuple[str, str]:
    letters = "".join(rng.choice("ABCDEFGHJKMNPQRSTUVWXYZ") for _ in range(2))
    return letters + _digits(rng, 6), "id"


def _order(rng: random.Random, language: str) -> tuple[str, str]:
    letters = "".join(rng.choice("ABCDEFGHJKMNPQRSTUVWXYZ") for _ in range(3))
    return rng.choice(
        [letters + _digits(rng, 6), _digits(rng, 9), f"{letters}-{_digits(rng, 7)}"]
    ), "order"


def _handle(rng: random.Random, language: str) -> tuple[str, str]:
    first = _ascii(rng.choice(FIRST[language])).lower().replace("-", "")
    last = _ascii(rng.choice(LAST[language])).lower()
    return f"@{first}_{last}{rng.randint(1, 99)}", "handle"


def _email(rng: random.Random, language: str) -> tuple[str, str]:
    first = _ascii(rng.choice(FIRST[language])).lower().replace("-", "")
    last = _ascii(rng.choice(LAST[language])).lower()
    domain = rng.choice(["gmail.com", "orange.fr", "web.de", "hotmail.es", "yahoo.co.uk"])
    return f"{first}.{last}{rng.randint(1, 99)}@{domain}", "email"


def _ip(rng: random.Random, language: str) -> tuple[str, str]:
    if rng.random() < 0.6:
        return ".".join(str(rng.randint(1, 254)) for _ in range(4)), "v4"
    groups = [f"{rng.randint(1, 0xFFFF):x}" for _ in range(8)]
    if rng.random() < 0.5:
        return "2001:db8::" + ":".join(groups[:3]), "v6-short"
    return ":".join(groups), "v6-full"


_MONTH_NAMES = {
    "fr": ["janvier", "mars", "mai", "juillet", "octobre", "décembre"],
    "en": ["January", "March", "May", "July", "October", "December"],
    "es": ["enero", "marzo", "mayo", "julio", "octubre", "diciembre"],
    "de": ["Januar", "März", "Mai", "Juli", "Oktober", "Dezember"],
}


def _dob(rng: random.Random, language: str) -> tuple[str, str]:
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1940, 2008)
    name = rng.choice(_MONTH_NAMES[language])
    forms = {
        "fr": [f"{day:02d}/{month:02d}/{year}", f"{day} {name} {year}"],
        "en": [f"{day:02d}/{month:02d}/{year}", f"{name} {day}, {year}", f"{year}-{month:02d}-{day:02d}"],
        "es": [f"{day:02d}/{month:02d}/{year}", f"{day} de {name} de {year}"],
        "de": [f"{day:02d}.{month:02d}.{year}", f"{day}. {name} {year}"],
    }  # fmt: skip
    return rng.choice(forms[language]), "date"


def _nir(rng: random.Random, language: str) -> tuple[str, str]:
    sex, year, month = rng.choice("12"), f"{rng.randint(40, 99):02d}", f"{rng.randint(1, 12):02d}"
    department = f"{rng.randint(1, 95):02d}"
    commune, order = _digits(rng, 3), _digits(rng, 3)
    body = sex + year + month + department + commune + order
    key = f"{97 - int(body) % 97:02d}"
    if rng.random() < 0.2:
        return body + key, "compact"
    return f"{sex} {year} {month} {department} {commune} {order} {key}", "spaced"


def _passport(rng: random.Random, language: str) -> tuple[str, str]:
    letters = "ABCDEFGHJKLMNPRTVWXYZ"
    forms = {
        "fr": _digits(rng, 2) + "".join(rng.choice(letters) for _ in range(2)) + _digits(rng, 5),
        "en": _digits(rng, 9),
        "es": "".join(rng.choice(letters) for _ in range(3)) + _digits(rng, 6),
        "de": rng.choice("CFGHJK")
        + "".join(rng.choice(letters + "0123456789") for _ in range(7))
        + rng.choice("0123456789"),
    }
    return forms[language], "number"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
