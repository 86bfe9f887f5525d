"""The Backstage catalog importer: Backstage's own example catalog (the ACME
organisation) end to end, every reference form, Location entities, and hostile
or broken catalogs refused with the file and line named and the store untouched."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from graph.schema import Kind, Rel
from graph.store.base import Counts
from graph.store.sqlite_store import SQLiteStore
from importers.formats.backstage import BackstageReader, RefError, parse_ref
from importers.base import ImportFailed
from importers.loader import ImportOptions, import_paths
from importer_checks import SHARED_DATA

DATA = SHARED_DATA / "backstage"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "backstage"
TOP_FILES = ["acme-corp.yaml", "all-apis.yaml", "all-components.yaml", "all-domains.yaml",
             "all-resources.yaml", "all-systems.yaml"]

ENTITY = """\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: {name}
spec:
  type: team
"""


def bs(kind: str, namespace_name: str) -> str:
    return f"backstage:{kind}:{namespace_name}"



@pytest.fixture
def seeded(store: SQLiteStore, tmp_path: Path) -> Counts:
    """A store that already holds something, so "unchanged" means something."""
    seed = tmp_path / "seed.yaml"
    seed.write_text(ENTITY.format(name="seed"), encoding="utf-8")
    import_paths([seed], store)
    return store.counts()


def ends(store: SQLiteStore, node_id: str, rel: Rel, direction: str) -> set[str]:
    """The ids at the other end of ``node_id``'s relationships of one type."""
    found = set()
    for r in store.relationships(node_id, rel, direction):
        found.add(r.target_id if r.source_id == node_id else r.source_id)
    return found


# -- Backstage's example catalog ---------------------------------------------------
@pytest.fixture
def acme(store: SQLiteStore):
    report = import_paths([DATA / name for name in TOP_FILES], store)
    return report


def test_the_example_catalog_gives_the_expected_counts(store: SQLiteStore, acme) -> None:
    counts = store.counts()
    assert {k: v for k, v in counts.nodes.items() if v} == {Kind.TEAM: 8, Kind.PERSON: 16, Kind.SYSTEM: 26}
    assert {k: v for k, v in counts.relationships.items() if v} == {
        Rel.OWNS: 26, Rel.MEMBER_OF: 16, Rel.PART_OF: 20, Rel.DEPENDS_ON: 7}
    assert acme.problems == []
    assert set(acme.files.values()) == {"backstage"}


def test_groups_become_a_team_hierarchy(store: SQLiteStore, acme) -> None:
    org = store.get(bs("group", "default/acme-corp"))
    assert org.name == "ACME Corp" and org.properties["type"] == "business_unit"
    assert store.get(bs("group", "default/infrastructure")).properties["type"] == "department"
    assert store.get(bs("group", "default/backstage")).properties["type"] == "department"  # sub-department
    team_a = store.get(bs("group", "default/team-a"))
    assert team_a.name == "team-a" and team_a.properties["type"] == "team"  # no displayName: the entity name
    assert ends(store, bs("group", "default/team-a"), Rel.PART_OF, "out") == {bs("group", "default/backstage")}
    assert ends(store, bs("group", "default/infrastructure"), Rel.PART_OF, "in") == {
        bs("group", "default/backstage"), bs("group", "default/boxoffice")}


def test_users_become_people_in_their_teams(store: SQLiteStore, acme) -> None:
    janelle = store.get(bs("user", "default/janelle.dawe"))
    assert janelle.kind is Kind.PERSON
    assert janelle.name == "Janelle Dawe" and janelle.properties["email"] == "janelle-dawe@example.com"
    assert store.get(bs("user", "default/breanna.davison")).name == "breanna.davison"
    assert ends(store, bs("group", "default/team-a"), Rel.MEMBER_OF, "in") == {
        bs("user", f"default/{name}") for name in ("breanna.davison", "janelle.dawe", "nigel.manning", "guest")}


