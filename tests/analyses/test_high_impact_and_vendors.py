"""Issue 15 in the analyses: high-impact raises orphaned-initiative and
unowned-dependency one step; a vendor is never a business unit (what only a
vendor owns is reported under "vendors", in findings, scorecard and
pipeline); rules that need a stage say why they skip unknown-stage ones."""

from graph.analyses import AnalysisConfig, Severity, run_analysis
from graph.analyses.context import VENDORS
from graph.analyses.pipeline import build_pipeline
from graph.analyses.scorecard import build_scorecards
from graph.schema import OwnerRole, Stage, TeamType


def test_a_high_impact_orphan_is_critical_and_says_so(g, analyze):
    g.initiative("ini-benefits", "Benefits Scoring", stage=Stage.PILOT, high_impact=True)
    g.initiative("ini-plain", "Plain Pilot", stage=Stage.PILOT, high_impact=False)
    findings = {f.subject: f for f in analyze(g.graph(), "orphaned-initiative")}
    assert findings["ini-benefits"].severity is Severity.CRITICAL
    assert "high-impact" in findings["ini-benefits"].message
    assert findings["ini-plain"].severity is Severity.HIGH
    assert "high-impact" not in findings["ini-plain"].message


def test_an_owned_high_impact_initiative_is_no_orphan(g, analyze):
    g.unit("bu-a")
    g.initiative("ini-owned", stage=Stage.PILOT, owner="bu-a", high_impact=True)
    assert analyze(g.graph(), "orphaned-initiative") == []


def test_an_unowned_dependency_of_high_impact_ai_is_critical(g, analyze):
    g.unit("bu-a")
    g.system("sys-orphan", "Orphan DB")
    g.system("sys-other", "Other DB")
    g.initiative("ini-risky", "Risky AI", stage=Stage.PRODUCTION, owner="bu-a", depends_on=["sys-orphan"],
                 high_impact=True)
    g.initiative("ini-calm", "Calm AI", stage=Stage.PRODUCTION, owner="bu-a", depends_on=["sys-other"])
    findings = {f.subject: f for f in analyze(g.graph(), "unowned-dependency")}
    assert findings["sys-orphan"].severity is Severity.CRITICAL
    assert "High-impact: Risky AI" in findings["sys-orphan"].message
    assert findings["sys-other"].severity is Severity.HIGH


def _vendor_world(g):
    g.unit("bu-a", "Alpha")
    g.team("vendor-acme", "Acme", type=TeamType.VENDOR)
    g.team("acme-delivery", "Acme Delivery", part_of="vendor-acme")  # under a vendor: still the vendor
    g.initiative("ini-vendor-only", stage=Stage.PILOT, owner="vendor-acme")
    g.initiative("ini-delivery", stage=Stage.PILOT, owner="acme-delivery")
    g.initiative("ini-shared", stage=Stage.PILOT, owner="bu-a")
    g.owns("vendor-acme", "ini-shared", OwnerRole.RESPONSIBLE)
    g.initiative("ini-both-accountable", stage=Stage.PILOT, owner="bu-a")
    g.owns("vendor-acme", "ini-both-accountable")
    return g.graph()


def test_what_only_a_vendor_owns_is_under_vendors(g):
    graph = _vendor_world(g)
    result = run_analysis(graph, AnalysisConfig(as_of=g.as_of))
    units = {f.subject: f.business_unit for f in result.findings if f.rule == "pilot-purgatory"}
    assert units == {"ini-vendor-only": VENDORS, "ini-delivery": VENDORS, "ini-shared": "bu-a",
                     "ini-both-accountable": "bu-a"}
    assert {f.business_unit_name for f in result.findings if f.business_unit == VENDORS} == {"vendors"}
    # a vendor beside a unit does not make ownership span business units
    assert not [f for f in result.findings if f.rule == "fragmented-ownership" and "business units" in f.message]


def test_the_pipeline_and_scorecard_keep_vendors_apart(g):
    graph = _vendor_world(g)
    rows = {row.business_unit: row for row in build_pipeline(graph).business_units}
    assert list(rows) == ["bu-a", VENDORS]  # vendors after the units, and never "vendor-acme"
    assert rows[VENDORS].stages[Stage.PILOT] == 2 and rows["bu-a"].stages[Stage.PILOT] == 2
    cards = build_scorecards(graph, AnalysisConfig(as_of=g.as_of))
    assert [(u.business_unit, u.initiatives) for u in cards.business_units] == [("bu-a", 2), (VENDORS, 2)]


def test_unknown_stage_is_counted_and_the_skipping_rules_say_why(g):
    g.unit("bu-a")
    g.initiative("ini-unknown", "Mystery", stage=Stage.UNKNOWN, owner="bu-a")
    graph = g.graph()
    result = run_analysis(graph, AnalysisConfig(as_of=g.as_of))
    [note] = result.notes
    assert note.startswith("pilot-metrics-only, pilot-purgatory, unanchored-initiative, unowned-dependency: "
                           "1 initiative(s) of unknown stage not judged")
    assert "Mystery" in note
    assert build_pipeline(graph).total.stages[Stage.UNKNOWN] == 1
    [card] = build_scorecards(graph, AnalysisConfig(as_of=g.as_of), result).initiatives
    assert card.stage == "unknown"
    assert "stage unknown" in next(c.reason for c in card.checks if c.name.value == "path_to_production")


def test_no_note_without_unknown_stages(g):
    g.unit("bu-a")
    g.initiative("ini-known", stage=Stage.PILOT, owner="bu-a")
    assert run_analysis(g.graph(), AnalysisConfig(as_of=g.as_of)).notes == []


def test_the_pipeline_counts_movement_between_years(g):
    g.unit("bu-a")
    g.initiative("ini-stuck", stage=Stage.PILOT, owner="bu-a", history=["2024-12-31 pilot", "2025-12-31 pilot"])
    g.initiative("ini-live", stage=Stage.PRODUCTION, owner="bu-a",
                 history=["2024-12-31 pilot", "2025-06-30 pilot", "2025-12-31 production"])
    g.initiative("ini-gone", stage=Stage.RETIRED, owner="bu-a", history=["2024-12-31 pilot", "2025-12-31 retired"])
    g.initiative("ini-once", stage=Stage.PILOT, owner="bu-a", history=["2025-12-31 pilot"])
    moves = [(m.from_year, m.to_year, m.from_stage.value, m.to_stage.value, m.initiatives)
             for m in build_pipeline(g.graph()).total.movements]
    assert moves == [(2024, 2025, "pilot", "pilot", 1), (2024, 2025, "pilot", "production", 1),
                     (2024, 2025, "pilot", "retired", 1)]
