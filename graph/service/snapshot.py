"""An analysed snapshot of the graph: read once, analysed once, answered from many times.

A ``Snapshot`` holds the analysis index of the whole graph at one store
revision, the findings of every rule, and (computed on first use) the
scorecards, pipeline and priorities. It never changes; the service swaps in a
new one when the store's revision moves.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from graph.analyses import AnalysisConfig, AnalysisContext, AnalysisResult, Finding, Severity, run_analysis
from graph.analyses.model import Pipeline, ScorecardReport
from graph.analyses.pipeline import build_pipeline
from graph.analyses.priorities import ranked_workflows
from graph.gc_pause import collector_paused
from graph.analyses.scorecard import build_scorecards
from graph.analyses.context import VENDORS
from graph.schema import Kind
from graph.store.base import Store


class Snapshot:
    """The graph at ``revision``, analysed with ``config``."""

    def __init__(self, ctx: AnalysisContext, config: AnalysisConfig, revision: int,
                 result: AnalysisResult | None = None):
        """``result``: the findings of ``ctx`` when the caller has them (a
        what-if that ran only the rules its changes can move); else the rules run."""
        self.ctx = ctx
        self.config = config
        self.revision = revision
        self.result: AnalysisResult = result if result is not None else run_analysis(ctx, config)

    @classmethod
    def read(cls, store: Store, config: AnalysisConfig) -> "Snapshot":
        """Read ``store`` whole and analyse it. The revision is read first: a
        write that lands during the read makes the snapshot look older than
        it is, so the next question rebuilds it — never the other way round."""
        revision = store.revision()
        with collector_paused():  # one collection after read and rules, not one after each
            return cls(AnalysisContext.from_store(store), config, revision)

    # -- what the analyses say, computed once per snapshot ----------------------
    @cached_property
    def findings_by_entity(self) -> dict[str, list[Finding]]:
        """Every finding under each entity it involves (subject or related)."""
        index: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.result.findings:
            for entity in dict.fromkeys((finding.subject, *finding.related)):
                index[entity].append(finding)
        return dict(index)

    @cached_property
    def scorecards(self) -> ScorecardReport:
        return build_scorecards(self.ctx, self.config, self.result)

    @cached_property
    def pipeline(self) -> Pipeline:
        return build_pipeline(self.ctx)

    @cached_property
    def priority_order(self) -> list[str]:
        """Every workflow's id by opportunity; the read side builds the answers
        (``workflow_priority``) only for the workflows a question returns."""
        return ranked_workflows(self.ctx)

    @cached_property
    def business_units(self) -> dict[str, str]:
        """Every business unit that has something in it, id → name: the
        top-level teams that are not vendors, and ``vendors`` (what only
        vendors own) when there is any, last."""
        ctx = self.ctx
        units = {ctx.team_unit(team) for team in ctx.ids(Kind.TEAM)}
        units.update(f.business_unit for f in self.result.findings if f.business_unit)
        ordered = sorted(units - {VENDORS}) + ([VENDORS] if VENDORS in units else [])
        return {unit: ctx.unit_name(unit) or unit for unit in ordered}

    def is_vendor(self, unit: str) -> bool:
        """The ``vendors`` bucket (a vendor is never a business unit)."""
        return unit == VENDORS

    def worst(self, entity: str) -> Severity | None:
        return max((f.severity for f in self.findings_by_entity.get(entity, ())), default=None)
