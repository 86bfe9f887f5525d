"""Analysis settings: defaults, files, overrides and clear errors."""

import datetime as dt

import pytest

from graph.analyses import Severity
from graph.analyses.config import AnalysisConfig, load_config
from graph.errors import AimapError


def test_defaults_are_the_product_contract(tmp_path):
    config = load_config(directory=tmp_path)
    assert (config.pilot_age_days, config.stale_days, config.severity, config.disabled) == (180, 90, {}, frozenset())
    assert config.as_of == dt.datetime.now(dt.timezone.utc).date()


def test_aimap_toml_analysis_table(tmp_path):
    (tmp_path / "aimap.toml").write_text(
        'store = "sqlite:///x.db"\n[analysis]\npilot_age_days = 120\nas_of = 2026-01-31\n'
        'disabled = ["stale-record"]\n[analysis.severity]\n"dependency-cycle" = "HIGH"\n')
    config = load_config(directory=tmp_path)
    assert config.pilot_age_days == 120 and config.as_of == dt.date(2026, 1, 31)
    assert config.disabled == {"stale-record"}
    assert config.severity == {"dependency-cycle": Severity.HIGH}
    assert not config.enabled("stale-record") and config.enabled("dependency-cycle")


def test_pyproject_tool_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.aimap.analysis]\nstale_days = 30\n')
    assert load_config(directory=tmp_path).stale_days == 30


def test_aimap_toml_wins_over_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.aimap.analysis]\nstale_days = 30\n")
    (tmp_path / "aimap.toml").write_text("[analysis]\nstale_days = 45\n")
    assert load_config(directory=tmp_path).stale_days == 45


def test_keyword_overrides_win_and_none_is_not_given(tmp_path):
    (tmp_path / "aimap.toml").write_text("[analysis]\nstale_days = 45\npilot_age_days = 10\n")
    config = load_config(directory=tmp_path, stale_days=5, pilot_age_days=None, as_of=dt.date(2025, 1, 1))
    assert (config.stale_days, config.pilot_age_days, config.as_of) == (5, 10, dt.date(2025, 1, 1))


def test_an_explicit_file(tmp_path):
    path = tmp_path / "ci-analysis.toml"
    path.write_text("[analysis]\nstale_days = 7\n")
    assert load_config(path).stale_days == 7
    with pytest.raises(AimapError, match="no config file"):
        load_config(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[analysis]\nstale_dayz = 3\n", r"aimap\.toml: \[analysis\] stale_dayz: unknown setting"),
        ("[analysis]\nstale_days = -1\n", r"aimap\.toml: \[analysis\] stale_days: .*greater than or equal to 0"),
        ("[analysis]\npilot_age_days = 'soon'\n", r"aimap\.toml: \[analysis\] pilot_age_days"),
        ("[analysis]\ndisabled = ['no-such-rule']\n",
         r"aimap\.toml: \[analysis\] disabled: unknown rule 'no-such-rule'"),
        ("[analysis.severity]\nstale-record = 'urgent'\n", r"aimap\.toml: \[analysis\] severity.*urgent"),
        ("[analysis.severity]\nnope = 'low'\n", r"aimap\.toml: \[analysis\] severity: unknown rule 'nope'"),
        ("[analysis\n", r"aimap\.toml: not valid TOML"),
        ("analysis = 3\n", r"aimap\.toml: \[analysis\] must be a table"),
    ],
)
def test_bad_files_name_the_file_and_key(tmp_path, text, expected):
    (tmp_path / "aimap.toml").write_text(text)
    with pytest.raises(AimapError, match=expected):
        load_config(directory=tmp_path)


def test_bad_overrides_are_aimap_errors():
    with pytest.raises(AimapError, match="severity"):
        load_config(severity={"stale-record": "nope"})
    assert AnalysisConfig(severity={"stale-record": "LOW"}).severity_for("stale-record", Severity.HIGH) is Severity.LOW
