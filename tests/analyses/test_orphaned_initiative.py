"""orphaned-initiative: a non-retired initiative with no active accountable owner."""

import datetime as dt

from graph.analyses import Severity
from graph.records import PendingRecord
from graph.schema import OwnerRole, Rel, Stage

RULE = "orphaned-initiative"
FRESH = dt.datetime(2026, 6, 29, 12, 0, tzinfo=dt.timezone.utc)


def _org(g):
    g.unit("bu-retail", "Retail")
    g.team("team-claims", "Claims Team", part_of="bu-retail")
    g.workflow("wf-claims", "Claims intake", owner="team-claims")


def test_no_owner_is_found_with_the_workflows_unit(g, analyze):
    _org(g)
    g.initiative("ini-bot", "Claims Bot", supports=["wf-claims"])
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "ini-bot"
    assert finding.severity is Severity.HIGH
    assert finding.business_unit == "bu-retail"  # no owner: the supported workflow's unit
    assert "Claims Bot" in finding.message
    assert finding.id.startswith(RULE + ":")


def test_production_and_scaled_are_critical(g, analyze):
    _org(g)
    g.initiative("ini-live", stage=Stage.PRODUCTION)
    g.initiative("ini-big", stage=Stage.SCALED)
    g.initiative("ini-idea", stage=Stage.IDEA)
    found = {f.subject: f.severity for f in analyze(g.graph(), RULE)}
    assert found == {"ini-live": Severity.CRITICAL, "ini-big": Severity.CRITICAL, "ini-idea": Severity.HIGH}


def test_an_owner_who_left_counts_as_none(g, analyze):
    _org(g)
    g.person("p-ann", "Ann Lee", member_of=["team-claims"], active=False)
    g.initiative("ini-bot", "Claims Bot", owner="p-ann")
    [finding] = analyze(g.graph(), RULE)
    assert finding.related == ["p-ann"]
    assert "Ann Lee has left" in finding.message
    assert finding.business_unit == "bu-retail"  # the unit of the owner who left
    assert [step.from_ for step in finding.evidence] == ["p-ann"]


def test_an_inactive_team_counts_as_none(g, analyze):
    _org(g)
    g.team("team-old", "Old Lab", part_of="bu-retail", active=False)
    g.initiative("ini-bot", owner="team-old")
    [finding] = analyze(g.graph(), RULE)
    assert "Old Lab is an inactive team" in finding.message


def test_an_active_accountable_owner_is_enough(g, analyze):
    _org(g)
    g.person("p-ann", member_of=["team-claims"], active=False)
    g.initiative("ini-bot", owner="p-ann")
    g.owns("team-claims", "ini-bot")
    assert analyze(g.graph(), RULE) == []


def test_only_the_accountable_role_counts(g, analyze):
    _org(g)
    g.initiative("ini-bot")
    g.owns("team-claims", "ini-bot", OwnerRole.SPONSOR)
    g.owns("team-claims", "ini-bot", OwnerRole.DEPLOYMENT)
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "ini-bot"
    assert finding.business_unit == "bu-retail"  # from the owner in another role


def test_a_person_owner_nested_three_levels_deep(g, analyze):
    g.unit("bu-ops", "Operations")
    g.team("dept-logistics", part_of="bu-ops")
    g.team("team-routing", part_of="dept-logistics")
    g.team("squad-eta", part_of="team-routing")
    g.person("p-bo", member_of=["squad-eta"])
    g.initiative("ini-eta", owner="p-bo", stage=Stage.PRODUCTION)
    g.initiative("ini-gone", stage=Stage.PRODUCTION)
    g.owns("p-bo", "ini-gone", OwnerRole.SPONSOR)
    [finding] = analyze(g.graph(), RULE)
    assert finding.subject == "ini-gone"
    assert finding.business_unit == "bu-ops"
    assert finding.business_unit_name == "Operations"


def test_retired_initiatives_are_ignored(g, analyze):
    _org(g)
    g.initiative("ini-old", stage=Stage.RETIRED)
    assert analyze(g.graph(), RULE) == []


def _pending_owner(store, owner: str, owned: str, role: str = "accountable") -> None:
    """An OWNS relationship whose owner no import has brought, as an import keeps it."""
    store.upsert([], [], FRESH, pending=[PendingRecord(Rel.OWNS, owner, owned, {"role": role},
                                                       "catalog-info.yaml", 12, "catalog-info.yaml", "backstage")])


def test_a_pending_owner_is_no_owner_and_the_finding_names_it(g, analyze):
    _org(g)
    g.initiative("ini-bot", "Claims Bot", supports=["wf-claims"])
    g.graph()
    _pending_owner(g.store, "group:default/maintainers", "ini-bot")
    [finding] = analyze(g.store.to_networkx(), RULE)
    assert finding.subject == "ini-bot"
    assert "owned by group:default/maintainers, which no import has brought" in finding.message
    [step] = finding.evidence
    assert (step.from_, step.to, step.source) == ("group:default/maintainers", "ini-bot", "catalog-info.yaml")
    assert "catalog-info.yaml:12" in step.note


def test_a_pending_owner_beside_an_active_owner_is_no_finding(g, analyze):
    _org(g)
    g.initiative("ini-bot", "Claims Bot", owner="team-claims")
    g.graph()
    _pending_owner(g.store, "group:default/maintainers", "ini-bot")
    assert analyze(g.store.to_networkx(), RULE) == []


def test_a_pending_owner_in_another_role_is_not_named(g, analyze):
    _org(g)
    g.initiative("ini-bot", "Claims Bot")
    g.graph()
    _pending_owner(g.store, "group:default/risk-office", "ini-bot", role="risk")
    [finding] = analyze(g.store.to_networkx(), RULE)
    assert "which no import has brought" not in finding.message