def test_components_resources_apis_systems_and_domains_become_systems(store: SQLiteStore, acme) -> None:
    lookup = store.get(bs("component", "default/artist-lookup"))
    assert lookup.properties == {"name": "artist-lookup", "description": "Artist Lookup", "category": "service",
                                 "lifecycle": "experimental"}  # running, not production
    assert store.get(bs("resource", "default/artists-db")).properties["category"] == "database"
    assert store.get(bs("api", "default/hello-world")).properties["lifecycle"] == "deprecated"
    assert store.get(bs("api", "default/hello-world")).properties["category"] == "api"
    assert store.get(bs("system", "default/podcast")).properties["category"] == "system"
    assert store.get(bs("domain", "default/playback")).properties["category"] == "domain"
    assert ends(store, bs("component", "default/artist-lookup"), Rel.PART_OF, "out") == {
        bs("system", "default/artist-engagement-portal")}
    assert ends(store, bs("system", "default/audio-playback"), Rel.PART_OF, "out") == {bs("domain", "default/playback")}
    assert ends(store, bs("component", "default/wayback-archive-ingestion"), Rel.PART_OF, "out") == {
        bs("component", "default/wayback-archive")}


def test_dependencies_run_through_apis_to_their_providers(store: SQLiteStore, acme) -> None:
    assert ends(store, bs("component", "default/artist-lookup"), Rel.DEPENDS_ON, "out") == {
        bs("resource", "default/artists-db")}
    assert ends(store, bs("component", "default/wayback-search"), Rel.DEPENDS_ON, "out") == {
        bs("api", "default/wayback-archive")}
    assert ends(store, bs("api", "default/wayback-archive"), Rel.DEPENDS_ON, "out") == {
        bs("component", "default/wayback-archive")}
    assert ends(store, bs("component", "default/petstore"), Rel.DEPENDS_ON, "in") == {
        bs("api", f"default/{name}") for name in ("petstore", "streetlights", "hello-world")}


def test_owners_are_accountable_groups_or_users(store: SQLiteStore, acme) -> None:
    [owns] = store.relationships(bs("domain", "default/playback"), Rel.OWNS, "in")
    assert owns.source_id == bs("user", "default/frank.tiernan")
    assert owns.properties == {"role": "accountable"}
    assert ends(store, bs("component", "default/searcher"), Rel.OWNS, "in") == {bs("user", "default/guest")}
    assert ends(store, bs("component", "default/www-artist"), Rel.OWNS, "in") == {bs("group", "default/team-a")}


def test_records_read_through_locations_keep_the_imported_file_as_provenance(store: SQLiteStore, acme) -> None:
    node = store.get(bs("group", "default/team-a"))
    assert node.source == str(DATA / "acme-corp.yaml")
    assert node.importer == "backstage"


def test_importing_the_folder_gives_the_same_graph(store: SQLiteStore, acme, tmp_path: Path) -> None:
    other = SQLiteStore(tmp_path / "folder.db")
    import_paths([DATA], other)

    assert other.counts() == store.counts()
    assert {r.identity for r in other.relationships()} == {r.identity for r in store.relationships()}


def test_reimporting_the_example_changes_nothing(store: SQLiteStore, acme) -> None:
    again = import_paths([DATA / name for name in TOP_FILES], store)
    assert all(c.created == 0 and c.updated == 0 for c in again.nodes.values())
    assert all(c.created == 0 for c in again.relationships.values())


