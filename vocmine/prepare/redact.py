"""Redact personal data: emails, phones, IBANs, cards, addresses, user ids, names, order numbers,
handles, IP addresses, dates of birth, French social security numbers (NIR) and passports.

Personal data must never be stored, so every text is redacted before it is; the placeholders
keep the sentence readable for people and the embedder. Every regex is compiled once, at import,
and written so that its work stays linear in the text (bounded or possessive repeats).

Example:
    >>> redact("Écrivez-moi à jean.dupont@gmail.com ou au 06 12 34 56 78")
    'Écrivez-moi à [EMAIL] ou au [PHONE]'
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import re
from collections.abc import Sequence

from vocmine.prepare.clean import (
    _COMMON_CAPS,
    _NAME,
    _NAME_WORD,
    _NOT_NAMES,
    _SIGNOFF_STRONG,
    _THANKS,
    _UPPER,
    _WISHES,
)

PLACEHOLDERS = (
    "[EMAIL]",
    "[PHONE]",
    "[IBAN]",
    "[CARD]",
    "[ADDRESS]",
    "[USER_ID]",
    "[NAME]",
    "[ORDER]",
    "[HANDLE]",
    "[IP]",
    "[DOB]",
    "[NIR]",
    "[PASSPORT]",
)

# -- redaction ----------------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![\w.+%-])[\w.+%-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[^\W\d_]{2,24}(?![\w-])"
)
_AT_STRONG = r"(?:\s*[(\[{<]\s*(?:at|arobase)\s*[)\]}>]\s*|\s*@\s*|\s+arobase\s+)"
_DOT_WORD = r"(?:\s*[(\[{<]\s*(?:dot|point)\s*[)\]}>]\s*|\s+(?:dot|point)\s+)"
# "jean (at) gmail (dot) com", "jean arobase gmail point com"; a bare " at " needs a spelled-out
# dot too, or "I looked at google.com" would go.
_EMAIL_OBFUSCATED_RE = re.compile(
    rf"(?i)(?<![\w.+%-])[\w.+%-]{{1,64}}(?:{_AT_STRONG}[\w-]{{1,63}}"
    rf"(?:(?:{_DOT_WORD}|\.)[\w-]{{1,63}}){{0,3}}(?:{_DOT_WORD}|\.)"
    rf"|\s+at\s+[\w-]{{1,63}}(?:{_DOT_WORD}[\w-]{{1,63}}){{0,3}}{_DOT_WORD})"
    r"(?:com|fr|net|org|es|de|eu|be|ch|io|co|uk|info|me)(?![\w-])"
)
_IBAN_RE = re.compile(r"(?i)(?<!\w)[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}")
_IBAN_CONTEXT_RE = re.compile(
    r"(?i)\b(?:iban|rib)\b[^\w\n]{0,4}(?:(?:est|is|es|ist|n[°º]|number|numéro)\b[^\w\n]{0,4})?"
    r"(?P<value>[A-Z0-9]{2,}(?:[ ][A-Z0-9]{2,}){0,9})"
)
_CARD_RE = re.compile(
    r"(?<![\d.,])(?:\d{13,19}|\d{4}(?:[ -]\d{4}){2,4}(?:[ -]\d{1,3})?|\d{4}[ -]\d{6}[ -]\d{4,5})"
    r"(?![\d])"
)
_CARD_CONTEXT_RE = re.compile(
    r"(?i)\b(?:carte|card|cb|tarjeta|karte|kreditkarte|visa|mastercard|amex)\b[^\d\n]{0,25}$"
)
# International numbers: "+" or "00", a country code, then digit groups; the digit count decides.
_PHONE_INTL_RE = re.compile(
    r"(?<![\w+])(?:\+|00)[1-9]\d*+(?:(?:[ ]?/[ ]?|[ .-]|[ ]?\(\d{1,4}\)[ ]?)\d++){0,7}"
)
# National formats. One separator throughout, so "06.10.2026 10:00" stays a date.
_PHONE_NATIONAL_RE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:0|\(0\)\s?)[1-9](?P<fr>[ .-]?)\d{2}(?:(?P=fr)\d{2}){3}"  # France: 06 12 34 56 78
    r"|[6-9]\d{2}(?P<es>[ .-]?)\d{3}(?P=es)\d{3}"  # Spain, Portugal, Luxembourg: 612 345 678
    r"|[6-9]\d{2}(?P<es2>[ .-])\d{2}(?P=es2)\d{2}(?P=es2)\d{2}"  # Spain: 612 34 56 78
    r"|[89]\d(?P<es3>[ .-])\d{3}(?P=es3)\d{2}(?P=es3)\d{2}"  # Spain landline: 91 123 45 67
    r"|2\d(?P<pt>[ .-])\d{3}(?P=pt)\d{4}"  # Portugal landline: 21 123 4567
    r"|3\d{2}(?P<it>[ .-]?)\d{3}(?P=it)\d{3,4}|3\d{2}[ .-]?\d{7}"  # Italy mobile: 312 345 6789
    r"|[2-8]\d(?P<lu>[ .-])\d{2}(?P=lu)\d{2}(?P=lu)\d{2}"  # Luxembourg landline: 26 12 34 56
    r"|01[5-7]\d{1,2}[ /-]?\d{6,8}"  # Germany mobile: 0151 23456789
    r"|0(?:7\d{3}[ ]?\d{6}|[1-9]\d{1,3}[ ]\d{3,4}[ ]\d{4})"  # UK: 07700 900123, 020 7946 0958
    r"|(?:\(\d{3}\)[ ]?|\d{3}[-.])\d{3}[-.]\d{4}"  # North America: (555) 123-4567
    r")(?!\d)"
)
# Trunk-prefixed numbers of every country with a leading 0 (be, de, uk, ch, it, nl, at, fr):
# an area code, maybe in brackets or followed by "/", then digit groups with one separator.
# The digit count decides (9 to 13), so dates ("06.10.2026") and short numbers stay.
_PHONE_TRUNK_RE = re.compile(
    r"(?<![\w+.,/])(?:\(0\d{1,4}\)[ ]?|0\d{1,4}(?:[ ]?/[ ]?|[ .-])?)"
    r"\d{2,8}(?:(?P<sep>[ .-])\d{2,8}(?:(?P=sep)\d{2,8}){0,3})?(?!\d|[.,]\d)"
)
# After a telephone word, any run of digit groups with 6 digits or more (short Luxembourg
# numbers, odd groupings). "numéro"/"number" are not phone words: they precede ids too.
_PHONE_CONTEXT_RE = re.compile(
    r"(?i)\b(?:t[ée]l[ée]phone|t[ée]l(?:[ée]f)?|tel[ée]fono|telefon(?:nummer)?|phone|mobile|cell"
    r"|portable|handy|m[óo]vil|gsm|whatsapp|fixe|festnetz|call\s+me(?:\s+on)?|appelez(?:-moi)?"
    r"|rappelez(?:-moi)?|ll[áa]mame|ruf(?:en\s+sie)?\s+(?:mich\s+)?an)\b\.?"
    r"(?:\s*(?:[:=]|est|is|es|ist|au|at|on|al|unter|:)){0,3}\s*"
    r"(?P<value>\+?\(?\d[\d]{0,4}\)?(?:[ ./-]{1,2}\(?\d{1,6}\)?){0,6})(?![\d])"
)
_PHONE_MIN_DIGITS = 9

_WORD_ANY = r"[^\W\d_][\w'’-]*"
_WORD_CAP = rf"[{_UPPER}][\w'’-]*"
_PARTICLES = r"(?:(?i:de|du|des|la|le|les|aux|au|à|sur|en|saint|sainte|st|ste|del|y)\s+|[dlDL]['’])"
_FR_POSTCODE_CITY = (
    rf"(?:,?\s*\d{{5}}(?:\s+{_WORD_ANY}(?:[ -]{_WORD_CAP}){{0,2}}"
    r"(?:\s+(?i:cedex)(?:\s+\d{1,2})?)?)?)?"
)
_ADDRESS_RES = (
    # French: number first, then the kind of street; common words ("place", "cours") need a
    # capitalised name so that "1 place de libre" or "2 cours de yoga" stay.
    re.compile(
        r"(?<![\w,.])\d{1,4}[A-Za-z]?(?:\s+(?i:bis|ter|quater))?,?\s+(?:"
        r"(?i:rue|avenue|av\.|ave\.?|boulevard|bd|blvd|allée|allee|impasse|quai|square|passage"
        rf"|faubourg|chaussée|lotissement|résidence)\s+{_PARTICLES}*{_WORD_ANY}"
        r"|(?i:place|pl\.|chemin|route|rte|cours|sentier|voie|hameau|rond-point)\s+"
        rf"{_PARTICLES}*{_WORD_CAP})(?:[ -]{_PARTICLES}*{_WORD_CAP}){{0,3}}{_FR_POSTCODE_CITY}"
    ),
    # English: number, capitalised name, kind of street; optional UK postcode.
    re.compile(
        rf"(?<![\w,.])\d{{1,5}}[A-Za-z]?\s+(?:{_WORD_CAP}\s+){{1,3}}(?i:street|st|road|rd"
        r"|avenue|ave|lane|ln|drive|dr|boulevard|blvd|court|ct|way|terrace|close|crescent|square"
        r"|place)\b\.?"
        r"(?:,?\s+[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b)?"
    ),
    # Spanish: kind of street, name, number, optional floor and postcode + city.
    re.compile(
        r"(?<!\w)(?i:calle|c/|avenida|avda\.?|av\.|paseo|plaza|pza\.?|camino|carrer|ronda"
        rf"|travesía)\s*{_PARTICLES}*{_WORD_CAP}(?:\s+{_PARTICLES}*{_WORD_CAP}){{0,3}},?\s+"
        r"(?:(?i:n[º°o])\.?\s*)?\d{1,4}[A-Za-z]?\b(?:,?\s*\d{1,2}\s?[º°ª]\s?[A-Za-z]?)?"
        rf"(?:,?\s*\d{{5}}(?:\s+{_WORD_CAP})?)?"
    ),
    # German: "Hauptstraße 12", "Berliner Str. 5", optional postcode + city.
    re.compile(
        r"(?<!\w)(?:[A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|str\.|weg|allee|platz|gasse|damm|ufer)"
        r"|[A-ZÄÖÜ][a-zäöüß]+\s+(?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Damm))"
        rf"\s*\d{{1,3}}(?:\s?[a-zA-Z])?(?!\w)(?:,?\s*\d{{5}}(?:\s+{_WORD_CAP})?)?"
    ),
)
_USER_ID_WORDS = (
    r"user[\s_-]?id|user\s+number|(?:account|customer|client|member)[\s_-]?(?:id|number|no\.?)"
    r"|id\s+(?:de\s+)?(?:utilisateur|client|membre|compte|usuario|cliente|cuenta)"
    r"|identifiant(?:\s+(?:utilisateur|client|de\s+compte))?|identificador"
    r"|(?:numéro|numero|num\.?|n°|nº|no)\s*(?:de\s+)?(?:client|compte|membre|adhérent|utilisateur"
    r"|usuario|cliente|cuenta|socio)"
    r"|(?:benutzer|nutzer|kunden|konto|mitglieds)[\s-]?(?:id|nummer|nr\.?)"
    r"|(?:my|mon|ma|mi|meine?)\s+(?:[^\W\d_]+\s+){0,2}?(?:id|identifiant|identificador|nummer)\b"
    r"|id(?=\s*[:#])"
)
_USER_ID_CONTEXT_RE = re.compile(
    rf"(?i)\b(?:{_USER_ID_WORDS})"
    # "Mon id Marcheo c'est 7091869": the product's name may stand between the id and the value.
    r"(?:\s+(?!(?:c['’]est|est|is|es|ist|lautet)\b)[^\W\d_]{2,}){0,2}?"
    r"(?:\s*+(?:c['’]est|est|is|es|ist|lautet|[:=#]|n[°º]|no\.|nr\.)){0,3}\s*+"
    r"(?P<value>(?=[A-Za-z_-]*\d)[A-Za-z0-9][A-Za-z0-9_-]{2,63})(?![\w@])"
)
_INTRO_RE = re.compile(
    r"(?i:\b(?:je\s+m['’]appelle|my\s+name\s+is|me\s+llamo|mi\s+nombre\s+es|ich\s+hei(?:ß|ss)e"
    r"|mein\s+name\s+ist))\s+(?P<words>[^\W\d_]+(?:[-'’][^\W\d_]+)*\.?"
    r"(?:\s+[^\W\d_]+(?:[-'’][^\W\d_]+)*\.?){0,2})"
)
_INTRO_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*\.?")
_CEST_ICI_RE = re.compile(
    rf"(?i:\bc['’]est)\s+(?P<name>{_NAME})(?=\s+(?i:ici|à\s+l['’]appareil)\b)"
)
_SIGNOFF_NAME_RE = re.compile(rf"(?i:\b(?:{_SIGNOFF_STRONG}))\s*[,.!:-]*\s+(?P<name>{_NAME})(?!\w)")
# "Merci, Marie" at the very end (placeholders may follow). The comma is required: without it
# the word after "thanks" was a brand far more often than a person in real reviews ("Thanks Viber").
_TRAILING_NAME_RE = re.compile(
    rf"(?i:\b(?:{_SIGNOFF_STRONG}|cdlt|salutations|regards|mfg)\s*[,.!:-]*|\b(?:{_THANKS})\s*,)"
    rf"\s*(?P<name>{_NAME})\s*[.!]?(?:\s*\[[A-Z_]+\])*\s*$"
)

# Self-introductions and greetings: the words after them are a name only when capitalised and
# not a common capitalised word ("je suis très déçu", "this is broken", "ich bin Kunde" stay).
# No comma after a greeting: "Bonjour,\nL'appli plante" is a new sentence once lines are joined.
_INTRO_CAP_RE = re.compile(
    r"(?i:\b(?:je\s+suis|moi\s+c['’]est|c['’]est|ici|this\s+is|i\s+am|i['’]m|here\s+is"
    r"|soy|aqu[íi]|le\s+habla|te\s+habla|ich\s+bin|hier\s+ist|hier\s+spricht|hier\s+schreibt"
    r"|bonjour|bonsoir|salut|coucou|cher|ch[èe]re|hello|hi|hey|dear|hola|buenos\s+d[íi]as"
    r"|buenas\s+tardes|buenas|estimad[oa]|querid[oa]|hallo|servus|moin|liebe|lieber|guten\s+tag"
    r"|sehr\s+geehrte[r]?(?:\s+(?:herr|frau))?))[ \t]+"
    rf"(?P<words>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})"
)
_ELIDED_RE = re.compile(r"(?i)(?:[cdjlmnst]|qu)['’]")
# A sign-off followed by a name anywhere: "Bonne journée, Marie", "Cheers, John.", "Grüße Hans".
# After thanks a comma is required ("Thanks Viber" is a brand); the name must end a sentence.
_SIGNOFF_WORDS = (
    rf"{_SIGNOFF_STRONG}|{_WISHES}|cdlt|salutations|regards|best|cheers|mfg|lg|vg|gr(?:ü|ue)(?:ß|ss)e?"
    r"|bises|bisous|biz|amicalement|ciao|tsch(?:ü|ue)ss|abrazos|un\s+abrazo|besos|xoxo"
)
_SIGNOFF_ANY_RE = re.compile(
    rf"(?i:\b(?:{_SIGNOFF_WORDS})\s*[,.!:;-]*|\b(?:{_THANKS})\s*[,;-])[ \t]*"
    rf"(?P<words>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})"
    r"(?=[ \t]*(?:[.!?;)]|\[[A-Z_]+\]|$))"
)
# Order numbers: a word for an order, a number sign, a value with a digit.
_ORDER_RE = re.compile(
    r"(?i)\b(?:(?:order|commande|pedido|bestellung|auftrag|encomenda|ordine)"
    r"(?:\s+(?:number|num[ée]ro|n[úu]mero|nummer|numero|id|ref))?\s*(?:n[°º]\.?|#|no\.?|nr\.?|:)"
    r"|(?:order\s+(?:number|id|ref)|num[ée]ro\s+de\s+commande|n[°º]\s*de\s+commande"
    r"|r[ée]f[ée]rence\s+(?:de\s+)?commande|n[úu]mero\s+de\s+pedido|bestell-?(?:nummer|nr\.?)"
    r"|auftragsnummer)\s*(?:[:#]|n[°º])?)"
    r"\s*(?P<value>(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{2,39})(?![\w@])"
)
_HANDLE_RE = re.compile(r"(?<![\w@.\[])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,38}[A-Za-z0-9_])?(?!\w)")
_IPV4_RE = re.compile(
    r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
    r"(?:/\d{1,2})?(?![\w]|\.\d)"
)
_VERSION_BEFORE_RE = re.compile(r"(?i)\b(?:version|versi[óo]n|build|release|update|app|v)\W{0,3}$")
_IPV6_RE = re.compile(
    r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?::(?:\d{1,3}\.){3}\d{1,3})?"
    r"(?:/\d{1,3})?(?![\w:])"
)
_MONTHS = (
    r"janv(?:ier)?|f[ée]v(?:rier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|ao[ûu]t|sept(?:embre)?"
    r"|oct(?:obre)?|nov(?:embre)?|d[ée]c(?:embre)?|january|jan|february|feb|march|mar|april|apr"
    r"|may|june|jun|july|jul|august|aug|september|sep|october|november|december|dec"
    r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre"
    r"|noviembre|diciembre|januar|j[äa]nner|februar|m[äa]rz|juni|juli|oktober|dezember"
)
_DATE = (
    r"(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2}"
    rf"|\d{{1,2}}(?:er|st|nd|rd|th|º)?\.?\s+(?:de\s+)?(?:{_MONTHS})\.?,?\s+(?:de\s+)?\d{{2,4}}"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|(?:en|in|im\s+jahr|el\s+a[ñn]o)\s+\d{{4}})"
)
_DOB_RE = re.compile(
    r"(?i)\b(?:n[ée]e?\s+le|n[ée]e?\s+(?=en\s)|date\s+de\s+naissance|born(?:\s+on)?|born(?=\s+in\s)"
    r"|date\s+of\s+birth|birth\s*date|birthday|d\.?o\.?b\.?|fecha\s+de\s+nacimiento"
    r"|nacid[oa](?:\s+el)?|nac[íi](?:\s+el)?|f\.\s*nac\.?|geboren(?:\s+am)?|geburtsdatum|geb\.)"
    rf"(?:\s*[:=-]|\s+(?:est|is|es|ist|was|le|el|am|on|:)){{0,2}}\s*(?P<value>{_DATE})(?!\d)"
)
# NIR: sex, year, month, department (2A/2B in Corsica), commune, order, then a mod-97 key.
_NIR_RE = re.compile(
    r"(?<![\w])(?P<body>[12478][ .-]?\d{2}[ .-]?\d{2}[ .-]?(?:\d{2}|2[ABab])[ .-]?\d{3}[ .-]?\d{3})"
    r"[ .-]?(?P<key>\d{2})(?!\d)"
)
_NIR_CONTEXT_RE = re.compile(
    r"(?i)\b(?:s[ée]curit[ée]\s+sociale|s[ée]cu|nir|insee|carte\s+vitale|ss\s+number)\b[^\n]{0,30}$"
)
_PASSPORT_RE = re.compile(
    r"(?i)\b(?:passeport|passport|pasaporte|passaporto|reisepass|pass(?:nummer|nr\.?)"
    r"|passport\s+no\.?)"
    r"(?:\s*(?:[:#=]|n[°º]\.?|no\.?|nr\.?|number|num[ée]ro|n[úu]mero|nummer|de|del|du|is|est|es"
    r"|ist|lautet|c['’]est)){0,4}\s*"
    r"(?P<value>(?=[A-Z0-9]*\d)[A-Z0-9]{2}[ ]?[A-Z0-9]{4,8})(?![\w@])"
)


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn checksum that payment cards carry.

    Example:
        >>> luhn_valid("4111111111111111")
        True
    """
    if not digits.isdecimal():  # not isdigit(): "²" is a digit that int() refuses
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def iban_valid(iban: str) -> bool:
    """Whether a compact IBAN (no spaces) has a valid shape and ISO 13616 mod-97 checksum.

    Example:
        >>> iban_valid("DE89370400440532013000")
        True
    """
    iban = iban.upper()
    if not (15 <= len(iban) <= 34 and iban[:2].isalpha() and iban[2:4].isdigit()):
        return False
    if not iban.isalnum() or not iban.isascii():
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def redact(text: str, *, user_id: str | None = None, order_patterns: Sequence[str] = ()) -> str:
    """Replace personal data with placeholders; idempotent.

    Placeholders: [EMAIL], [PHONE], [IBAN], [CARD], [ADDRESS], [USER_ID], [NAME], [ORDER],
    [HANDLE], [IP], [DOB], [NIR], [PASSPORT]. The raw user id goes first because it may look like
    anything (a number, a name, an email address).

    Args:
        text: Cleaned text.
        user_id: The author's raw user id; replaced wherever it appears (if at least 4 characters).
        order_patterns: Extra regexes for order numbers (``[privacy] order_patterns``); the first
            group, or the whole match when the pattern has no group, becomes [ORDER].

    Returns:
        The text with personal data replaced.

    Example:
        >>> redact("Je m'appelle Marie Dupont, mon IBAN est FR76 3000 6000 0112 3456 7890 189")
        "Je m'appelle [NAME], mon IBAN est [IBAN]"
    """
    if user_id is not None and len(user_id.strip()) >= 4:
        text = _raw_user_id_re(user_id.strip()).sub("[USER_ID]", text)
    text = _EMAIL_OBFUSCATED_RE.sub("[EMAIL]", _EMAIL_RE.sub("[EMAIL]", text))
    text = _HANDLE_RE.sub("[HANDLE]", text)
    text = _redact_orders(text, order_patterns)
    text = _DOB_RE.sub(lambda match: _replace_group(match, "value", "[DOB]"), text)
    text = _redact_nirs(text)
    text = _PASSPORT_RE.sub(lambda match: _replace_group(match, "value", "[PASSPORT]"), text)
    # IBANs and cards before phones, so that their digits are not half-eaten.
    text = _IBAN_CONTEXT_RE.sub(_replace_iban_context, _replace_iban_shapes(text))
    text = _redact_ips(_redact_cards(text))
    text = _redact_addresses(_redact_phones(text))
    return _redact_names(_redact_user_ids(text))


