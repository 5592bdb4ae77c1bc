from pathlib import Path

import pytest

from vocmine.config import load_config
from vocmine.errors import ConfigError
from vocmine.prepare.language import detect_language
from vocmine.prepare.normalise import normalise

from .helpers import raw

FOUR = ("fr", "en", "es", "de")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vide la batterie. Énorme conso de batterie", "fr"),
        ("Code carte cadeau invalide. Carte cadeau jamais reçue", "fr"),
        ("La app se cierra sola siempre", "es"),
        ("Disappointing. Ridiculous minimum", "en"),
    ],
)
def test_candidates_keep_short_texts_in_the_products_languages(text: str, expected: str) -> None:
    unrestricted, _ = detect_language(text)
    assert unrestricted != expected  # langdetect alone gets these wrong...
    assert detect_language(text, candidates=FOUR)[0] == expected  # ...the prior fixes them


def test_candidates_do_not_force_a_language_on_tiny_text() -> None:
    assert detect_language("ok 👍", candidates=FOUR) == ("und", 0.0)


def test_unknown_candidate_code_is_a_config_error() -> None:
    with pytest.raises(
        ConfigError, match="unknown language code 'xx' in \\[language\\] candidates"
    ):
        detect_language("les points ne sont pas crédités depuis hier", candidates=("fr", "xx"))


def test_normalise_passes_candidates() -> None:
    item = normalise(
        raw("1", "Vide la batterie. Énorme conso de batterie"), salt="s", languages=FOUR
    )
    assert item.language == "fr"


def test_config_reads_candidates(tmp_path: Path) -> None:
    path = tmp_path / "vocmine.toml"
    path.write_text('[language]\ncandidates = ["FR", "en"]\n')
    assert load_config(path).languages == ("fr", "en")
    path.write_text('[language]\ncandidates = "fr"\n')
    with pytest.raises(ConfigError, match="must be a list of language codes"):
        load_config(path)