# -- references --------------------------------------------------------------------
@pytest.mark.parametrize("value, default_kind, namespace, expected", [
    ("team-a", "group", "default", "backstage:group:default/team-a"),
    ("group:team-a", "group", "default", "backstage:group:default/team-a"),
    ("group:default/team-a", "group", "default", "backstage:group:default/team-a"),
    ("default/team-a", "group", "default", "backstage:group:default/team-a"),
    ("Group:Default/Team-A", "group", "default", "backstage:group:default/team-a"),
    ({"kind": "Group", "namespace": "default", "name": "team-a"}, "group", "default", "backstage:group:default/team-a"),
    ({"name": "team-a"}, "group", "ops", "backstage:group:ops/team-a"),
    ("user:guest", "group", "default", "backstage:user:default/guest"),
    ("team-a", "group", "ops", "backstage:group:ops/team-a"),
    ("ops/x:y", "component", "default", "backstage:component:ops/x:y"),  # a colon after the slash is the name's
])
def test_parse_ref_accepts_every_form(value, default_kind, namespace, expected) -> None:
    assert parse_ref(value, default_kind, namespace).id == expected


@pytest.mark.parametrize("value", ["artists-db", "group:", ":name", "group:/x", "", 42, None, {"kind": "group"}])
def test_parse_ref_refuses_what_backstage_refuses(value) -> None:
    with pytest.raises(RefError):
        parse_ref(value, None, "default")


@pytest.fixture
def references(store: SQLiteStore):
    return import_paths([FIXTURES / "references.yaml"], store)


def test_every_reference_form_lands_on_the_same_id(store: SQLiteStore, references) -> None:
    team_a = bs("group", "default/team-a")
    for name in ("bare", "with-kind", "full", "namespaced", "shouting", "compound"):
        assert ends(store, bs("component", f"default/{name}"), Rel.OWNS, "in") == {team_a}, name
    assert ends(store, bs("component", "default/by-a-person"), Rel.OWNS, "in") == {bs("user", "default/jane")}


def test_references_default_to_the_referring_entitys_namespace(store: SQLiteStore, references) -> None:
    assert ends(store, bs("component", "ops/ops-tool"), Rel.OWNS, "in") == {bs("group", "ops/team-x")}
    assert ends(store, bs("component", "ops/ops-tool"), Rel.PART_OF, "out") == {bs("system", "default/shop")}
    assert ends(store, bs("user", "ops/omar"), Rel.MEMBER_OF, "out") == {bs("group", "ops/team-x"), team_a()}
    assert store.get(bs("component", "ops/ops-tool")).name == "The Ops Tool"


def team_a() -> str:
    return bs("group", "default/team-a")


def test_group_fields_map_to_the_hierarchy_and_members(store: SQLiteStore, references) -> None:
    platform = store.get(bs("group", "default/platform"))
    assert platform.name == "Platform" and platform.properties["type"] == "business_unit"
    assert store.get(team_a()).properties["type"] == "team"  # squad: any other type is a team
    assert store.get(bs("group", "ops/team-x")).properties["type"] == "department"  # case does not matter
    assert ends(store, team_a(), Rel.PART_OF, "out") == {bs("group", "default/platform")}  # parent and children agree
    assert len(store.relationships(team_a(), Rel.PART_OF, "out")) == 1
    assert ends(store, team_a(), Rel.MEMBER_OF, "in") == {bs("user", "default/jane"), bs("user", "ops/omar")}


def test_lifecycles_map_and_unknown_ones_are_warned(store: SQLiteStore, references) -> None:
    lifecycle = {name: store.get(bs("component", f"default/{name}")).properties.get("lifecycle")
                 for name in ("bare", "with-kind", "full", "namespaced", "by-a-person")}
    assert lifecycle == {"bare": "active", "with-kind": "experimental", "full": "deprecated", "namespaced": "retired",
                         "by-a-person": None}
    messages = {g.message: g for g in references.problems}
    assert "unknown Backstage lifecycle, read as active" in messages
    assert "references.yaml:" in messages["unknown Backstage lifecycle, read as active"].sample[0]


