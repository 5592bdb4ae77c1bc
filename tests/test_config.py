from pathlib import Path

import pytest

from vocmine.config import DEFAULT_MODEL, load_config
from vocmine.errors import ConfigError


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    cfg = load_config(tmp_path / "vocmine.toml")
    assert cfg.path is None
    assert cfg.db == tmp_path / "vocmine.db"
    assert cfg.taxonomy == tmp_path / "taxonomy"
    assert cfg.embedding.model == DEFAULT_MODEL
    assert cfg.sources == {}


def test_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "proj").mkdir()
    path = tmp_path / "proj" / "vocmine.toml"
    path.write_text('[vocmine]\ndb = "data/x.db"\n[sources.play]\npath = "a.csv"\n')
    cfg = load_config(path)
    assert cfg.db == tmp_path / "proj" / "data" / "x.db"
    assert cfg.base_dir == tmp_path / "proj"
    assert cfg.sources == {"play": {"path": "a.csv"}}


def test_overrides_win_over_the_file(tmp_path: Path) -> None:
    path = tmp_path / "vocmine.toml"
    path.write_text('[vocmine]\ndb = "a.db"\ntaxonomy = "tax"\n')
    cfg = load_config(path, db=Path("/elsewhere/b.db"), taxonomy=Path("t2"))
    assert cfg.db == Path("/elsewhere/b.db")
    assert cfg.taxonomy == Path("t2")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[vocmine\n", "invalid TOML"),
        ("[colour]\nx = 1\n", "unknown section [colour]"),
        (
            "[assign]\nthreshhold = 0.4\n",
            "unknown key 'threshhold' in [assign]; valid keys: finetune_steps, k, method, min_probability, noise_company, threshold",
        ),
        ('[assign]\nthreshold = "high"\n', "[assign] threshold must be a float"),
        ("[report]\ntop = true\n", "[report] top must be a int"),
        ("[sources]\nplay = 3\n", "[sources.play] must be a table"),
    ],
)
def test_bad_config_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "vocmine.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=r".*") as info:
        load_config(path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_integer_threshold_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "vocmine.toml"
    path.write_text("[assign]\nthreshold = 1\n")
    assert load_config(path).assign.threshold == 1


def test_order_patterns_are_read_and_each_must_compile(tmp_path: Path) -> None:
    path = tmp_path / "vocmine.toml"
    path.write_text('[privacy]\norder_patterns = ["\\\\bCMD-\\\\d{6}\\\\b"]\n', encoding="utf-8")
    assert load_config(path).order_patterns == (r"\bCMD-\d{6}\b",)
    assert load_config(tmp_path / "missing.toml").order_patterns == ()
    for bad in (
        'order_patterns = ["CMD-(\\\\d+"]',
        'order_patterns = "CMD"',
        "order_patterns = [1]",
    ):
        path.write_text(f"[privacy]\n{bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=r"\[privacy\] order_patterns"):
            load_config(path)


def test_order_patterns_reach_redaction() -> None:
    from vocmine.prepare.redact import redact

    patterns = (r"\bCMD-\d{6}\b", r"ticket (?:n°|#)\s*(\d{5,})")
    assert redact("CMD-123456 et ticket #87654 bloqués", order_patterns=patterns) == (
        "[ORDER] et ticket #[ORDER] bloqués"
    )


@pytest.mark.parametrize(
    "text",
    [
        "[assign]\nthreshold = 0\nk = 1\n",
        "[assign]\nthreshold = 1.0\n",
        "[discover]\nseed = 0\noverlap_similarity = 1\n",
        "[discover]\nseed = 4294967295\n",
        "[report]\nmonths = 120\nquotes = 0\nweight_growth = 0\n",
        "[report]\nunassigned_warning = 0\nretire_after_months = 1\n",
        "[report]\nunassigned_warning = 1\nretire_after_months = 120\n",
    ],
)
def test_numbers_at_the_ends_of_their_range_are_accepted(tmp_path: Path, text: str) -> None:
    path = tmp_path / "vocmine.toml"
    path.write_text(text)
    load_config(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[assign]\nthreshold = nan\n",
            "[assign] threshold must be between 0 and 1, e.g. 0.5; got nan",
        ),
        ("[assign]\nthreshold = 1.01\n", "[assign] threshold must be between 0 and 1"),
        ("[assign]\nk = 0\n", "[assign] k must be 1 or more, e.g. 3; got 0"),
        ("[discover]\nseed = 4294967296\n", "[discover] seed must be between 0 and 4294967295"),
        ("[discover]\nmin_size = 1\n", "[discover] min_size must be 2 or more"),
        ("[report]\nweight_impact = inf\n", "[report] weight_impact must be 0 or more"),
        ("[report]\ncost_per_contact = { zendesk = nan }\n", "cost_per_contact must be a number"),
        ("[llm]\nmax_tokens = -5\n", "[llm] max_tokens must be 0 or more"),
        (
            "[report]\nunassigned_warning = 1.5\n",
            "[report] unassigned_warning must be between 0 and 1, e.g. 0.4; got 1.5",
        ),
        ("[report]\nunassigned_warning = nan\n", "[report] unassigned_warning must be between"),
        ("[report]\nunassigned_warning = -0.1\n", "[report] unassigned_warning must be between"),
        (
            "[report]\nretire_after_months = 0\n",
            "[report] retire_after_months must be between 1 and 120, e.g. 3; got 0",
        ),
        ("[report]\nretire_after_months = 121\n", "[report] retire_after_months must be between"),
        ("[report]\nretire_after_months = 2.5\n", "[report] retire_after_months must be a int"),
    ],
)
def test_numbers_out_of_range_name_the_key_and_the_range(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "vocmine.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_a_config_that_is_not_utf8_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "vocmine.toml"
    path.write_bytes('[report]\ncurrency = "£"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match=r"not valid UTF-8 \(byte 21\); save the file as UTF-8"):
        load_config(path)
