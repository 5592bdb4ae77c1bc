"""Stop words for theme keywords, per language.

English comes from scikit-learn (plus contraction fragments such as "don"). French, Spanish and German are written here (function words,
pronouns, auxiliaries and the filler words of feedback such as "bonjour", "merci"), because
scikit-learn ships English only and keywords made of "les", "que", "pas" tell a reader nothing.
Words are stored lowercase and without apostrophes, as CountVectorizer lowercases and splits
"c'est" into "est" before it filters.
"""

from __future__ import annotations

from collections.abc import Iterable

_FR = """
a à ai aie aient aies ait alors as au aucun aucune aujourd hui auquel aura aurai auraient
aurais aurait auras aurez auriez aurions aurons auront aussi autre autres aux auxquelles auxquels
avaient avais avait avant avec avez aviez avions avoir avons ayant ayez ayons bon bonjour bonsoir
c ça car ce ceci cela celle celles celui cependant ces cet cette ceux chaque chez ci comme comment
d dans de depuis des donc dont du elle elles en encore es est et été étaient étais était étant
êtes étiez étions être eu eue eues eurent eus eut eux fait faire fais font fut hui il ils j je
jusqu jusque l la le les leur leurs lui m ma mais me même mes moi mon n ne ni nos notre nous on
ont ou où par parce pas peu peut plus pour pourquoi qu quand que quel quelle quelles quels qui
quoi s sa sans se sera serai seraient serais serait seront ses si sien son sont suis sur t ta te
tes toi ton tous tout toute toutes très tu un une vos votre vous vu y merci svp cordialement
salut slt
"""

_ES = """
a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el
él ella ellas ellos en entre era erais eran eras eres es esa esas ese eso esos esta está estaba
estaban estado estamos están estar estas este esto estos estoy fue fueron fui ha habéis haber
había habían han has hasta hay he la las le les lo los me mi mis mucho muy más mí nada ni no
nos nosotros o os otra otro para pero poco por porque que qué quien se sea ser si sí sido sin
sobre sois somos son soy su sus también tanto te tengo tiene tienen todo todos tu tus tú un una
uno unos usted vosotros y ya yo hola gracias saludos favor puedo
"""

_DE = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes auch
auf aus bei bin bis bist da damit dann das dass dein deine dem den der des dich die dies diese
diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines er es etwas
euch euer für gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen
ihr ihre im in ist ja jede jedem jeden jeder jedes jetzt kann kein keine keinem keinen können
könnte machen man mein meine mich mir mit muss nach nicht nichts noch nun nur ob oder ohne sehr
sein seine sich sie sind so solche soll sollte sondern um und uns unser unter vom von vor war
waren warum was weil welche wenn wer werde werden wie wieder will wir wird wo wurde würde zu zum
zur über hallo danke bitte grüße
"""

# What the tokenizer leaves of English contractions ("don't" -> "don"): not in scikit-learn's list.
_EN_EXTRA = "don didn doesn isn wasn aren won ve ll re im dont cant"

_WRITTEN = {"fr": _FR, "es": _ES, "de": _DE}


def stop_words(language: str) -> frozenset[str]:
    """Stop words of one language code (``en``, ``fr``, ``es``, ``de``); empty for others.

    Example:
        >>> "pas" in stop_words("fr")
        True
    """
    if language == "en":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return frozenset(ENGLISH_STOP_WORDS) | frozenset(_EN_EXTRA.split())
    return frozenset(_WRITTEN.get(language, "").split())


def stop_words_for(languages: Iterable[str]) -> list[str]:
    """The union of the stop words of ``languages``, sorted (a stable vectorizer vocabulary)."""
    words: set[str] = set()
    for language in languages:
        words |= stop_words(language)
    return sorted(words)


def known_languages() -> list[str]:
    """Languages with a stop-word list."""
    return sorted(["en", *_WRITTEN])