def _redact_orders(text: str, patterns: Sequence[str]) -> str:
    text = _ORDER_RE.sub(lambda match: _replace_group(match, "value", "[ORDER]"), text)
    for pattern in patterns:
        text = _order_re(pattern).sub(_replace_order, text)
    return text


@functools.lru_cache(maxsize=64)
def _order_re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _replace_order(match: re.Match[str]) -> str:
    if match.re.groups == 0 or match.start(1) < 0:
        return "[ORDER]"
    start, end = match.start(1) - match.start(), match.end(1) - match.start()
    return match.group()[:start] + "[ORDER]" + match.group()[end:]


def nir_valid(nir: str) -> bool:
    """Whether a 15-character French NIR (social security number) has the right mod-97 key.

    Example:
        >>> nir_valid("185057800608491"), nir_valid("185057800608436")  # key 91, not 36
        (True, False)
    """
    nir = nir.upper()
    if len(nir) != 15 or not nir[13:].isdecimal():
        return False
    body = nir[:13].replace("2A", "19", 1) if nir[5:7] == "2A" else nir[:13]
    body = body.replace("2B", "18", 1) if nir[5:7] == "2B" else body
    if not body.isdecimal() or not body.isascii():
        return False
    return 97 - int(body) % 97 == int(nir[13:])


