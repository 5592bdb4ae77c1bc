"""Normalise raw feedback: clean the text, redact personal data, tag the language.

RawFeedback -> clean_text -> redact -> detect_language -> Item. Personal data must never be stored,
so the Item keeps neither the raw text nor the raw user id. Every regex is compiled once, at import,
and written so that its work stays linear in the text (bounded or possessive repeats).

Example:
    >>> redact("Écrivez-moi à jean.dupont@gmail.com ou au 06 12 34 56 78")
    'Écrivez-moi à [EMAIL] ou au [PHONE]'
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import html
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from vocmine.errors import ConfigError
from vocmine.models import UNDETERMINED, Item, RawFeedback

PLACEHOLDERS = ("[EMAIL]", "[PHONE]", "[IBAN]", "[CARD]", "[ADDRESS]", "[USER_ID]", "[NAME]")

# -- characters ---------------------------------------------------------------------------------

_NEWLINE_RE = re.compile("\r\n?|[\u2028\u2029\x85\x0b\x0c]")
# C0/C1 controls except tab and newline, soft hyphen, bidi marks, zero-width characters, BOM and
# language tags: invisible, but they split words for the embedder and hide data from the regexes.
_INVISIBLE_RE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_WHITESPACE_RE = re.compile(r"\s+")

# -- HTML ---------------------------------------------------------------------------------------

_BLOCK_TAGS = (
    "br|p|div|li|ul|ol|tr|table|h[1-6]|blockquote|hr|pre|section|article|header|footer|dl|dt|dd"
)
_HTML_HINT_RE = re.compile(
    rf"<\s*/?\s*(?:{_BLOCK_TAGS}|span|a|b|i|u|em|strong|font|td|th|img|html|body|head|script|style)"
    r"\b[^<>]*>|<!--",
    re.IGNORECASE,
)
_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SCRIPT_STYLE_RE = re.compile(
    r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL
)
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_BLOCK_TAG_RE = re.compile(rf"<\s*/?\s*(?:{_BLOCK_TAGS})\b[^<>]*>", re.IGNORECASE)
_CELL_TAG_RE = re.compile(r"<\s*/?\s*t[dh]\b[^<>]*>", re.IGNORECASE)
_ANY_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")

# -- quoted replies -----------------------------------------------------------------------------

_QUOTED_LINE_RE = re.compile(r"^\s*>")
_FORWARD_WORDS = r"forwarded message|message transféré|mensaje reenviado|weitergeleitete nachricht"
_SEPARATOR_RE = re.compile(
    r"^\s*[-_=*]{2,}\s*(?:original message|message d['’]origine|mensaje original"
    rf"|ursprüngliche nachricht|{_FORWARD_WORDS})\s*[-_=*]{{2,}}\s*$",
    re.IGNORECASE,
)
_FORWARD_RE = re.compile(_FORWARD_WORDS, re.IGNORECASE)
# Gmail, Apple Mail and Thunderbird attributions; a date or time always gives them a digit.
_ATTRIBUTION_START_RE = re.compile(r"^\s*(?:on|le|el|am)\s", re.IGNORECASE)
_ATTRIBUTION_RE = re.compile(
    r"^\s*(?:on|le|el|am)\s(?=[^\n]*\d)[^\n]{0,400}?\b(?:wrote|a\s+écrit|escribió|schrieb)\b"
    r"[^\n]{0,200}:\s*$",
    re.IGNORECASE,
)
_FROM_FIELD_RE = re.compile(r"^\s*\*?(?:from|de|von)\s*\*?\s*:", re.IGNORECASE)
_SENT_FIELD_RE = re.compile(
    r"^\s*\*?(?:sent|envoyé|date|gesendet|enviado|fecha|datum)\s*\*?\s*:", re.IGNORECASE
)
_HEADER_FIELD_RE = re.compile(
    r"^\s*\*?(?:from|de|von|sent|envoyé|date|gesendet|enviado|fecha|datum|to|à|a|an|para|cc|cci"
    r"|bcc|subject|objet|betreff|asunto|reply-to|répondre à)\s*\*?\s*:",
    re.IGNORECASE,
)
_RULE_LINE_RE = re.compile(r"^\s*(?:[-_=*]{5,})?\s*$")

# -- signatures and names -------------------------------------------------------------------------

_UPPER = "A-ZÀ-ÖØ-ÞŁŒŠŽŸ"
_LOWER = "a-zß-öø-ÿłœšž"
# A capitalised name word ("Marie", "Jean-Pierre", "O'Neil", "DUPONT") or an initial ("D.").
_NAME_WORD = (
    rf"(?:[{_UPPER}]\.|[{_UPPER}][{_LOWER}{_UPPER}'’]*(?:-[{_UPPER}][{_LOWER}{_UPPER}'’]*)*)"
)
_NAME = rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}"
# Sign-offs that are never ordinary words, so a capitalised name after them anywhere is a name.
_SIGNOFF_STRONG = (
    r"bien\s+cordialement|cordialement|bien\s+à\s+vous|sincères\s+salutations"
    r"|salutations\s+distinguées|(?:best|kind|warm|warmest)\s+regards|(?:yours\s+)?sincerely"
    r"|saludos\s+cordiales|un\s+saludo|saludos|atentamente"
    r"|mit\s+freundlichen\s+gr(?:ü|ue)(?:ß|ss)en"
    r"|(?:viele|beste|liebe|herzliche)\s+gr(?:ü|ue)(?:ß|ss)e"
)
# Closing wishes: ordinary words inside a sentence, so they only count as a whole line.
_WISHES = (
    r"(?:bonne|belle|excellente)\s+(?:fin\s+de\s+)?(?:journée|soirée|semaine)|à\s+bientôt"
    r"|have\s+a\s+(?:nice|good|great|lovely)\s+(?:day|evening|weekend)|take\s+care"
    r"|(?:que\s+tenga[sn]?\s+)?(?:un\s+)?buen\s+día|hasta\s+pronto"
    r"|(?:einen\s+)?schönen\s+(?:tag|abend)(?:\s+noch)?|bis\s+bald"
)
_SIGNOFF = rf"{_SIGNOFF_STRONG}|{_WISHES}|cdlt|salutations|regards|best|cheers|mfg|lg|gruß"
_THANKS = (
    r"merci\s+d['’]avance|merci\s+par\s+avance|merci\s+beaucoup|merci|thanks\s+in\s+advance"
    r"|many\s+thanks|thanks|thank\s+you|gracias|danke\s+schön|danke"
)
_SIGNOFF_LINE_RE = re.compile(rf"^\s*(?i:{_SIGNOFF})\s*[,.!:;-]*(?:\s*{_NAME})?\s*[.,]?\s*$")
_THANKS_LINE_RE = re.compile(rf"^\s*(?i:{_THANKS})\s*[,.!:;-]*\s*(?P<name>{_NAME})?\s*[.,!]?\s*$")
_NAME_LINE_RE = re.compile(rf"^\s*{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}\s*[.,]?\s*$")
# Two or three name words and nothing else ("Camille Martin", "Jean-Pierre D.").
_LONE_NAME_RE = re.compile(rf"^\s*{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{1,2}}\s*$")
_DEVICE = (
    r"envoy[ée]\s+(?:de|depuis)\s+mon|sent\s+from\s+(?:my\s+)?|enviado\s+desde\s+mi|von\s+meinem"
    r"|(?:get|obtenir|télécharger)\s+outlook\s+(?:for|pour)"
)
# Mail apps write these capitalised; "the photo I sent from my phone" is the user's own words.
_DEVICE_LINE_RE = re.compile(rf"^\s*(?=[A-ZÉ])(?i:{_DEVICE})\b.{{0,60}}$")
_DELIMITER_LINE_RE = re.compile(r"^--[ \t]*$")
# A sign-off inside the last line, when a form or an export lost the line breaks.
_INLINE_SIGNOFF_RE = re.compile(
    rf"(?:(?<=[.!?])\s+(?i:{_SIGNOFF_STRONG})\s*[,.!]*(?:\s*{_NAME})?"
    rf"|\s+(?=[A-ZÉ])(?i:{_DEVICE})\s*\S+"
    r"(?:\s+\S+)?)\s*[.!]?\s*$"
)
_SIGNATURE_MAX_LINES = 6
_SIGNATURE_MAX_CHARS = 300

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
    r"(?<![\w+])(?:\+|00)[1-9]\d*+(?:(?:[ .-]|[ ]?\(\d{1,4}\)[ ]?)\d++){0,7}"
)
# National formats. One separator throughout, so "06.10.2026 10:00" stays a date.
_PHONE_NATIONAL_RE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:0|\(0\)\s?)[1-9](?P<fr>[ .-]?)\d{2}(?:(?P=fr)\d{2}){3}"  # France: 06 12 34 56 78
    r"|[67]\d{2}(?P<es>[ .-]?)\d{3}(?P=es)\d{3}"  # Spain mobile: 612 345 678
    r"|01[5-7]\d{1,2}[ /-]?\d{6,8}"  # Germany mobile: 0151 23456789
    r"|0(?:7\d{3}[ ]?\d{6}|[1-9]\d{1,3}[ ]\d{3,4}[ ]\d{4})"  # UK: 07700 900123, 020 7946 0958
    r"|(?:\(\d{3}\)[ ]?|\d{3}[-.])\d{3}[-.]\d{4}"  # North America: (555) 123-4567
    r")(?!\d)"
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
# Words that follow "merci" or "my name is" without being a name.
_NOT_NAMES_TEXT = """
    a à again aber all am an and au aux avance avec beaucoup bien bin but client cliente con danke
    de depuis des desde du e el en encore es est et être for from für gracias hallo hello here hier
    i ich ici in is ist je la las le les los lot mais merci mi mein mit moi mon mucho my o of on
    or oder ou para pero pour que qui sehr seit since so soy suis support sur team the thanks this
    to todos tous un une und user usuario utilisateur vielmals y yo équipe l'équipe admin
    developer developers dev devs everyone everybody god guys lord madam madame monsieur sir