def test_dependencies_in_both_directions_and_a_kindless_dependency(store: SQLiteStore, references) -> None:
    assert ends(store, bs("component", "default/by-a-person"), Rel.DEPENDS_ON, "out") == {
        bs("resource", "default/orders-db"), bs("component", "default/bare")}
    assert ends(store, bs("component", "default/with-kind"), Rel.DEPENDS_ON, "out") == {
        bs("resource", "default/orders-db")}  # the resource's dependencyOf
    assert ends(store, bs("component", "default/checkout"), Rel.DEPENDS_ON, "out") == {bs("api", "default/orders")}
    assert ends(store, bs("api", "default/orders"), Rel.DEPENDS_ON, "out") == {bs("component", "default/orders-service")}
    [kindless] = [g for g in references.problems if g.message == "dependsOn reference without a kind, read as a component"]
    assert kindless.count == 1 and not kindless.fatal


def test_systems_domains_and_subcomponents_are_part_of(store: SQLiteStore, references) -> None:
    assert ends(store, bs("system", "default/shop"), Rel.PART_OF, "out") == {bs("domain", "default/commerce")}
    assert ends(store, bs("system", "default/shop"), Rel.PART_OF, "in") == {
        bs("resource", "default/orders-db"), bs("api", "default/orders"), bs("component", "ops/ops-tool")}
    assert ends(store, bs("component", "default/checkout"), Rel.PART_OF, "out") == {bs("component", "default/bare")}


def test_unmapped_kinds_are_grouped_warnings_not_failures(store: SQLiteStore, references) -> None:
    groups = {g.message: g for g in references.problems}
    assert groups["Backstage kind Template has no aimap counterpart, skipped"].count == 1
    assert groups["Backstage kind AIModel has no aimap counterpart, skipped"].count == 1
    assert not any(g.fatal for g in references.problems)
    assert store.get(bs("template", "default/new-service")) is None
    counts = store.counts().nodes
    assert (counts[Kind.TEAM], counts[Kind.PERSON], counts[Kind.SYSTEM]) == (3, 2, 14)


def test_strict_makes_the_warnings_fatal(store: SQLiteStore) -> None:
    with pytest.raises(ImportFailed, match="Backstage kind 'AIModel' has no aimap counterpart"):
        import_paths([FIXTURES / "references.yaml"], store, ImportOptions(strict=True))
    assert store.counts().total_nodes == 0


# -- Location entities -----------------------------------------------------------
def test_locations_are_followed_on_disk_with_globs_and_loops(store: SQLiteStore) -> None:
    report = import_paths([FIXTURES / "locations" / "root.yaml"], store)

    assert store.get(bs("group", "default/guild")) is not None
    assert ends(store, bs("component", "default/two"), Rel.DEPENDS_ON, "out") == {bs("component", "default/one")}
    assert ends(store, bs("component", "default/one"), Rel.OWNS, "in") == {bs("group", "default/guild")}
    groups = {g.message: g for g in report.problems}
    assert groups["Location target that is a URL, not read"].count == 1
    assert groups["Location target that is not a file, not read"].count == 1
    assert groups["Location target outside the imported folder, not read"].count == 1
    assert store.get(bs("component", "default/bare")) is None  # ../references.yaml was not read


def test_a_location_to_a_missing_file_is_a_warning(store: SQLiteStore, tmp_path: Path) -> None:
    root = tmp_path / "catalog-info.yaml"
    root.write_text("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: x}\n"
                    "spec:\n  targets: [./nowhere.yaml, ./here.yaml]\n", encoding="utf-8")
    (tmp_path / "here.yaml").write_text(ENTITY.format(name="here"), encoding="utf-8")
    report = import_paths([root], store)
    [missing] = [g for g in report.problems if g.message == "Location target that is not there"]
    assert not missing.fatal
    assert missing.sample == [f"{root}:5 [Location x]: spec.targets: './nowhere.yaml': no such file; not read "
                              "(the entities it would bring stay pending until an import brings them)"]
    assert store.get(bs("group", "default/here")) is not None
    with pytest.raises(ImportFailed, match="no such file"):
        import_paths([root], store, ImportOptions(strict=True))


