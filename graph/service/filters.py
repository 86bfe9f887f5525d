"""One filter vocabulary for every question the read side answers.

The command line, the HTTP API, the explorer and the report all narrow their
answers with the same words: a business unit (its id or its name), kinds,
rules, a minimum severity and a piece of text. Each question uses the words
that apply to it; ``business_unit`` is matched in one place (``unit_matches``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graph.analyses.model import Severity
from graph.errors import AimapError
from graph.schema import Kind

class UnknownBusinessUnit(AimapError, LookupError):
    """A business-unit filter that names no business unit: an error, never an
    empty answer (a CI gate on an unknown unit would check nothing)."""


class Filters(BaseModel):
    """What to keep. ``None`` (or empty) keeps everything."""

    model_config = ConfigDict(frozen=True)

    business_unit: str | None = Field(None, description="a business unit's id or name")
    kind: tuple[Kind, ...] = Field((), description="entity kinds")
    rule: tuple[str, ...] = Field((), description="gap rules")
    severity: Severity | None = Field(None, description="findings at or above this severity")
    text: str | None = Field(None, description="a piece of an id or name, any case")

    @field_validator("severity", mode="before")
    @classmethod
    def _severity(cls, value: object) -> object:
        return Severity.parse(value) if isinstance(value, str) else value

    @field_validator("rule")
    @classmethod
    def _known_rules(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        from graph.analyses.registry import get_rule  # raises UnknownRuleError naming the rules

        for rule in value:
            get_rule(rule)
        return value

    def unit_matches(self, unit: str | None, unit_name: str | None) -> bool:
        """Whether an answer in the unit ``unit`` (named ``unit_name``) is kept."""
        return self.business_unit is None or self.business_unit in (unit, unit_name)

    def kind_matches(self, kind: Kind | None) -> bool:
        return not self.kind or kind in self.kind

    def text_matches(self, *values: str | None) -> bool:
        if not self.text:
            return True
        wanted = self.text.casefold()
        return any(value is not None and wanted in value.casefold() for value in values)