def _redact_nirs(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        compact = re.sub(r"[ .-]", "", match.group())
        context = _NIR_CONTEXT_RE.search(text, max(0, match.start() - 40), match.start())
        return "[NIR]" if nir_valid(compact) or context else match.group()

    return _NIR_RE.sub(replace, text)


def _redact_ips(text: str) -> str:
    def replace_v4(match: re.Match[str]) -> str:
        if _VERSION_BEFORE_RE.search(text, max(0, match.start() - 12), match.start()):
            return match.group()  # "version 1.2.3.4" is a version
        return "[IP]"

    def replace_v6(match: re.Match[str]) -> str:
        address = match.group().split("/")[0]
        if sum(bool(group) for group in re.split(r"[:.]", address)) < 3:
            return match.group()
        try:
            ipaddress.IPv6Address(address)
        except ValueError:
            return match.group()
        return "[IP]"

    return _IPV4_RE.sub(replace_v4, _IPV6_RE.sub(replace_v6, text))


@functools.lru_cache(maxsize=4096)
def _raw_user_id_re(user_id: str) -> re.Pattern[str]:
    # Not inside a longer word or number, nor inside a placeholder (a user id may be "NAME").
    return re.compile(rf"(?<![\w\[]){re.escape(user_id)}(?![\w\]])", re.IGNORECASE)


def _replace_iban_shapes(text: str) -> str:
    # The pattern may run on into the next words ("... 189 pour", "... 3000 et ES91 ..."): keep the
    # longest checksum-valid run of account-like groups and search again right after it. Words
    # must not join the run: "ES91 2100 0418 4502 0005 1332 gracias" happens to pass mod-97.
    parts, position = [], 0
    while match := _IBAN_RE.search(text, position):
        tokens = match.group().split(" ")
        groups = 1 + _account_groups(tokens[1:])
        size = next((n for n in range(groups, 0, -1) if _iban_like(tokens[:n])), 0)
        end = match.start() + len(" ".join(tokens[: max(size, 1)]))
        parts.append(text[position : match.start()] if size else text[position:end])
        if size:
            parts.append("[IBAN]")
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _iban_like(tokens: list[str]) -> bool:
    # IBAN bodies are mostly digits; words glued together by the pattern pass mod-97 about one
    # time in 97 ("Ki66iiku was also in" did on real reviews), but never this test.
    compact = "".join(tokens)
    digits = sum(char.isdigit() for char in compact[4:])
    return digits * 2 >= len(compact) - 4 and iban_valid(compact)


def _replace_iban_context(match: re.Match[str]) -> str:
    # After "IBAN"/"RIB" any account-like value goes, checksum or not: typos must not leak it.
    tokens = match.group("value").split(" ")
    end = _account_groups(tokens)
    if sum(char.isdigit() for char in "".join(tokens[:end])) < 8:
        return match.group()
    prefix = match.group()[: match.start("value") - match.start()]
    return prefix + " ".join(["[IBAN]", *tokens[end:]])


def _account_groups(tokens: list[str]) -> int:
    """How many leading tokens look like groups of an account number."""
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        # Letter-only groups occur inside IBANs ("GB82 WEST 1234..."), but only before digits.
        if not any(char.isdigit() for char in token) and not (
            token.isupper() and len(token) <= 4 and any(char.isdigit() for char in following)
        ):
            return index
    return len(tokens)


def _redact_cards(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group())
        context = _CARD_CONTEXT_RE.search(text, max(0, match.start() - 40), match.start())
        if 13 <= len(digits) <= 19 and (luhn_valid(digits) or context):
            return "[CARD]"
        return match.group()

    return _CARD_RE.sub(replace, text)


def _redact_phones(text: str) -> str:
    def replace_international(match: re.Match[str]) -> str:
        # "(0)" in "+33 (0)6..." is the trunk prefix, not part of the number.
        digits = re.sub(r"\(0\)|\D", "", match.group())
        return "[PHONE]" if len(digits) >= _PHONE_MIN_DIGITS else match.group()

    def replace_trunk(match: re.Match[str]) -> str:
        digits = sum(char.isdigit() for char in match.group())
        return "[PHONE]" if 9 <= digits <= 13 else match.group()

    def replace_context(match: re.Match[str]) -> str:
        if sum(char.isdigit() for char in match.group("value")) < 6:
            return match.group()
        return _replace_group(match, "value", "[PHONE]")

    text = _PHONE_INTL_RE.sub(replace_international, text)
    text = _PHONE_NATIONAL_RE.sub("[PHONE]", text)
    text = _PHONE_TRUNK_RE.sub(replace_trunk, text)
    return _PHONE_CONTEXT_RE.sub(replace_context, text)


def _redact_addresses(text: str) -> str:
    for pattern in _ADDRESS_RES:
        text = pattern.sub("[ADDRESS]", text)
    return text


def _redact_user_ids(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        return match.group()[: match.start("value") - match.start()] + "[USER_ID]"

    return _USER_ID_CONTEXT_RE.sub(replace, text)


def _redact_names(text: str) -> str:
    text = _INTRO_RE.sub(_replace_introduced_name, text)
    text = _CEST_ICI_RE.sub(lambda match: _replace_group(match, "name", "[NAME]"), text)
    text = _SIGNOFF_NAME_RE.sub(_replace_signoff_name, text)
    text = _TRAILING_NAME_RE.sub(_replace_signoff_name, text)
    text = _INTRO_CAP_RE.sub(_replace_capitalised_name, text)
    return _SIGNOFF_ANY_RE.sub(_replace_capitalised_name, text)


def _replace_capitalised_name(match: re.Match[str]) -> str:
    # Keep the name words up to the first common word; an all-caps word only after a real one
    # ("Marie DUPONT"), so that shouting ("JE SUIS TRÈS DÉÇU") is not a name.
    words = match.group("words")
    end = 0
    for index, word in enumerate(re.finditer(r"\S+", words)):
        bare = word.group().rstrip(".")
        if bare.lower() in _COMMON_CAPS or (index == 0 and bare.isupper() and len(bare) > 1):
            break
        if _ELIDED_RE.match(bare):
            break  # "L'appli", "D'abord": an article, not a name
        end = word.end()
    if end == 0:
        return match.group()
    start = match.start("words") - match.start()
    return match.group()[:start] + "[NAME]" + words[end:]


def _replace_introduced_name(match: re.Match[str]) -> str:
    # After "je m'appelle" the first word is the name whatever its case ("je m'appelle marie");
    # the next ones only while they look like names, not like the sentence going on.
    words = match.group("words")
    end = 0
    for index, word in enumerate(_INTRO_WORD_RE.finditer(words)):
        bare = word.group().rstrip(".")
        if not _is_name_word(bare, first=index == 0, second=index == 1):
            break
        end = word.start() + len(bare)
        if word.group().endswith(".") and len(bare) > 1:
            break  # "my name is John. The app..." ends the name with the sentence
        if word.group().endswith("."):
            end += 1  # an initial keeps its dot
    if end == 0:
        return match.group()
    start = match.start("words") - match.start()
    return match.group()[:start] + "[NAME]" + words[end:]


def _is_name_word(word: str, *, first: bool, second: bool) -> bool:
    if word.lower() in _NOT_NAMES:
        return False
    if first or word[0].isupper():
        return True
    return second and len(word) >= 2 and "'" not in word and "’" not in word


def _replace_signoff_name(match: re.Match[str]) -> str:
    if match.group("name").split()[0].lower() in _NOT_NAMES:
        return match.group()
    return _replace_group(match, "name", "[NAME]")


def _replace_group(match: re.Match[str], group: str, placeholder: str) -> str:
    start, end = match.start(group) - match.start(), match.end(group) - match.start()
    return match.group()[:start] + placeholder + match.group()[end:]


def hash_user(user_id: str, *, salt: str) -> str:
    """Pseudonymise a user id: first 16 hex characters of sha256(salt + NUL + user id).

    Example:
        >>> len(hash_user("88123", salt="s3cret"))
        16
    """
    return hashlib.sha256(f"{salt}\x00{user_id}".encode()).hexdigest()[:16]
