"""The BPMN 2.0 importer, end to end into a store: the real sample models
(pizza collaboration, Camunda invoice, the BPMN MIWG reference models A–C)
and small fixtures, one per mapping rule and quirk."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.schema import Kind, Rel
from importers.base import ImportFailed
from importers.loader import ImportOptions, import_paths
from importer_checks import REPO, SHARED_DATA, counts, edges, sample as shared_sample, write


def sample(name: str) -> Path:
    return shared_sample("bpmn", name)


FIXTURES = REPO / "tests" / "fixtures" / "bpmn"
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def name(store, node_id: str) -> str:
    node = store.get(node_id)
    assert node is not None, f"no node {node_id}"
    return node.properties["name"]


# -- the real samples ---------------------------------------------------------------

EXPECTED = {
    "A.1.0.bpmn": ({Kind.WORKFLOW: 4}, {Rel.PART_OF: 3}),
    "B.1.0.bpmn": ({Kind.TEAM: 4, Kind.SYSTEM: 1, Kind.WORKFLOW: 17}, {Rel.PART_OF: 15, Rel.PERFORMS: 9, Rel.USES: 2}),
    "C.1.0.bpmn": ({Kind.TEAM: 5, Kind.WORKFLOW: 11}, {Rel.PART_OF: 12, Rel.PERFORMS: 7}),
    "invoice.v2.bpmn": ({Kind.TEAM: 4, Kind.SYSTEM: 1, Kind.WORKFLOW: 6},
                        {Rel.PART_OF: 8, Rel.PERFORMS: 6, Rel.USES: 2}),
    "pizza-collaboration.bpmn": ({Kind.TEAM: 5, Kind.WORKFLOW: 11}, {Rel.PART_OF: 12, Rel.PERFORMS: 6}),
}


@pytest.mark.parametrize("file_name", sorted(EXPECTED))
def test_real_sample_imports_with_expected_counts(store, file_name):
    report = import_paths([sample(file_name)], store)
    assert report.files == {str(sample(file_name)): "bpmn"}
    assert [g.message for g in report.problems] == []
    assert counts(store) == EXPECTED[file_name]


def test_pizza_pools_lanes_and_steps(store):
    import_paths([sample("pizza-collaboration.bpmn")], store)
    p = "bpmn:pizza-collaboration:"
    assert name(store, p + "_6-53") == "Pizza Customer"
    assert store.get(p + "_6-53").kind is Kind.TEAM
    # an unnamed process takes its pool's name
    assert name(store, p + "_6-1") == "Pizza vendor"
    assert store.get(p + "_6-1").kind is Kind.WORKFLOW
    assert (p + "_6-438", p + "_6-1") in edges(store, Rel.PERFORMS)  # the pool performs its process
    assert (p + "_6-446", p + "_6-463") in edges(store, Rel.PERFORMS)  # "pizza chef" bakes the pizza
    assert {t for s, t in edges(store, Rel.PERFORMS) if s == p + "_6-448"} == {p + "_6-514", p + "_6-565"}
    assert (p + "_6-650", p + "_6-438") in edges(store, Rel.PART_OF)  # lane "clerk" within the vendor pool
    assert (p + "_6-74", p + "_6-2") in edges(store, Rel.PART_OF)  # "Select a pizza" in the customer process
    # events and gateways are not nodes
    assert store.get(p + "_6-450") is None and store.get(p + "_6-652") is None


def test_invoice_data_store_decision_and_names(store):
    import_paths([sample("invoice.v2.bpmn")], store)
    p = "bpmn:invoice.v2:"
    assert name(store, p + "prepareBankTransfer") == "Prepare Bank Transfer"  # line breaks in the label collapsed
    assert store.get(p + "approveInvoice").properties["description"] == "Approve the invoice (or not)."
    assert store.get(p + "assignApprover").properties["decision_heavy"] is True  # a businessRuleTask
    assert "decision_heavy" not in store.get(p + "approveInvoice").properties  # unknown, not False
    system = store.get(p + "FinancialAccountingSystem")
    assert system.kind is Kind.SYSTEM and system.properties["name"] == "Financial Accounting System"
    assert {(p + "prepareBankTransfer", system.id), (p + "invoice", system.id)} == edges(store, Rel.USES)
    assert (p + "Approver", p + "approveInvoice") in edges(store, Rel.PERFORMS)
    assert (p + "Accountant", p + "ServiceTask_1") in edges(store, Rel.PERFORMS)
    # a camunda:class names code inside the engine, not a system
    assert [r for r in store.relationships(p + "ServiceTask_1", Rel.USES)] == []


def test_miwg_b_nested_sub_process_call_activities_and_data_store(store):
    import_paths([sample("B.1.0.bpmn")], store)
    p = "bpmn:B.1.0:"
    expanded = p + "_7e6ccf38-e740-4537-a439-a8e984d066de"
    inner = p + "_6936f794-7bbb-4aa1-ae48-3a35bab4e2f4"
    assert name(store, inner) == "Abstract Task 6"
    assert (inner, expanded) in edges(store, Rel.PART_OF)
    assert (expanded, p + "WFP-6-2") in edges(store, Rel.PART_OF)
    assert (p + "_3400f56a-4565-47d1-91db-0ba17b958cb2", expanded) in edges(store, Rel.PERFORMS)  # Lane 2
    assert name(store, p + "_1237e756-d53c-4591-a731-dafffbf0b3f9") == "Call Activity Collapsed"
    assert name(store, p + "_f7eade87-bb98-47d3-85c7-66033a62b124") == "User Task 2"
    store_id = p + "DS1373655174514"
    assert name(store, store_id) == "Data Store Reference"
    # written by Service Task 7 (a data output association), and held by the pool's process
    assert edges(store, Rel.USES) == {(p + "_fea1c5af-6c76-403f-809e-26d476d92741", store_id),
                                      (p + "WFP-6-2", store_id)}


def test_miwg_c_unnamed_lane_is_no_team(store):
    import_paths([sample("C.1.0.bpmn")], store)
    p = "bpmn:C.1.0:"
    assert store.get(p + "sid-744AEFB3-C93D-46A3-8976-EFA91784A51F") is None
    scan = p + "sid-05039C4F-59F7-4CBD-8C84-D35E27C7B5EF"
    assert name(store, scan) == "Scan Invoice"
    assert store.relationships(scan, Rel.PERFORMS) == []
    assert (p + "sid-46891B57-A9D3-4A8B-AEBF-D4BA5F3961AD", p + "sid-5FBB6CB3-8A7C-42B5-9024-15BB2684EC57") \
        in edges(store, Rel.PERFORMS)
    assert name(store, p + "reviewInvoice") == "Rechnung klären"
    assert (p + "Approver", p + "Process_Engine_1") in edges(store, Rel.PART_OF)


def test_all_samples_together_keep_same_named_lanes_apart(store):
    report = import_paths([SHARED_DATA / "bpmn"], store)
    assert set(report.files.values()) == {"bpmn"} and len(report.files) == 5
    assert store.counts().total_nodes == sum(sum(nodes.values()) for nodes, _ in EXPECTED.values())
    assert store.counts().total_relationships == sum(sum(rels.values()) for _, rels in EXPECTED.values())
    assert name(store, "bpmn:invoice.v2:Accountant") == name(store, "bpmn:C.1.0:Accountant") == "Accountant"


def test_reimport_changes_nothing(store):
    files = [sample("invoice.v2.bpmn"), sample("pizza-collaboration.bpmn")]
    import_paths(files, store)
    before = sorted((n.id, n.properties) for n in store.iter_nodes())
    again = import_paths(files, store)
    assert all(c.created == 0 and c.updated == 0 for c in again.nodes.values())
    assert all(c.created == 0 for c in again.relationships.values())
    assert sorted((n.id, n.properties) for n in store.iter_nodes()) == before


# -- fixtures: one rule or quirk each --------------------------------------------------

def test_several_pools_black_box_pool_nested_lanes_and_sub_processes(store):
    import_paths([FIXTURES / "collaboration.bpmn"], store)
    p = "bpmn:collaboration:"
    # 3 pools and 2 named lanes; 2 processes and 10 steps; 10 steps and 2 lanes nested; 2 pools and 2 lanes perform
    assert counts(store) == (
        {Kind.TEAM: 5, Kind.WORKFLOW: 12},
        {Rel.PART_OF: 12, Rel.PERFORMS: 4},
    )
    # the black-box pool is a Team and nothing else
    assert name(store, p + "Pool_Customer") == "Customer"
    assert store.relationships(p + "Pool_Customer") == []
    # unnamed pool and process fall back to the participant's id
    assert name(store, p + "Pool_Warehouse") == "Pool_Warehouse" == name(store, p + "Process_Ship")
    assert (p + "Pool_Warehouse", p + "Process_Ship") in edges(store, Rel.PERFORMS)
    # nested sub-processes nest
    chain = ["Task_Receive", "Tx_Pay", "Sub_Invoice", "Sub_Fulfil", "Process_Order"]
    for part, whole in zip(chain, chain[1:], strict=False):
        assert (p + part, p + whole) in edges(store, Rel.PART_OF)
    # nested lanes: the innermost lane performs; lanes sit within their parent and pool
    assert name(store, p + "Lane_Desk") == "Sales desk"
    assert (p + "Lane_Credit", p + "Lane_Desk") in edges(store, Rel.PART_OF)
    assert (p + "Lane_Desk", p + "Pool_Sales") in edges(store, Rel.PART_OF)
    assert [r.from_id for r in store.relationships(p + "Task_Check", Rel.PERFORMS)] == [p + "Lane_Credit"]
    assert [r.from_id for r in store.relationships(p + "Task_Take", Rel.PERFORMS)] == [p + "Lane_Desk"]
    # an unnamed lane is no team, and its sub-process is performed by no lane
    assert store.get(p + "Lane_Unnamed") is None
    assert store.relationships(p + "Sub_Fulfil", Rel.PERFORMS) == []
    # a call activity is a step; the process it calls stays where it is
    assert (p + "Call_Carrier", p + "Process_Ship") in edges(store, Rel.PART_OF)
    assert (p + "Process_Order", p + "Call_Carrier") not in edges(store, Rel.PART_OF)
    assert store.get(p + "Process_Order").properties["description"] == \
        "From the customer's order\nto the money in the bank."


def test_interfaces_data_stores_system_properties_and_flags(store):
    import_paths([FIXTURES / "erp.yaml", FIXTURES / "systems.bpmn"], store)
    p = "bpmn:systems:"
    assert {n.id for n in store.iter_nodes(Kind.SYSTEM)} == {
        "sys-erp", "sys-dms", p + "Interface_Policy", p + "Store_Claims", p + "Ref_Archive"}
    assert name(store, p + "Interface_Policy") == "Policy Administration"
    assert name(store, p + "Store_Claims") == "Claims database"  # the store's name over its reference's
    assert name(store, p + "Ref_Archive") == "Document archive"  # a reference without a store stands alone
    assert edges(store, Rel.USES) == {
        (p + "Task_Lookup", p + "Interface_Policy"),  # operationRef → the interface
        (p + "Task_Assess", p + "Store_Claims"),  # reads it
        (p + "Task_Store", p + "Ref_Archive"),  # writes it
        (p + "Process_Claim", p + "Store_Claims"),
        (p + "Process_Claim", p + "Ref_Archive"),
        (p + "Process_Claim", "sys-erp"),  # aimap:system on the process
        (p + "Task_Assess", "sys-erp"),  # aimap:system on a step, two ids
        (p + "Task_Assess", "sys-dms"),
    }
    assert store.get(p + "Task_Decide").properties["decision_heavy"] is True
    assert store.get(p + "Task_Assess").properties["repetitive"] is True  # multi-instance
    assert store.get(p + "Task_Store").properties["repetitive"] is True  # standard loop
    assert store.get(p + "Task_Assess").properties["description"] == "An adjuster looks at the photos."
    assert "repetitive" not in store.get(p + "Task_Lookup").properties


def test_system_property_naming_an_unknown_system_is_pending_and_refused_under_strict(store):
    report = import_paths([FIXTURES / "systems.bpmn"], store, ImportOptions(dry_run=True))
    assert ["sys-dms"] in [ref.missing for ref in report.pending]
    with pytest.raises(ImportFailed) as caught:
        import_paths([FIXTURES / "systems.bpmn"], store, ImportOptions(strict=True))
    message = str(caught.value)
    assert f"{FIXTURES / 'systems.bpmn'}:" in message
    assert "[Task_Assess]: aimap:system: USES refers to unknown id 'sys-dms'" in message
    assert store.counts().total_nodes == 0


def test_semantic_prefix_in_an_xml_file_is_detected_by_content(store):
    report = import_paths([FIXTURES / "semantic-prefix.xml"], store)
    assert report.files == {str(FIXTURES / "semantic-prefix.xml"): "bpmn"}
    assert (("bpmn:semantic-prefix:T1", "bpmn:semantic-prefix:P1")) in edges(store, Rel.PART_OF)


def test_dangling_lane_reference_is_an_error_with_its_place(store, tmp_path):
    path = write(tmp_path, "dangling.bpmn", f"""\
        <definitions xmlns="{BPMN_NS}" id="d">
          <process id="P">
            <laneSet id="LS">
              <lane id="L1" name="Ops">
                <flowNodeRef>T1</flowNodeRef>
                <flowNodeRef>Gone</flowNodeRef>
              </lane>
            </laneSet>
            <task id="T1" name="One"/>
          </process>
        </definitions>
        """)
    with pytest.raises(ImportFailed) as caught:
        import_paths([path], store)
    assert f"{path}:6 [L1]: flowNodeRef: lane refers to 'Gone', which this file does not define" in str(caught.value)
    assert store.counts().total_nodes == 0


def test_missing_process_of_a_pool_and_duplicate_ids_are_errors(store, tmp_path):
    path = write(tmp_path, "broken-refs.bpmn", f"""\
        <definitions xmlns="{BPMN_NS}" id="d">
          <collaboration id="C"><participant id="Pool" name="Pool" processRef="Nowhere"/></collaboration>
          <process id="P"><task id="T" name="One"/><task id="T" name="Two"/></process>
        </definitions>
        """)
    with pytest.raises(ImportFailed) as caught:
        import_paths([path], store)
    message = str(caught.value)
    assert f"{path}:2 [Pool]: processRef: refers to process 'Nowhere', which this file does not define" in message
    assert f"{path}:3 [T]: id: duplicate id 'T' (first used on line 3)" in message


def test_a_bpmn_file_with_another_root_is_refused(store, tmp_path):
    path = write(tmp_path, "not-bpmn.bpmn", '<definitions xmlns="http://www.omg.org/spec/DMN/20151101/dmn.xsd"/>')
    with pytest.raises(ImportFailed, match="not a BPMN 2.0 model: the root element is 'definitions' in namespace"):
        import_paths([path], store)


def test_two_files_with_one_name_are_warned_about(store, tmp_path):
    for folder in ("sales", "hr"):
        (tmp_path / folder).mkdir()
        write(tmp_path / folder, "process.bpmn", f"""\
            <definitions xmlns="{BPMN_NS}">
              <process id="P" name="{folder}"><task id="T" name="x"/></process>
            </definitions>
            """)
    report = import_paths([tmp_path / "hr", tmp_path / "sales"], store)
    assert [g.message for g in report.problems] == ["two BPMN files with the same name"]
    assert not report.problems[0].fatal
    with pytest.raises(ImportFailed):
        import_paths([tmp_path / "hr", tmp_path / "sales"], store, ImportOptions(strict=True))


def test_format_option_reads_a_bpmn_file_with_any_name(store, tmp_path):
    path = tmp_path / "exported-model.txt"
    path.write_bytes((FIXTURES / "semantic-prefix.xml").read_bytes())
    with pytest.raises(ImportFailed, match="cannot tell the format"):
        import_paths([path], store)
    report = import_paths([path], store, ImportOptions(format="bpmn"))
    assert report.files == {str(path): "bpmn"}
    assert name(store, "bpmn:exported-model:T1") == "Only task"