def test_problems_in_a_followed_file_name_that_file(store: SQLiteStore, tmp_path: Path, seeded: Counts) -> None:
    shutil.copytree(FIXTURES / "locations", tmp_path / "catalog")
    (tmp_path / "catalog" / "more" / "two.yaml").write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  description: no name\n", encoding="utf-8")

    with pytest.raises(ImportFailed) as failure:
        import_paths([tmp_path / "catalog" / "root.yaml"], store)

    assert f"{tmp_path / 'catalog' / 'more' / 'two.yaml'}:4 [Component]: metadata.name: the entity has no metadata.name" \
        in str(failure.value)
    assert store.counts() == seeded


# -- hostile and broken input ----------------------------------------------------------
UNSAFE = """\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: evil
  description: !!python/object/apply:os.system ["touch {marker}"]
spec:
  type: team
"""

BOMB = """\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: bomb
spec:
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
"""


def test_an_unsafe_yaml_tag_is_refused_and_never_run(store: SQLiteStore, tmp_path: Path, seeded: Counts) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "catalog-info.yaml"
    path.write_text(UNSAFE.format(marker=marker), encoding="utf-8")

    with pytest.raises(ImportFailed) as failure:
        import_paths([path], store)

    assert f"{path}:5: invalid YAML: unsupported YAML tag '!!python/object/apply:os.system'" in str(failure.value)
    assert not marker.exists()
    assert store.counts() == seeded


def test_an_unsafe_tag_in_a_followed_file_is_refused(store: SQLiteStore, tmp_path: Path, seeded: Counts) -> None:
    (tmp_path / "evil.yaml").write_text(UNSAFE.format(marker=tmp_path / "pwned"), encoding="utf-8")
    root = tmp_path / "catalog-info.yaml"
    root.write_text("apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: x}\nspec: {target: evil.yaml}\n",
                    encoding="utf-8")

    with pytest.raises(ImportFailed, match=re.escape(f"{tmp_path / 'evil.yaml'}:5: invalid YAML: unsupported YAML tag")):
        import_paths([root], store)
    assert store.counts() == seeded


def test_an_alias_bomb_is_refused(store: SQLiteStore, tmp_path: Path, seeded: Counts) -> None:
    path = tmp_path / "catalog-info.yaml"
    path.write_text(BOMB, encoding="utf-8")

    with pytest.raises(ImportFailed, match=re.escape(f"{path}:1: the document's anchors and aliases expand")):
        import_paths([path], store)
    assert store.counts() == seeded


def test_a_utf8_file_with_a_byte_order_mark_is_read(store: SQLiteStore, tmp_path: Path) -> None:
    path = tmp_path / "catalog-info.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + ENTITY.format(name="caf\u00e9-team").encode("utf-8"))

    report = import_paths([path], store)

    assert report.files[str(path)] == "backstage"
    assert store.get(bs("group", "default/caf\u00e9-team")) is not None


def test_a_cp1252_file_is_refused_with_its_line(store: SQLiteStore, tmp_path: Path, seeded: Counts) -> None:
    path = tmp_path / "catalog-info.yaml"
    path.write_bytes((ENTITY.format(name="team") + "  description: Caf\u00e9 team\n").encode("cp1252"))

    with pytest.raises(ImportFailed, match=re.escape(f"{path}:7: not valid UTF-8 (byte 0xe9")):
        import_paths([path], store)
    assert store.counts() == seeded


def test_binary_garbage_is_refused(store: SQLiteStore, tmp_path: Path, seeded: Counts) -> None:
    path = tmp_path / "catalog-info.yaml"
    path.write_bytes(b"apiVersion: backstage.io/v1alpha1\n\x00\x01\x02\xff\xfe" * 50)

    with pytest.raises(ImportFailed, match=re.escape(f"{path}: this is a binary file, not text")):
        import_paths([path], store)
    assert store.counts() == seeded