"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())

# -- language -----------------------------------------------------------------------------------

_LANGUAGE_NOISE_RE = re.compile(
    r"\[[A-Z_]+\]|(?:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]{1,64}@[\w.-]{1,255}|[^\w\s]|[\d_]",
    re.IGNORECASE,
)
# Under 3 words or 12 letters langdetect answers from a handful of n-grams ("super appli" -> it,
# "ok merci" -> sk). On 9,700 Latin-script English Play reviews it said "en" for 71% at 3-5 words,
# 87% at 6-9, 96% at 10+. A 0.8 threshold instead of 0.5 made as many right answers "und" as
# wrong ones (wrong answers mostly come with probability 1.0: "Best app" -> fr), and a prior
# towards fr/en/es/de changed nothing, so the thresholds stay as they are.
_LANGUAGE_MIN_WORDS = 3
_LANGUAGE_MIN_LETTERS = 12
_LANGUAGE_MIN_PROB = 0.5
_SOURCE_LANGUAGE_RE = re.compile(r"[a-z]{2,3}")

# -- CSAT ---------------------------------------------------------------------------------------

_CSAT_GOOD = frozenset(("good", "satisfied", "satisfait", "satisfaite", "yes", "oui", "👍"))
_CSAT_BAD = frozenset(("bad", "unsatisfied", "insatisfait", "insatisfaite", "no", "non", "👎"))
_CSAT_NUMBER_RE = re.compile(r"(?P<score>\d{1,2}(?:[.,]0+)?)\s*(?:/\s*(?P<scale>5|10))?")
_EMOJI_MODIFIERS_RE = re.compile("[\ufe0f\U0001f3fb-\U0001f3ff]")


