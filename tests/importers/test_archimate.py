"""The ArchiMate exchange-file importer, end to end into a store: the real
Archisurance and Sample1 models, and fixtures for each mapping rule, the 2.1
format, language-tagged names and property definitions."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.schema import Kind, OwnerRole, Rel
from importers.formats.archimate import archimate_type, map_relationship
from importers.base import ImportFailed
from importers.loader import ImportOptions, import_paths
from importer_checks import REPO, counts, edges, props, sample as shared_sample, write


def sample(name: str) -> Path:
    return shared_sample("archimate", name)


FIXTURES = REPO / "tests" / "fixtures" / "archimate"
NS3 = "http://www.opengroup.org/xsd/archimate/3.0/"
ARCHISURANCE = "archimate:id-11f5304f:"
CLAIMS = "archimate:m-claims:"
LEGACY = "archimate:m-legacy:"


# -- the real samples ---------------------------------------------------------------

def test_sample1_role_performs_process(store):
    report = import_paths([sample("Sample1.xml")], store)
    assert report.files == {str(sample("Sample1.xml")): "archimate"}
    assert counts(store) == ({Kind.TEAM: 1, Kind.WORKFLOW: 1}, {Rel.PERFORMS: 1})
    role, process = "archimate:id-11f5304f:id-37d5bc4b", "archimate:id-11f5304f:id-89c22226"
    assert props(store, role) == {"name": "Sales Person", "description": "A description of a sales person"}
    assert store.get(process).kind is Kind.WORKFLOW
    assert edges(store, Rel.PERFORMS) == {(role, process)}


def test_archisurance_counts_and_skipped_relationships(store):
    report = import_paths([sample("archisurance.xml")], store)
    assert counts(store) == (
        {Kind.TEAM: 22, Kind.SYSTEM: 26, Kind.WORKFLOW: 17},
        {Rel.DEPENDS_ON: 24, Rel.PART_OF: 16, Rel.PERFORMS: 12, Rel.USES: 13},
    )
    skipped = {g.message: g.count for g in report.problems}
    assert not any(g.fatal for g in report.problems)
    assert skipped == {f"ArchiMate {kind} relationship not mapped": n for kind, n in {
        "Flow": 33, "Realization": 19, "Serving": 13, "Triggering": 13, "Association": 7, "Aggregation": 5,
        "Specialization": 5, "Access": 4, "Composition": 1}.items()}
    assert sum(skipped.values()) == 100  # of 178 relationships, 78 carry an aimap meaning (33 before)


def test_archisurance_leaves_unconnected_only_what_the_model_leaves_unconnected(store):
    """Front Office and five technology elements have no relationship at all;
    Back Office only exchanges Flows; Customer's Bank is aggregated in a
    collaboration that does nothing. Everyone else is connected."""
    import_paths([sample("archisurance.xml")], store)
    touched = {end for r in store.iter_relationships() for end in (r.source_id, r.target_id)}
    lone = sorted(n.name for n in store.iter_nodes() if n.kind in (Kind.TEAM, Kind.SYSTEM) and n.id not in touched)
    assert lone == ["Back Office", "CICS", "Customer's Bank", "DBMS", "Front Office", "Message Queing",
                    "Unix Server", "Unix Server"]


def test_archisurance_specific_nodes_and_relationships(store):
    import_paths([sample("archisurance.xml")], store)
    a = ARCHISURANCE
    assert props(store, a + "id-1393") == {"name": "CRM System", "category": "application"}
    assert props(store, a + "id-1870")["category"] == "system software"
    assert props(store, a + "id-1882")["category"] == "device"
    assert props(store, a + "id-303")["name"] == "Home & Away"  # "Home  &  Away": spaces collapsed
    assert store.get(a + "id-673") is None  # a BusinessObject is not a node
    # the Insurer role performs Create Contract and Handle Claim (Assignment), and the interactions of
    # the Negotiation and Contracting collaborations it is a member of
    insurer = {t for s, t in edges(store, Rel.PERFORMS) if s == a + "id-514"}
    assert insurer == {a + "id-612", a + "id-556", a + "id-721", a + "id-722"}
    # ... and so does the ArchiSurance actor, assigned to the Insurer role, which is PART_OF it
    assert {t for s, t in edges(store, Rel.PERFORMS) if s == a + "id-275"} == insurer
    assert (a + "id-514", a + "id-275") in edges(store, Rel.PART_OF)
    # Create Contract uses the CRM System: CRM realizes the CIS service that serves the process
    assert (a + "id-612", a + "id-1393") in edges(store, Rel.USES)
    # Serving between applications; Realization by system software and by a device
    assert (a + "id-843", a + "id-1399") in edges(store, Rel.DEPENDS_ON)
    assert (a + "id-1399", a + "id-1870") in edges(store, Rel.DEPENDS_ON)
    assert (a + "id-1813", a + "id-1882") in edges(store, Rel.DEPENDS_ON)
    # a technology service realized by the Mainframe serves Policy Data Management
    assert (a + "id-861", a + "id-986") in edges(store, Rel.DEPENDS_ON)
    # Composition: Customer Data Access is part of Home & Away Policy Administration
    assert (a + "id-855", a + "id-843") in edges(store, Rel.PART_OF)


def test_two_files_of_one_model_identifier_are_warned_about(store):
    report = import_paths([sample("Sample1.xml"), sample("archisurance.xml")], store)
    warning = [g for g in report.problems if g.message == "two ArchiMate files of one model"]
    assert len(warning) == 1 and warning[0].count == 1 and not warning[0].fatal
    assert store.counts().total_nodes == 2 + 65  # distinct element identifiers: nothing merged


def test_reimport_changes_nothing(store):
    import_paths([sample("archisurance.xml")], store)
    before = sorted((n.id, n.properties) for n in store.iter_nodes())
    again = import_paths([sample("archisurance.xml")], store)
    assert all(c.created == 0 and c.updated == 0 for c in again.nodes.values())
    assert all(c.created == 0 for c in again.relationships.values())
    assert sorted((n.id, n.properties) for n in store.iter_nodes()) == before


# -- the 3.x mapping fixture -----------------------------------------------------------

@pytest.fixture
def claims(store):
    report = import_paths([FIXTURES / "mapping-3.xml"], store)
    return store, report


def test_element_types_become_kinds(claims):
    store, _ = claims
    kinds = {n.id.removeprefix(CLAIMS): n.kind for n in store.iter_nodes()}
    assert kinds == {
        "a-claims": Kind.TEAM, "a-ops": Kind.TEAM, "r-adjuster": Kind.TEAM, "r-team": Kind.TEAM,
        "a-ana": Kind.PERSON, "person:it-owner@example.com": Kind.PERSON,
        "p-handle": Kind.WORKFLOW, "p-register": Kind.WORKFLOW, "f-claims": Kind.WORKFLOW,
        "i-negotiate": Kind.WORKFLOW,
        "app-crm": Kind.SYSTEM, "app-portal": Kind.SYSTEM, "app-rules": Kind.SYSTEM, "app-crm-ui": Kind.SYSTEM,
        "n-cluster": Kind.SYSTEM, "d-server": Kind.SYSTEM, "s-db": Kind.SYSTEM,
    }


def test_names_and_documentation_prefer_english_else_the_first(claims):
    store, _ = claims
    assert props(store, CLAIMS + "a-claims")["name"] == "Claims department"  # de first, en second
    assert props(store, CLAIMS + "a-ops")["name"] == "Opérations"  # fr and nl: the first
    assert props(store, CLAIMS + "p-handle")["description"] == "Handle a damage claim end to end."


def test_property_definitions_set_schema_fields(claims):
    store, _ = claims
    assert props(store, CLAIMS + "app-crm") == {
        "name": "CRM", "category": "application", "lifecycle": "active", "criticality": "critical",
        "vendor": "Acme Software"}
    assert props(store, CLAIMS + "app-portal")["lifecycle"] == "deprecated"  # "Phasing out"
    assert props(store, CLAIMS + "a-claims")["type"] == "department"
    assert props(store, CLAIMS + "a-ana") == {"name": "Ana Silva", "email": "ana@example.com", "title": "Claims lead"}
    assert props(store, CLAIMS + "p-handle")["friction"] == 4
    assert props(store, CLAIMS + "p-handle")["volume"] == 1200
    assert props(store, CLAIMS + "s-db")["category"] == "system software"


def test_unknown_property_values_and_owners_are_warnings(claims, store):
    _, report = claims
    groups = {g.message: g for g in report.problems}
    value = groups["ArchiMate property value not understood"]
    assert value.count == 1 and not value.fatal
    assert value.sample == [f"{FIXTURES / 'mapping-3.xml'}:61 [app-rules]: Lifecycle status: "
                            "'Planned' is not a lifecycle aimap understands; ignored"]
    assert "lifecycle" not in props(store, CLAIMS + "app-rules")
    owner = groups["ArchiMate owner not mapped"]
    assert owner.count == 1 and "'Nobody in particular'" in owner.sample[0]


def test_owner_properties_become_owns(claims):
    store, _ = claims
    owns = {(r.source_id, r.target_id, r.properties.get("role")) for r in store.iter_relationships(Rel.OWNS)}
    assert owns == {
        (CLAIMS + "a-claims", CLAIMS + "app-crm", OwnerRole.ACCOUNTABLE),  # owner by the actor's name
        (CLAIMS + "person:it-owner@example.com", CLAIMS + "app-portal", OwnerRole.ACCOUNTABLE),  # an e-mail: a Person
        (CLAIMS + "a-ana", CLAIMS + "app-portal", OwnerRole.RESPONSIBLE),  # technical owner: the actor with that e-mail
        (CLAIMS + "a-claims", CLAIMS + "app-rules", OwnerRole.ACCOUNTABLE),  # Assignment actor → application
    }
    assert props(store, CLAIMS + "person:it-owner@example.com")["email"] == "it-owner@example.com"


def test_assignment_rules(claims):
    store, _ = claims
    c = CLAIMS
    assert (c + "r-adjuster", c + "p-handle") in edges(store, Rel.PERFORMS)
    assert edges(store, Rel.MEMBER_OF) == {(c + "a-ana", c + "r-adjuster")}
    assert (c + "p-register", c + "app-rules") in edges(store, Rel.USES)  # an automated process
    assert (c + "s-db", c + "n-cluster") in edges(store, Rel.DEPENDS_ON)  # deployed on the node
    # a role held by one organisational actor is part of it
    assert store.relationships(c + "r-team") == store.relationships(c + "r-team", Rel.PART_OF)
    assert edges(store, Rel.PART_OF) >= {(c + "r-team", c + "a-claims")}


def test_serving_flow_realization_and_derivations(claims):
    store, _ = claims
    c = CLAIMS
    assert edges(store, Rel.DEPENDS_ON) == {
        (c + "app-portal", c + "app-crm"),  # CRM serves the portal
        (c + "app-rules", c + "app-portal"),  # data flows from the portal to the rules engine
        (c + "app-portal", c + "d-server"),  # the print server realizes the portal
        (c + "s-db", c + "n-cluster"),
        (c + "app-crm", c + "s-db"),  # through the database technology service
    }
    assert edges(store, Rel.USES) == {
        (c + "p-register", c + "app-rules"),
        (c + "p-register", c + "app-portal"),  # Serving application → process
        (c + "p-handle", c + "app-crm"),  # through the customer data application service
        (c + "f-claims", c + "app-crm"),  # through the Or junction
        (c + "i-negotiate", c + "app-crm"),
    }


def test_composition_and_aggregation_within_one_kind(claims):
    store, report = claims
    c = CLAIMS
    assert edges(store, Rel.PART_OF) == {
        (c + "a-ops", c + "a-claims"),
        (c + "p-handle", c + "f-claims"),
        (c + "app-crm-ui", c + "app-crm"),
        (c + "r-team", c + "a-claims"),  # Assignment actor → role
    }
    skipped = {g.message: g.sample for g in report.problems}
    assert any("[rel-mixed]" in s for s in skipped["ArchiMate Aggregation relationship not mapped"])
    assert skipped["ArchiMate Triggering relationship not mapped"][0].endswith(
        "[rel-trigger]: Triggering from BusinessEvent 'Damage occurred' to BusinessProcess 'Register claim' "
        "has no aimap meaning; skipped")


def test_strict_makes_the_skipped_relationships_fatal(store):
    with pytest.raises(ImportFailed, match="Access from BusinessProcess 'Handle claim'"):
        import_paths([FIXTURES / "mapping-3.xml"], store, ImportOptions(strict=True))
    assert store.counts().total_nodes == 0


# -- ArchiMate 2.1 and other files ----------------------------------------------------------

def test_exchange_format_2_1(store):
    report = import_paths([FIXTURES / "exchange-2.1.xml"], store)
    assert report.files == {str(FIXTURES / "exchange-2.1.xml"): "archimate"}
    assert counts(store) == ({Kind.TEAM: 1, Kind.SYSTEM: 3, Kind.WORKFLOW: 1},
                             {Rel.DEPENDS_ON: 2, Rel.PERFORMS: 1, Rel.USES: 1})
    assert props(store, LEGACY + "id-billing") == {"name": "Billing", "category": "application", "lifecycle": "retired"}
    assert props(store, LEGACY + "id-ledger")["name"] == "General ledger"  # from <label>
    assert edges(store, Rel.DEPENDS_ON) == {
        (LEGACY + "id-billing", LEGACY + "id-ledger"),  # UsedByRelationship
        (LEGACY + "id-ledger", LEGACY + "id-mainframe"),  # through an InfrastructureService
    }
    assert edges(store, Rel.USES) == {(LEGACY + "id-close", LEGACY + "id-ledger")}
    assert edges(store, Rel.PERFORMS) == {(LEGACY + "id-finance", LEGACY + "id-close")}
    assert [g.message for g in report.problems] == ["ArchiMate Access relationship not mapped"]


def test_archi_native_file_is_refused_with_how_to_export(store):
    with pytest.raises(ImportFailed) as caught:
        import_paths([FIXTURES / "archi-native.archimate"], store)
    message = str(caught.value)
    assert f"{FIXTURES / 'archi-native.archimate'}:2: this is Archi's own model file" in message
    assert "Model To Open Exchange File" in message


def test_relationship_to_an_undefined_element_is_an_error(store, tmp_path):
    path = write(tmp_path, "dangling.xml", f"""\
        <model xmlns="{NS3}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m">
          <elements>
            <element identifier="a" xsi:type="ApplicationComponent"><name>A</name></element>
            <element identifier="a" xsi:type="Node"><name>A again</name></element>
          </elements>
          <relationships>
            <relationship identifier="r" source="a" target="ghost" xsi:type="Serving"/>
          </relationships>
        </model>
        """)
    with pytest.raises(ImportFailed) as caught:
        import_paths([path], store)
    message = str(caught.value)
    assert f"{path}:7 [r]: target: Serving refers to 'ghost', which this file does not define" in message
    assert f"{path}:4 [a]: identifier: duplicate identifier 'a' (first used on line 3)" in message
    assert store.counts().total_nodes == 0


def test_model_without_namespace_in_an_xml_file_is_not_claimed(store, tmp_path):
    path = write(tmp_path, "plain.xml", '<model identifier="m"><elements/></model>')
    with pytest.raises(ImportFailed, match="cannot tell the format of this file"):
        import_paths([path], store)


@pytest.mark.parametrize("raw, expected", [
    ("UsedByRelationship", "Serving"),
    ("archimate:RealisationRelationship", "Realization"),
    ("InfrastructureService", "TechnologyService"),
    ("Serving", "Serving"),
    ("archimate:BusinessActor", "BusinessActor"),
])
def test_type_names_of_both_versions_are_one_vocabulary(raw, expected):
    assert archimate_type(raw) == expected


def test_relationships_without_schema_meaning_map_to_nothing():
    team, system, workflow = ("t", Kind.TEAM), ("s", Kind.SYSTEM), ("w", Kind.WORKFLOW)
    assert map_relationship("Serving", workflow, system) is None  # a process does not serve a system
    assert map_relationship("Flow", workflow, workflow) is None
    assert map_relationship("Composition", team, system) is None
    assert map_relationship("Assignment", team, team) is None
    assert map_relationship("Serving", system, workflow).type is Rel.USES


def test_format_option_on_a_file_that_is_not_an_exchange_file(store):
    path = shared_sample("bpmn", "A.1.0.bpmn")
    with pytest.raises(ImportFailed) as caught:
        import_paths([path], store, ImportOptions(format="archimate"))
    assert f"{path}:2: not an ArchiMate exchange file: the root element is 'definitions'" in str(caught.value)


# -- what a model says one or more hops away (chains-3.xml) ----------------------------------
BANK = "archimate:m-bank:"


@pytest.fixture
def bank(store):
    report = import_paths([FIXTURES / "chains-3.xml"], store)
    return store, report


def named(store, rel: Rel) -> set[tuple[str, str]]:
    return {(s.removeprefix(BANK), t.removeprefix(BANK)) for s, t in edges(store, rel)}


def test_an_actor_performs_what_its_role_is_assigned_to(bank):
    store, _ = bank
    performs = named(store, Rel.PERFORMS)
    assert {("r-advisor", "p-advise"), ("a-bank", "p-advise")} <= performs  # actor → role → process
    assert {("r-shared", "p-open"), ("a-retail", "p-open"), ("a-cards", "p-open")} <= performs
    assert ("r-advisor", "a-bank") in named(store, Rel.PART_OF)  # a role held by one actor is part of it
    assert not {t for s, t in named(store, Rel.PART_OF) if s == "r-shared"}  # held by two: part of neither
    assert ("a-ana", "r-clerk") in named(store, Rel.MEMBER_OF)  # a person holding a role


def test_an_actor_owns_what_its_role_is_assigned_to_where_the_model_says_so(bank):
    store, _ = bank
    assert {("r-clerk", "app-kyc"), ("a-ana", "app-kyc")} <= named(store, Rel.OWNS)


def test_collaborations_give_their_members_their_relationships(bank):
    store, _ = bank
    performs = named(store, Rel.PERFORMS)
    # Onboarding (nested in the outer collaboration, and back: the walk ends) is assigned to the interaction
    assert {("r-advisor", "i-onboard"), ("r-clerk", "i-onboard"), ("a-bank", "i-onboard")} <= performs
    assert not {t for s, t in performs if s == "a-ana"}  # a Person performs nothing (PERFORMS is a Team's)
    # the application collaboration serves Open account: its components are used there
    assert {("p-open", "app-crm"), ("p-open", "app-kyc")} <= named(store, Rel.USES)
    assert store.get(BANK + "c-onboarding") is None and store.get(BANK + "ac-suite") is None


def test_a_service_chain_of_depth_3_and_a_cycle_of_services(bank):
    store, _ = bank
    uses, depends = named(store, Rel.USES), named(store, Rel.DEPENDS_ON)
    assert ("p-open", "app-core") in uses  # core → function → app service → business service → process
    assert ("app-core", "n-host") in depends  # host → compute service → the core's function
    assert ("app-crm", "app-gateway") in depends  # through the gateway's interface
    assert ("p-advise", "app-cyc") in uses  # through two services realizing each other


def test_a_process_accessing_data_uses_the_systems_that_hold_it(bank):
    store, _ = bank
    assert ("p-advise", "app-crm") in named(store, Rel.USES)  # Customer ← customer record ← CRM


def test_actor_associations_are_the_organisation_chart_without_cycles(bank):
    store, report = bank
    assert {("a-retail", "a-board"), ("a-cards", "a-retail")} <= named(store, Rel.PART_OF)
    assert ("a-board", "a-cards") not in named(store, Rel.PART_OF)  # would close a cycle
    assert ("a-ana", "a-retail") in named(store, Rel.MEMBER_OF)
    [skipped] = [g for g in report.problems if g.message == "ArchiMate Association relationship not mapped"]
    assert skipped.count == 1 and skipped.sample[0].endswith(
        "[rel-cards-board]: Association from BusinessActor 'Cards' to BusinessActor 'Board' would close a cycle "
        "in the organisation chart; skipped")


def test_networks_are_systems_their_nodes_depend_on(bank):
    store, _ = bank
    assert props(store, BANK + "net-lan")["category"] == "network"
    assert ("n-host", "net-lan") in named(store, Rel.DEPENDS_ON)


def test_no_team_or_system_of_the_chains_model_is_left_unconnected(bank):
    store, report = bank
    touched = {end for r in store.iter_relationships() for end in (r.source_id, r.target_id)}
    assert [n.id for n in store.iter_nodes() if n.kind in (Kind.TEAM, Kind.SYSTEM, Kind.PERSON)
            and n.id not in touched] == []
    # what is dropped closes a cycle: in the organisation chart, of collaborations, of services
    assert {(g.message, g.count) for g in report.problems} == {
        ("ArchiMate Association relationship not mapped", 1), ("ArchiMate Aggregation relationship not mapped", 1),
        ("ArchiMate Realization relationship not mapped", 1)}


def test_actor_associations_can_be_ignored(store):
    import_paths([FIXTURES / "chains-3.xml"], store,
                 ImportOptions(reader_settings={"archimate": {"actor_associations": "ignore"}}))
    assert not {(s, t) for s, t in named(store, Rel.PART_OF) if s in ("a-retail", "a-cards")}
    assert ("n-host", "net-lan") in named(store, Rel.DEPENDS_ON)  # networks are not actors


def test_the_actor_association_setting_comes_from_the_config_file(tmp_path):
    from graph.errors import AimapError
    from importers.settings import load_import_settings

    assert load_import_settings(directory=tmp_path).reader_settings() == {
        "archimate": {"actor_associations": "hierarchy"}}
    (tmp_path / "aimap.toml").write_text('[import.archimate]\nactor_associations = "ignore"\n', encoding="utf-8")
    assert load_import_settings(directory=tmp_path).reader_settings() == {"archimate": {"actor_associations": "ignore"}}
    (tmp_path / "aimap.toml").write_text('[import.archimate]\nactor_associations = "maybe"\n', encoding="utf-8")
    with pytest.raises(AimapError, match=r"aimap.toml: \[import\] archimate.actor_associations"):
        load_import_settings(directory=tmp_path)
