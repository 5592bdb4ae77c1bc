"""Clean raw feedback text: Unicode, invisible characters, HTML, quoted replies, signatures.

The first step of normalisation, before redaction: what is cut here (email history, sign-offs)
never reaches the store. The name-word and sign-off patterns live here because redaction reuses
them. Every regex is compiled once, at import, and keeps its work linear in the text.
"""

from __future__ import annotations

import html
import re
import unicodedata

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
# Capitalised words that follow "je suis", "this is", "ich bin", "hello" or a sign-off without
# being a name: adjectives, nouns German capitalises, greetings, products. Names are redacted only
# when capitalised and not in here, so "je suis Très déçu" or "ich bin Kunde" stay.
_COMMON_CAPS_TEXT = """
    très trop vraiment super nul nulle top génial géniale bravo parfait parfaite excellent
    excellente déçu déçue content contente satisfait satisfaite ravi ravie fan client cliente
    abonné abonnée utilisateur utilisatrice membre nouveau nouvelle premium pro gratuit vraie vrai
    pas plus bon bonne tout toute tous toutes aussi encore toujours jamais enfin donc alors
    bonjour bonsoir salut coucou cordialement merci madame monsieur mademoiselle messieurs dames
    the a an not very so really quite just still also too now again already broken great good bad
    awesome amazing terrible horrible annoying useless ok okay nice cool perfect excellent happy
    sad disappointed frustrated angry new old free premium pro customer user member fan all
    everyone everybody there team folks guys support staff hello hi hey dear thanks thank cheers
    best regards yes no please sorry love app application five stars star highly recommended
    it its this that these those what why how when where who which my your our their his her
    muy bastante realmente super genial excelente bueno buena malo mala usuario usuaria cliente
    socio socia nuevo nueva todos todas equipo hola buenas buenos gracias saludos un una el la
    sehr wirklich ganz total echt super toll gut schlecht enttäuscht zufrieden unzufriedener
    kunde kundin nutzer nutzerin benutzer mitglied rentner rentnerin student studentin schüler
    anfänger neukunde premiumkunde abonnent fan neu alle zusammen leute team hallo danke gruß
    grüße grüsse liebe lieber herr frau herren damen schluss ende kein keine nicht schon immer
    noch leider jetzt heute gestern morgen hier da und oder aber der die das ein eine
    google apple samsung android iphone ipad huawei xiaomi pixel fitbit garmin strava fit health
    play store appstore app-store ios windows facebook instagram twitter whatsapp paypal
    lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday friday
    saturday sunday montag dienstag mittwoch donnerstag freitag samstag sonntag lunes martes
    miércoles jueves viernes sábado domingo
"""
_COMMON_CAPS = _NOT_NAMES | frozenset(_COMMON_CAPS_TEXT.split())


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
    return collapse_whitespace(clean_lines(text, kind=kind))


def clean_lines(text: str, *, kind: str) -> str:
    """:func:`clean_text` before the lines are joined: what redaction of line-bound names needs."""
    text = _clean_characters(text)
    without_html = strip_html(text)
    if without_html is not text:
        # Entities can decode to invisible or compatibility characters (&#8203;, &nbsp;).
        text = _clean_characters(without_html)
    if kind == "ticket":
        text = strip_signature(strip_quoted_reply(text))
    return text


def collapse_whitespace(text: str) -> str:
    """One line with single spaces."""
    return _WHITESPACE_RE.sub(" ", text).strip()


def replace_lone_name_line(text: str) -> str:
    """A name alone on the last line, under other lines, becomes [NAME] (in any kind of text).

    Reviews and surveys are not cut like ticket signatures: one to three capitalised words on the
    last line that are not common words ("Marie", "Jean-Pierre Dubois") are taken for a name.

    Example:
        >>> replace_lone_name_line("Super appli\\nMarie")
        'Super appli\\n[NAME]'
    """
    lines = text.rstrip().split("\n")
    if len([line for line in lines if line.strip()]) < 2:
        return text
    last = lines[-1].strip().rstrip(".,!")
    words = last.split()
    if not (1 <= len(words) <= 3 and len(last) <= 40 and _NAME_LINE_RE.match(last)):
        return text
    if any(word.lower().rstrip(".") in _COMMON_CAPS for word in words):
        return text
    if len(words) == 1 and (len(last) < 3 or last.isupper()):
        return text  # "OK", "TOP": a shout, not a name
    return "\n".join([*lines[:-1], "[NAME]"])


def _clean_characters(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _NEWLINE_RE.sub("\n", text)
    return _INVISIBLE_RE.sub("", text)