def strip_html(text: str) -> str:
    """Turn HTML into plain text, only if the text looks like HTML.

    Block tags (``<br>``, ``<p>``, ``</div>``, ``<li>``...) become line breaks so that quoted
    replies and signatures can still be found line by line; ``<script>`` and ``<style>`` lose their
    content; other tags are dropped and entities unescaped. Plain text ("I <3 it") is left alone.

    Args:
        text: Text that may be HTML.

    Returns:
        The text without markup.

    Example:
        >>> strip_html("Bonjour<br>l&apos;appli <b>plante</b>")
        "Bonjour\\nl'appli plante"
    """
    if _HTML_HINT_RE.search(text):
        text = _SCRIPT_STYLE_RE.sub(" ", text)
        text = _COMMENT_RE.sub(" ", text)
        text = _BLOCK_TAG_RE.sub("\n", text)
        text = _CELL_TAG_RE.sub(" ", text)
        text = _ANY_TAG_RE.sub("", text)
    elif not _ENTITY_RE.search(text):
        return text
    return html.unescape(text)


def strip_quoted_reply(text: str) -> str:
    """Cut the email history under a reply and keep the text above it.

    Recognises attributions ("On ... wrote:", "Le ... a écrit :", "El ... escribió:", "Am ...
    schrieb ...:"), "Original Message" separators and Outlook "From:/De :" header blocks.
    Lines quoted with ">" are dropped wherever they are, so inline answers survive. When nothing is
    above a *forwarded* message, the forwarded message is the content and is kept instead.

    Args:
        text: Plain text with line breaks.

    Returns:
        The new part of the message.

    Example:
        >>> strip_quoted_reply("Rien.\\nLe 3 oct. 2026, Support a écrit :\\n> Bonjour")
        'Rien.'
    """
    lines = [line for line in text.split("\n") if not _QUOTED_LINE_RE.match(line)]
    while True:
        headers = ((i, size) for i in range(len(lines)) if (size := _reply_header_size(lines, i)))
        index, size = next(headers, (len(lines), 0))
        if size == 0:
            return "\n".join(lines).strip()
        above = _drop_trailing_rules(lines[:index])
        if any(line.strip() for line in above) or not _FORWARD_RE.search(lines[index]):
            return "\n".join(above).strip()
        lines = _drop_header_fields(lines[index + size :])


