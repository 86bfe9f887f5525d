"""Acceptance: the bundled example enterprise gives exactly its expected findings.

``importers/example/expected_findings.yaml`` was written from the example's
stories, independently of the rules; a fresh import into each store, analysed
as of ``importers.example.AS_OF``, must find those gaps and nothing else.
"""

import yaml

from graph.analyses import AnalysisConfig, run_analysis

from importers import example, loader


def _key(finding) -> tuple:
    """(rule, subject, the entity that tells two findings about one subject apart)."""
    extra = ""
    if finding.rule == "unintegrated-workflow":  # related: the initiative and the workflow's systems
        extra = next(r for r in finding.related if r.startswith("init-"))
    elif finding.rule == "retired-dependency":  # related: the retired system
        [extra] = finding.related
    return finding.rule, finding.subject, finding.severity.value, extra


def test_the_example_gives_exactly_the_expected_findings(store):
    example.load_example(store)
    result = run_analysis(store.to_networkx(), AnalysisConfig(as_of=example.AS_OF))
    expected = yaml.safe_load(example.EXPECTED_FINDINGS.read_text())
    want = {(e["rule"], e["subject"], e["severity"], e.get("initiative") or e.get("system") or "") for e in expected}
    assert {_key(f) for f in result.findings} == want
    assert len(result.findings) == len(expected)
    by_key = {(f.rule, f.subject): f for f in result.findings}
    for item in expected:
        finding = by_key[(item["rule"], item["subject"])]
        if "initiatives" in item:
            assert set(item["initiatives"]) <= set(finding.related), item
        if "members" in item:
            assert sorted(item["members"]) == sorted({finding.subject, *finding.related}), item
        assert finding.business_unit and finding.message and finding.remediation and finding.evidence


def test_finding_ids_do_not_depend_on_file_or_import_order(tmp_path):
    """One import of every file, versus one import per file in reverse order."""
    from graph.store.sqlite_store import SQLiteStore

    config = AnalysisConfig(as_of=example.AS_OF)
    files = example.example_files()
    snapshot = loader.ImportOptions(now=example.SNAPSHOT_SEEN)
    with SQLiteStore(tmp_path / "together.db") as together, SQLiteStore(tmp_path / "apart.db") as apart:
        example.load_example(together)
        for path in reversed(files):
            loader.import_paths([path], apart, loader.ImportOptions(partial=True))
        loader.import_paths(list(reversed(files)), apart)  # references to later files resolve now
        loader.import_paths(example.snapshot_files(), apart, snapshot)
        ids_together = [f.id for f in run_analysis(together.to_networkx(), config).findings]
        ids_apart = [f.id for f in run_analysis(apart.to_networkx(), config).findings]
    assert ids_together == ids_apart and ids_together