def test_a_file_over_the_size_limit_is_refused(store: SQLiteStore, tmp_path: Path, monkeypatch, seeded: Counts) -> None:
    path = tmp_path / "catalog-info.yaml"
    path.write_text(ENTITY.format(name="big") + "  padding: '" + "x" * 3000 + "'\n", encoding="utf-8")
    monkeypatch.setenv("AIMAP_MAX_FILE_MB", "0.001")

    with pytest.raises(ImportFailed, match=re.escape(f"{path}: the file is 0 MB, over the 0 MB limit")):
        import_paths([path], store)
    assert store.counts() == seeded


def test_a_sparse_file_over_100_mb_is_refused_without_reading_it(store: SQLiteStore, tmp_path: Path,
                                                                seeded: Counts) -> None:
    path = tmp_path / "catalog-info.yaml"
    with path.open("wb") as handle:
        handle.write(ENTITY.format(name="huge").encode())
        handle.truncate(101 * 1024 * 1024)

    with pytest.raises(ImportFailed, match=re.escape(f"{path}: the file is 101 MB, over the 50 MB limit")):
        import_paths([path], store)
    assert store.counts() == seeded


@pytest.mark.parametrize("document, message", [
    ("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {}\n", "metadata.name: the entity has no metadata.name"),
    ("apiVersion: backstage.io/v1alpha1\nmetadata: {name: x}\n", "kind: the entity has no kind"),
    ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: x}\nspec: {owner: 'group:'}\n",
     "spec.owner: malformed entity reference 'group:'"),
    ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: x}\nspec: {owner: [1, 2]}\n",
     "spec.owner: expected an entity reference, got 1"),
    ("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: x}\n---\njust text\n",
     ":6: a Backstage entity must be a mapping"),
])
def test_malformed_entities_are_errors_with_their_place(store: SQLiteStore, tmp_path: Path, document: str,
                                                         message: str) -> None:
    path = tmp_path / "catalog-info.yaml"
    path.write_text("# apiVersion: backstage.io/v1alpha1\n" + document, encoding="utf-8")
    with pytest.raises(ImportFailed, match=re.escape(message)):
        import_paths([path], store)