def _reply_header_size(lines: list[str], index: int) -> int:
    """How many lines the reply header starting at ``index`` spans (0 if there is none)."""
    line = lines[index]
    if _SEPARATOR_RE.match(line):
        return 1
    if _FROM_FIELD_RE.match(line) and any(
        _SENT_FIELD_RE.match(following) for following in lines[index + 1 : index + 4]
    ):
        return 1
    # Attributions are short; the length check keeps long paragraphs away from the regex.
    if len(line) < 500 and _ATTRIBUTION_START_RE.match(line):
        if _ATTRIBUTION_RE.match(line):
            return 1
        # Gmail wraps long attributions: "On ..., Jean Dupont <" / "jean@x.fr> wrote:".
        if index + 1 < len(lines) and _ATTRIBUTION_RE.match(f"{line} {lines[index + 1]}"):
            return 2
    return 0


def _drop_trailing_rules(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and _RULE_LINE_RE.match(lines[end - 1]):
        end -= 1
    return lines[:end]


def _drop_header_fields(lines: list[str]) -> list[str]:
    start = 0
    while start < len(lines) and (not lines[start].strip() or _HEADER_FIELD_RE.match(lines[start])):
        start += 1
    return lines[start:]


def strip_signature(text: str) -> str:
    """Cut a signature that starts with a sign-off near the end of the text.

    The sign-off line ("Cordialement", "Best regards", "Saludos", "Viele Grüße", "-- ", "Envoyé de
    mon iPhone"...) must be one of the last 6 non-blank lines and start within the last 300
    characters, so "cordialement" in the middle of a message is kept. "Merci d'avance," and
    "Thanks," only count when a short name line follows.

    Args:
        text: Plain text with line breaks.

    Returns:
        The text above the signature.

    Example:
        >>> strip_signature("Le podomètre ne compte plus.\\nCordialement,\\nMarie Dupont")
        'Le podomètre ne compte plus.'
    """
    lines = text.split("\n")
    start = _signature_start(lines)
    if start is not None:
        return "\n".join(lines[:start]).rstrip()
    return _INLINE_SIGNOFF_RE.sub("", text, count=1).rstrip()


def _signature_start(lines: list[str]) -> int | None:
    """Index of the line where the signature starts, or None."""
    tail = [index for index, line in enumerate(lines) if line.strip()][-_SIGNATURE_MAX_LINES:]
    last = lines[tail[-1]] if tail else ""
    # A lone "Camille Martin" closing an email is a signature even without a sign-off before it.
    lone_name = len(tail) > 1 and len(last.strip()) <= 40 and bool(_LONE_NAME_RE.match(last))
    for position, index in enumerate(tail):
        if len("\n".join(lines[index:]).strip()) > _SIGNATURE_MAX_CHARS:
            continue
        following = lines[tail[position + 1]] if position + 1 < len(tail) else None
        if _is_signoff(lines[index], following):
            return index
    return tail[-1] if lone_name else None


def _is_signoff(line: str, following: str | None) -> bool:
    if any(regex.match(line) for regex in (_SIGNOFF_LINE_RE, _DEVICE_LINE_RE, _DELIMITER_LINE_RE)):
        return True
    thanks = _THANKS_LINE_RE.match(line)
    if thanks is None:
        return False
    if thanks.group("name"):
        return thanks.group("name").split()[0].lower() not in _NOT_NAMES
    return following is not None and len(following) <= 40 and bool(_NAME_LINE_RE.match(following))


def clean_text(text: str, *, kind: str) -> str:
    """Clean a text for storage: Unicode, invisible characters, HTML, replies, signatures, spaces.

    Args:
        text: Raw text.
        kind: ticket, csat, review or survey; only tickets are emails with replies and signatures.

    Returns:
        One line of text with single spaces.

    Example:
        >>> clean_text("<p>Bonjour&nbsp;!</p><p>Merci</p>", kind="review")
        'Bonjour ! Merci'
    """
    text = _clean_characters(text)
    without_html = strip_html(text)
    if without_html is not text:
        # Entities can decode to invisible or compatibility characters (&#8203;, &nbsp;).
        text = _clean_characters(without_html)
    if kind == "ticket":
        text = strip_signature(strip_quoted_reply(text))
    return _WHITESPACE_RE.sub(" ", text).strip()


def _clean_characters(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _NEWLINE_RE.sub("\n", text)
    return _INVISIBLE_RE.sub("", text)


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


def redact(text: str, *, user_id: str | None = None) -> str:
    """Replace personal data with placeholders; idempotent.

    Placeholders: [EMAIL], [PHONE], [IBAN], [CARD], [ADDRESS], [USER_ID], [NAME]. The raw user id
    goes first because it may look like anything (a number, a name, an email address).

    Args:
        text: Cleaned text.
        user_id: The author's raw user id; replaced wherever it appears (if at least 4 characters).

    Returns:
        The text with personal data replaced.

    Example:
        >>> redact("Je m'appelle Marie Dupont, mon IBAN est FR76 3000 6000 0112 3456 7890 189")
        "Je m'appelle [NAME], mon IBAN est [IBAN]"
    """
    if user_id is not None and len(user_id.strip()) >= 4:
        text = _raw_user_id_re(user_id.strip()).sub("[USER_ID]", text)
    text = _EMAIL_OBFUSCATED_RE.sub("[EMAIL]", _EMAIL_RE.sub("[EMAIL]", text))
    # IBANs and cards before phones, so that their digits are not half-eaten.
    text = _IBAN_CONTEXT_RE.sub(_replace_iban_context, _replace_iban_shapes(text))
    text = _redact_addresses(_redact_phones(_redact_cards(text)))
    return _redact_names(_redact_user_ids(text))


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

    text = _PHONE_INTL_RE.sub(replace_international, text)
    return _PHONE_NATIONAL_RE.sub("[PHONE]", text)


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
    text = _CEST_ICI_RE.sub(lambda match: _replace_group(match, "name"), text)
    text = _SIGNOFF_NAME_RE.sub(_replace_signoff_name, text)
    return _TRAILING_NAME_RE.sub(_replace_signoff_name, text)


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
    return _replace_group(match, "name")


def _replace_group(match: re.Match[str], group: str) -> str:
    start, end = match.start(group) - match.start(), match.end(group) - match.start()
    return match.group()[:start] + "[" + group.upper() + "]" + match.group()[end:]


def hash_user(user_id: str, *, salt: str) -> str:
    """Pseudonymise a user id: first 16 hex characters of sha256(salt + NUL + user id).

    Example:
        >>> len(hash_user("88123", salt="s3cret"))
        16
    """
    return hashlib.sha256(f"{salt}\x00{user_id}".encode()).hexdigest()[:16]


@functools.cache
def fingerprint(languages: tuple[str, ...] = ()) -> str:
    """What the output of :func:`normalise` depends on besides the record: this module's code,
    langdetect's version and the candidate languages. Part of every raw-record cache key, so
    that improving redaction makes the next ingest normalise everything again.
    """
    from importlib.metadata import version

    code = Path(__file__).read_bytes()
    extra = f"|{version('langdetect')}|{','.join(languages)}".encode()
    return hashlib.sha256(code + extra).hexdigest()[:16]


def raw_hash(raw: RawFeedback, *, languages: tuple[str, ...] = ()) -> str:
    """Cache key of a raw record: its content (not where it was read) and the normaliser's."""
    content = {k: v for k, v in dataclasses.asdict(raw).items() if k != "location"}
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return text_hash(f"{fingerprint(languages)}|{payload}")


def text_hash(text: str) -> str:
    """Hex sha256 of the UTF-8 text: the key for embeddings and change detection.

    Example:
        >>> text_hash("")[:8]
        'e3b0c442'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def _detector_factory() -> Any:
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    # Our own factory with its own seed: nobody else's DetectorFactory.seed can change our
    # results, and every detector restarts the same random sequence whatever the call order.
    factory.set_seed(0)
    return factory


@functools.cache
def _prior_map(candidates: tuple[str, ...]) -> dict[str, float]:
    """langdetect prior restricting detection to ``candidates`` (validated once per tuple)."""
    known = set(_detector_factory().get_lang_list())
    unknown = [code for code in candidates if code not in known]
    if unknown:
        raise ConfigError(
            f"unknown language code {unknown[0]!r} in [language] candidates; "
            f"use codes langdetect knows: {', '.join(sorted(known))}"
        )
    return dict.fromkeys(candidates, 1.0)


def detect_language(text: str, *, candidates: tuple[str, ...] = ()) -> tuple[str, float]:
    """Detect the language of a text with langdetect, deterministically.

    Placeholders, URLs, emails, digits, emoji and punctuation are removed first. Texts with fewer
    than 3 words or 12 letters, and texts whose best language is under 0.5, are "und".

    Args:
        text: Redacted text.
        candidates: Languages the product receives (e.g. fr, en, es, de). When given, langdetect
            chooses among them only: a short French review is then never called Italian or
            Catalan. Empty means every language langdetect knows.

    Returns:
        (ISO 639-1 code or "und", probability rounded to 4 decimals).

    Example:
        >>> detect_language("les points ne sont pas crédités depuis hier")
        ('fr', 1.0)
    """
    from langdetect.lang_detect_exception import LangDetectException

    letters_only = _WHITESPACE_RE.sub(" ", _LANGUAGE_NOISE_RE.sub(" ", text)).strip()
    if letters_only.isupper():
        # langdetect skips words in capitals (as proper nouns): "APPLI GÉNIALE" has no features.
        letters_only = letters_only.lower()
    words = letters_only.split()
    if len(words) < _LANGUAGE_MIN_WORDS or sum(map(len, words)) < _LANGUAGE_MIN_LETTERS:
        return UNDETERMINED, 0.0
    detector = _detector_factory().create()
    if candidates:
        detector.set_prior_map(_prior_map(candidates))
    detector.append(letters_only)
    try:
        ranked = detector.get_probabilities()
    except LangDetectException:
        return UNDETERMINED, 0.0
    if not ranked or ranked[0].prob < _LANGUAGE_MIN_PROB:
        return UNDETERMINED, 0.0
    # langdetect names Chinese "zh-cn"/"zh-tw": keep the ISO 639-1 part.
    return str(ranked[0].lang).split("-")[0], round(float(ranked[0].prob), 4)


def parse_csat(value: str | None) -> tuple[str | None, bool | None]:
    """Normalise a CSAT answer to (score text, is negative).

    Words and thumbs ("good", "satisfait", "👍" / "bad", "non", "👎"), 1-5 scores (1-2 negative)
    and 0-10 scores (recognised when above 5, 0, or written "x/10"; 0-6 negative). "offered",
    empty and unknown values give (None, None).

    Example:
        >>> parse_csat("Insatisfait"), parse_csat("4"), parse_csat("6")
        (('bad', True), ('4', False), ('6', True))
    """
    if value is None:
        return None, None
    cleaned = _EMOJI_MODIFIERS_RE.sub("", value).strip().lower()
    if cleaned in _CSAT_GOOD:
        return "good", False
    if cleaned in _CSAT_BAD:
        return "bad", True
    number = _CSAT_NUMBER_RE.fullmatch(cleaned)
    if number is None:
        return None, None
    score = int(float(number.group("score").replace(",", ".")))
    scale = int(number.group("scale") or (10 if score > 5 or score == 0 else 5))
    if scale == 5 and 1 <= score <= 5:
        return str(score), score <= 2
    if scale == 10 and 0 <= score <= 10:
        # NPS: 0-6 are detractors. A 0 can only come from a 0-10 scale.
        return str(score), score <= 6
    return None, None


def normalise(raw: RawFeedback, *, salt: str, languages: tuple[str, ...] = ()) -> Item:
    """Turn a source record into a storable Item: cleaned, redacted, language-tagged.

    Args:
        raw: The record as a source yielded it.
        salt: The store's salt for user-id hashes.
        languages: Candidate languages for detection (see :func:`detect_language`).

    Returns:
        The Item. It holds neither the raw text nor the raw user id; string values of ``extra``
        are redacted too (developer replies can quote an email address).

    Example:
        >>> raw = RawFeedback("play", "r1", "review", "Appelez-moi au 06 12 34 56 78", now)
        >>> normalise(raw, salt="s3cret").text
        'Appelez-moi au [PHONE]'
    """
    text = clean_text(_with_title(raw.title, raw.text), kind=raw.kind)
    text = redact(text, user_id=raw.user_id)
    language, probability = _source_language(raw.language) or detect_language(
        text, candidates=languages
    )
    csat_score, csat_negative = parse_csat(raw.csat)
    return Item(
        source=raw.source,
        external_id=raw.external_id,
        kind=raw.kind,
        text=text,
        text_hash=text_hash(text),
        created_at=raw.created_at,
        language=language,
        language_prob=probability,
        rating=raw.rating,
        csat_score=csat_score,
        csat_negative=csat_negative,
        country=raw.country,
        app_version=raw.app_version,
        user_hash=hash_user(raw.user_id, salt=salt) if raw.user_id else None,
        channel=raw.channel,
        extra={key: _redact_value(value, raw.user_id) for key, value in raw.extra.items()},
    )


def _with_title(title: str | None, text: str) -> str:
    title = (title or "").strip()
    if not title or text.strip().casefold().startswith(title.casefold()):
        return text
    separator = " " if title[-1] in ".!?…" else ". "
    return title + separator + text


def _source_language(value: str | None) -> tuple[str, float] | None:
    """A language stated by the source ("FR", "fr-FR", "en_GB") as (code, 1.0), or None."""
    code = re.split(r"[-_]", (value or "").strip().lower(), maxsplit=1)[0]
    if _SOURCE_LANGUAGE_RE.fullmatch(code) and code != UNDETERMINED:
        return code, 1.0
    return None


def _redact_value(value: Any, user_id: str | None) -> Any:
    if isinstance(value, str):
        return redact(value, user_id=user_id)
    if isinstance(value, dict):
        return {key: _redact_value(item, user_id) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(item, user_id) for item in value]
    return value
