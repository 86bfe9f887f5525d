"""Analysis settings: thresholds, severity overrides, rules turned off, and "today".

Defaults are PRODUCT.md's contract. Settings come, in increasing precedence, from

1. the defaults below;
2. a config file: the one given explicitly (``--config FILE``), else
   ``aimap.toml`` in the working directory, else ``pyproject.toml`` there if it
   has the table. Only the first file found is read. The settings live in a
   table of their own so other parts of aimap can keep theirs in the same file:
   ``[analysis]`` in ``aimap.toml`` (or any other file given explicitly) and
   ``[tool.aimap.analysis]`` in ``pyproject.toml``::

       [analysis]
       pilot_age_days = 120          # pilot-purgatory: a pilot older than this
       stale_days = 60               # stale-record: not confirmed for longer than this
       as_of = 2026-06-30            # "today"; normally left out
       disabled = ["stale-record"]   # rules that do not run

       [analysis.severity]           # per-rule severity, replacing the rule's own
       dependency-cycle = "medium"   # (escalations included) for every finding

3. keyword arguments (the command line's options); ``None`` means "not given".

An unknown key, an unknown rule or a bad value is an ``AimapError`` naming the
file and the key, never a silently ignored setting.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from graph.analyses.model import Severity
from graph import config_file
from graph.errors import AimapError

DEFAULT_PILOT_AGE_DAYS = 180
DEFAULT_STALE_DAYS = 90
TABLE = "analysis"


def _today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


def _known_rules() -> set[str]:
    from graph.analyses.registry import rule_ids  # late: the registry imports the rules

    return set(rule_ids())


class AnalysisConfig(BaseModel):
    """Everything a run depends on besides the graph; the same config and graph
    give the same findings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    as_of: dt.date = Field(default_factory=_today, description='"today": ages and staleness count up to this date')
    pilot_age_days: int = Field(DEFAULT_PILOT_AGE_DAYS, ge=0, description="pilot-purgatory threshold")
    stale_days: int = Field(DEFAULT_STALE_DAYS, ge=0, description="stale-record threshold")
    severity: dict[str, Severity] = Field(default_factory=dict, description="rule id -> severity override")
    disabled: frozenset[str] = Field(default_factory=frozenset, description="rule ids that do not run")

    @field_validator("severity", mode="before")
    @classmethod
    def _parse_severities(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {key: Severity.parse(level) if isinstance(level, str) else level for key, level in value.items()}
        return value

    @field_validator("severity")
    @classmethod
    def _known_severity_rules(cls, value: dict[str, Severity]) -> dict[str, Severity]:
        unknown = sorted(set(value) - _known_rules())
        if unknown:
            raise ValueError(f"unknown rule {unknown[0]!r}: use one of {', '.join(sorted(_known_rules()))}")
        return dict(sorted(value.items()))

    @field_validator("disabled", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("disabled")
    @classmethod
    def _known_disabled_rules(cls, value: frozenset[str]) -> frozenset[str]:
        unknown = sorted(value - _known_rules())
        if unknown:
            raise ValueError(f"unknown rule {unknown[0]!r}: use one of {', '.join(sorted(_known_rules()))}")
        return value

    def enabled(self, rule: str) -> bool:
        return rule not in self.disabled

    def severity_for(self, rule: str, default: Severity) -> Severity:
        return self.severity.get(rule, default)


def _describe(error: Any, prefix: str) -> str:
    key = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        known = ", ".join(name for name in AnalysisConfig.model_fields)
        message = f"unknown setting (known: {known})"
    return f"[{prefix}] {key}: {message}"


def load_config(path: str | Path | None = None, directory: Path | None = None, **overrides: Any) -> AnalysisConfig:
    """The settings in force: defaults, then the config file, then ``overrides``
    (keyword arguments that are ``None`` are ignored, so a command line can pass
    every option through)."""
    file, settings = config_file.settings(TABLE, path, directory)
    if file is not None:
        try:
            AnalysisConfig(**settings)
        except ValidationError as exc:
            prefix = ".".join(config_file.table_path(file, TABLE))
            raise AimapError(f"{file}: {_describe(exc.errors()[0], prefix)}") from None
    settings = dict(settings)
    settings.update({key: value for key, value in overrides.items() if value is not None})
    try:
        return AnalysisConfig(**settings)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"])
        raise AimapError(f"{key}: {error['msg'].removeprefix('Value error, ')}") from None
