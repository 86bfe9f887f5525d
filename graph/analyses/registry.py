"""The one place rules are registered.

A rule is a module in ``graph/analyses/rules/`` with a function decorated by
``@rule``; ``all_rules()`` imports every module of that package, so adding a
rule is adding a file. A rule is a pure function of the ``AnalysisContext``
and the ``AnalysisConfig`` that yields ``Finding``s.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.analyses.model import Finding, Severity
from graph.errors import AimapError

if TYPE_CHECKING:
    from graph.analyses.config import AnalysisConfig
    from graph.analyses.context import AnalysisContext

Check = Callable[["AnalysisContext", "AnalysisConfig"], Iterable[Finding]]

_RULE_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    check: Check
    needs_stage: bool = False
    """The rule judges initiatives by their stage, so it passes over those of
    ``unknown`` stage; the result says so (``AnalysisResult.notes``)."""

    @property
    def description(self) -> str:
        return (self.check.__doc__ or "").strip()


class UnknownRuleError(AimapError, KeyError):
    """A rule id that no rule has: a user error (one line), and a KeyError for code."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


_RULES: dict[str, Rule] = {}
_loaded = False


def rule(rule_id: str, severity: Severity, title: str, needs_stage: bool = False) -> Callable[[Check], Check]:
    """Register ``check`` as the rule ``rule_id`` with its default severity
    (the one PRODUCT.md gives; a rule may escalate single findings)."""
    if not _RULE_ID.match(rule_id):
        raise ValueError(f"rule id {rule_id!r} must be lower-case words joined by hyphens")

    def register(check: Check) -> Check:
        existing = _RULES.get(rule_id)
        if existing is not None and existing.check.__module__ != check.__module__:
            raise ValueError(f"rule {rule_id!r} is registered twice: {existing.check.__module__}, {check.__module__}")
        _RULES[rule_id] = Rule(rule_id, Severity(severity), title, check, needs_stage)
        return check

    return register


def _load() -> None:
    global _loaded
    if _loaded:
        return
    from graph.analyses import rules

    for module in sorted(pkgutil.iter_modules(rules.__path__), key=lambda m: m.name):
        if not module.name.startswith("_"):
            importlib.import_module(f"{rules.__name__}.{module.name}")
    _loaded = True


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by id."""
    _load()
    return [_RULES[rule_id] for rule_id in sorted(_RULES)]


def rule_ids() -> list[str]:
    return [r.id for r in all_rules()]


def get_rule(rule_id: str) -> Rule:
    _load()
    try:
        return _RULES[rule_id]
    except KeyError:
        raise UnknownRuleError(f"unknown rule {rule_id!r}: use one of {', '.join(rule_ids())}") from None
