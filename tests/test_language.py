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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aplikasi ini sangat bagus dan saya suka sekali menonton film di sini", "id"),
        ("O aplicativo é muito bom, gosto muito de assistir filmes aqui todos os dias", "pt"),
    ],
)
def test_candidates_are_a_prior_not_a_cage(text: str, expected: str) -> None:
    """Issue 13: a text clearly in another language keeps its own code."""
    assert detect_language(text, candidates=FOUR)[0] == expected


def test_unclear_text_outside_the_candidates_is_other(monkeypatch: pytest.MonkeyPatch) -> None:
    """Free detection says Swahili (0.86), the candidates fit no better than 0.6: "other"."""
    from types import SimpleNamespace

    from vocmine.prepare import language

    def ranked(text: str, candidates: tuple[str, ...]) -> list:
        if candidates:
            return [SimpleNamespace(lang="es", prob=0.6), SimpleNamespace(lang="en", prob=0.4)]
        return [SimpleNamespace(lang="sw", prob=0.86), SimpleNamespace(lang="tr", prob=0.14)]

    monkeypatch.setattr(language, "_ranked", ranked)
    text = "nina furaha sana na programu hii ila matangazo mengi"
    assert detect_language(text, candidates=FOUR) == ("other", 0.6)


def test_init_does_not_restrict_languages(tmp_path: Path) -> None:
    from vocmine.project import init_project

    init_project(tmp_path)
    assert load_config(tmp_path / "vocmine.toml").languages == ()