def test_an_owner_that_cannot_own_is_a_validation_error(store: SQLiteStore, tmp_path: Path) -> None:
    path = tmp_path / "catalog-info.yaml"
    path.write_text("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: a}\nspec: {owner: team}\n"
                    "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: b}\n"
                    "spec: {owner: 'component:a'}\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_paths([path], store)
    message = str(failure.value)
    assert "1 problem" in message  # the unknown group is pending, not an error
    assert "OWNS cannot connect System 'backstage:component:default/a'" in message


def test_detection_needs_a_backstage_api_version(tmp_path: Path) -> None:
    reader = BackstageReader()
    assert reader.detect(tmp_path / "catalog-info.yaml", ENTITY.format(name="x"))
    assert reader.detect(tmp_path / "t.yml", "# a template\napiVersion: scaffolder.backstage.io/v1beta3\nkind: Template")
    assert not reader.detect(tmp_path / "catalog-info.yaml", "teams:\n  - id: t\n    name: T\n")
    assert not reader.detect(tmp_path / "deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\n")
    assert not reader.detect(tmp_path / "catalog-info.json", ENTITY.format(name="x"))


def test_a_non_backstage_document_in_a_catalog_is_skipped_with_a_warning(store: SQLiteStore, tmp_path: Path) -> None:
    path = tmp_path / "catalog-info.yaml"
    path.write_text(ENTITY.format(name="a") + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n",
                    encoding="utf-8")
    report = import_paths([path], store)

    assert store.get(bs("group", "default/a")) is not None
    assert [g.message for g in report.problems] == ["document that is not a Backstage entity, skipped"]


def test_a_symbolic_link_out_of_the_folder_is_not_followed(store: SQLiteStore, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(ENTITY.format(name="outsider"), encoding="utf-8")
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "inside.yaml").symlink_to(outside)
    root = catalog / "catalog-info.yaml"
    root.write_text(ENTITY.format(name="insider") + "---\napiVersion: backstage.io/v1alpha1\nkind: Location\n"
                    "metadata: {name: x}\nspec: {target: ./inside.yaml}\n", encoding="utf-8")

    report = import_paths([root], store)

    assert store.get(bs("group", "default/insider")) is not None
    assert store.get(bs("group", "default/outsider")) is None
    assert [g.message for g in report.problems] == ["Location target outside the imported folder, not read"]


# -- AiResource and catalogues in pieces ---------------------------------------------------------
PIECES = FIXTURES / "pieces"
AI_RESOURCES = """\
apiVersion: backstage.io/v1alpha1
kind: AiResource
metadata: {{name: {name}, description: {description}}}
spec:
  type: {type}
  lifecycle: {lifecycle}
  owner: team-ai
"""


def test_an_ai_resource_is_an_initiative_with_its_stage_type_owner_system_and_dependencies(store, tmp_path):
    report = import_paths([PIECES / "catalog-info.yaml", PIECES / "org.yaml"], store)
    skill = store.get(bs("airesource", "default/claims-triage-skill"))
    assert skill.kind is Kind.INITIATIVE
    history = skill.properties.pop("stage_history")
    assert skill.properties == {"name": "claims-triage-skill", "stage": "pilot",
                                "description": "Triage incoming claims (AI resource: skill)"}
    assert len(history) == 1 and history[0].endswith(" pilot")  # observed once, on the import's date
    assert ends(store, skill.id, Rel.OWNS, "in") == {bs("group", "default/maintainers")}
    assert ends(store, skill.id, Rel.DEPENDS_ON, "out") == {bs("system", "default/claims"),
                                                            bs("component", "default/claims-api")}
    [cannot] = [g for g in report.problems if g.message == "Backstage reference aimap cannot hold, not mapped"]
    assert "airesource:default/base-coding-standards is of kind airesource, an aimap Initiative, which " \
           "DEPENDS_ON cannot reach" in cannot.sample[0]
    assert f"{PIECES / 'catalog-info.yaml'}:22" in cannot.sample[0]
    assert store.get(bs("component", "default/claims-api")).properties["lifecycle"] == "experimental"


@pytest.mark.parametrize("lifecycle, stage", [("experimental", "pilot"), ("production", "production"),
                                              ("deprecated", "production"), ("retired", "retired")])
def test_an_ai_resource_lifecycle_is_its_stage(store, tmp_path, lifecycle, stage):
    path = tmp_path / "catalog-info.yaml"
    path.write_text(AI_RESOURCES.format(name="r", description="d", type="rule", lifecycle=lifecycle), encoding="utf-8")
    import_paths([path], store)
    assert store.get(bs("airesource", "default/r")).properties["stage"] == stage


def test_an_unknown_ai_resource_lifecycle_is_warned_and_the_stage_left_unset(store, tmp_path):
    path = tmp_path / "catalog-info.yaml"
    path.write_text(AI_RESOURCES.format(name="r", description="d", type="rule", lifecycle="incubating"),
                    encoding="utf-8")
    report = import_paths([path], store)
    assert "stage" not in store.get(bs("airesource", "default/r")).properties
    [group] = [g for g in report.problems if "AiResource" in g.message]
    assert group.sample == [f"{path}:6 [AiResource r]: spec.lifecycle: lifecycle 'incubating' is not one aimap "
                            "knows; the stage is left unset"]


def test_a_reference_to_a_kind_aimap_does_not_import_is_warned_not_kept_pending(store, tmp_path):
    path = tmp_path / "catalog-info.yaml"
    path.write_text("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: c}\n"
                    "spec:\n  dependsOn: ['template:default/t']\n", encoding="utf-8")
    report = import_paths([path], store)
    assert report.pending == [] and store.pending_references() == []
    assert any("is of kind template, a kind aimap does not import" in s for g in report.problems for s in g.sample)
