"""``aimap whatif`` and ``aimap disagreements``: what would change, and who says what.

Only options and rendering live here; the answers come from the read side
(``ReadService.what_if``, ``ReadService.disagreements``), as the HTTP API's do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.markup import escape
from rich.table import Table

from api.cli.analysis_commands import SEVERITY_STYLE, AsOfOption, ConfigOption, _config, read_service
from api.cli.changes_file import ChangesFile, ChangesFileError
from api.cli.common import FormatOption, StoreOption, check_choice, console, err_console
from api.cli.console import DEFAULT_ROWS, print_rows_note, write_json
from graph.analyses.context import AnalysisContext
from graph.analyses.model import Finding
from graph.schema import REL_READINGS, OwnerRole, Rel
from graph.service import InvalidRequest, ReadService
from graph.service.disagreements import DisagreementsAnswer
from graph.service.read_service import MAX_DEPTH
from graph.service.whatif_models import WhatIfAnswer, WhatIfRequest
from visualizations.explorer import write_page
from visualizations.explorer.whatif import DEFAULT_DEPTH, whatif_explorer

def _ids(help: str, option: str) -> Any:
    return typer.Option(option, metavar="ID", show_default=False, help=help + " Repeatable.")


# -- reading the changes ------------------------------------------------------------


def parse_relationship(text: str, option: str, ctx: AnalysisContext) -> dict[str, Any]:
    """``TYPE[/ROLE]:FROM:TO`` as a change's fields. Ids may hold colons: the
    split is the one whose two ends are both in the graph."""
    head, sep, ends = text.partition(":")
    rel_text, _, role_text = head.partition("/")
    try:
        rel = Rel(rel_text.strip().upper())
    except ValueError:
        raise typer.BadParameter(f"{rel_text!r} is not a relationship type ({', '.join(r.value for r in Rel)})",
                                 param_hint=option) from None
    role = None
    if role_text:
        try:
            role = OwnerRole(role_text.strip().lower())
        except ValueError:
            raise typer.BadParameter(f"{role_text!r} is not a role ({', '.join(r.value for r in OwnerRole)})",
                                     param_hint=option) from None
    splits = [(ends[:i], ends[i + 1:]) for i, ch in enumerate(ends) if ch == ":"]
    if not sep or not splits:
        raise typer.BadParameter(f"write TYPE:FROM:TO (or TYPE/ROLE:FROM:TO), not {text!r}", param_hint=option)
    if len(splits) > 1:
        known = [s for s in splits if ctx.kind(s[0]) is not None and ctx.kind(s[1]) is not None]
        if len(known) != 1:
            raise typer.BadParameter(f"cannot tell where FROM ends and TO begins in {ends!r}: "
                                     "give this change in a --changes file instead", param_hint=option)
        splits = known
    from_id, to_id = splits[0]
    return {"type": rel.value, "from_id": from_id, "to_id": to_id, "role": role.value if role else None}


def build_request(service: ReadService, changes_file: ChangesFile | None, options: dict[str, list[str]],
                  add_rel: list[str], remove_rel: list[str]) -> WhatIfRequest:
    """The file's changes first, then the options' (in the order of the options' help)."""
    ctx = service.snapshot().ctx
    changes: list[Any] = list(changes_file.changes) if changes_file else []
    for kind, ids in options.items():
        changes.extend({"change": kind, "id": entity} for entity in ids)
    changes.extend({"change": "add-relationship", **parse_relationship(t, "--add-rel", ctx)} for t in add_rel)
    changes.extend({"change": "remove-relationship", **parse_relationship(t, "--remove-rel", ctx)} for t in remove_rel)
    if not changes:
        raise typer.BadParameter("give at least one change (--retire-system, --dissolve-team, --person-leaves, "
                                 "--stop-initiative, --add-rel, --remove-rel) or --changes FILE")
    try:
        return WhatIfRequest.model_validate({"changes": changes})
    except ValidationError as exc:
        if changes_file is not None:
            raise changes_file.error(exc) from None
        raise typer.BadParameter(str(exc)) from None


# -- rendering ------------------------------------------------------------------------


def _findings(title: str, findings: list[Finding], style: str) -> None:
    """The first ``DEFAULT_ROWS`` findings and a note on the rest (--format json lists all)."""
    if not findings:
        console.print(f"[{style}]{title}: none[/]")
        return
    table = Table(title=f"{title} ({len(findings)})", title_justify="left", title_style=style, expand=True)
    table.add_column("severity · rule", no_wrap=True)
    table.add_column("subject", ratio=2, overflow="fold")
    table.add_column("finding", ratio=4, overflow="fold")
    for f in findings[:DEFAULT_ROWS]:
        table.add_row(f"[{SEVERITY_STYLE[f.severity]}]{f.severity.value}[/]\n[dim]{f.rule}[/]",
                      f"{escape(f.subject_name)}\n[dim]{escape(f.subject)}[/]", escape(f.message))
    console.print(table)
    print_rows_note(min(DEFAULT_ROWS, len(findings)), len(findings), "findings")


def _path(path) -> str:
    words = []
    for step in path:
        words.append(f"{escape(step.from_id)} —{REL_READINGS[step.type].forward}→ {escape(step.to_id)}")
    return "; ".join(words)


def render_whatif(answer: WhatIfAnswer, shown: int = 10) -> None:
    console.print(f"[bold]What if[/] (as of {answer.as_of}, store revision {answer.revision}; nothing is written)")
    for outcome in answer.changes:
        impact = outcome.impact
        more = "+" if impact.truncated else ""
        console.print(f"\n[bold]{escape(outcome.change)}[/]: {len(impact.affected)}{more} entities need "
                      f"{escape(outcome.subject)}" + (f" ({', '.join(f'{n} {k}' for k, n in impact.counts.items())})"
                                                      if impact.affected else ""))
        for item in impact.affected[:shown]:
            console.print(f"  {item.entity.kind.value} {escape(item.entity.id)}: [dim]{_path(item.path)}[/]")
        if len(impact.affected) > shown:
            console.print(f"  [dim]… and {len(impact.affected) - shown} more (--format json lists them)[/]")
    console.print()
    _findings("Findings that would appear", answer.appearing, "red")
    _findings("Findings that would disappear", answer.disappearing, "green")
    for change in answer.severity_changes:
        console.print(f"severity {change.before.value} → {change.after.value}: {change.rule} on {escape(change.subject)}")
    console.print(f"Findings that stay: {len(answer.staying)}")
    if answer.scorecards:
        table = Table(title="Scorecards that would change", title_justify="left", expand=True)
        for column in ("initiative", "checks passed", "lost", "gained"):
            table.add_column(column, overflow="fold")
        for card in answer.scorecards:
            table.add_row(f"{escape(card.name)}\n[dim]{escape(card.initiative)}[/]",
                          f"{card.passed_before} → {card.passed_after}",
                          ", ".join(card.checks_lost) or "—", ", ".join(card.checks_gained) or "—")
        console.print(table)
    else:
        console.print("Scorecards that would change: none")


def render_disagreements(answer: DisagreementsAnswer) -> None:
    """One small table per disagreement, under a line naming the entity and
    what the sources disagree about, so it reads in a narrow terminal too."""
    if not answer.disagreements:
        console.print("No disagreements: every source that speaks about an entity says the same.")
        return
    console.print(f"[bold]Disagreements between sources ({answer.total})[/], newest first")
    for item in answer.disagreements:
        about = item.about if item.relationship is None else (
            f"{item.relationship.type.value}{f' ({item.relationship.role})' if item.relationship.role else ''} "
            f"{item.relationship.from_id} → {item.relationship.to_id}")
        console.print(f"\n[bold]{escape(item.name)}[/] [dim]{escape(item.entity)}[/] — {escape(about)}")
        table = Table(show_edge=False, pad_edge=False, box=None, padding=(0, 2, 0, 2))
        table.add_column("source", overflow="fold")
        table.add_column("importer", no_wrap=True)
        table.add_column("says", overflow="fold")
        table.add_column("last said", no_wrap=True)
        for claim in item.claims:
            value = ", ".join(claim.value) if isinstance(claim.value, list) else claim.value
            table.add_row(escape(claim.source), escape(claim.importer),
                          escape(value or "—") + ("" if claim.current else " [dim](not in its latest import)[/]"),
                          claim.last_seen[:10])
        console.print(table)


# -- the commands -------------------------------------------------------------------


def whatif_command(
    retire_system: Annotated[list[str] | None, _ids("Imagine this system retired.", "--retire-system")] = None,
    dissolve_team: Annotated[list[str] | None, _ids("Imagine this team dissolved (inactive).", "--dissolve-team")] = None,
    person_leaves: Annotated[list[str] | None, _ids("Imagine this person gone (inactive).", "--person-leaves")] = None,
    stop_initiative: Annotated[list[str] | None,
                               _ids("Imagine this initiative stopped (retired).", "--stop-initiative")] = None,
    add_rel: Annotated[list[str] | None, typer.Option(
        "--add-rel", metavar="TYPE:FROM:TO", show_default=False,
        help="Imagine this relationship added; TYPE/ROLE:FROM:TO for an owner's role. Repeatable.")] = None,
    remove_rel: Annotated[list[str] | None, typer.Option(
        "--remove-rel", metavar="TYPE:FROM:TO", show_default=False,
        help="Imagine this relationship gone (an OWNS without /ROLE: every role). Repeatable.")] = None,
    changes: Annotated[Path | None, typer.Option(
        "--changes", metavar="FILE.yaml", show_default=False,
        help="Changes from a YAML file (changes: a list of {change: retire-system, id: …}).")] = None,
    store: StoreOption = None,
    explore: Annotated[Path | None, typer.Option(
        "--explore", "-x", metavar="FILE.html", show_default=False,
        help="Also write the explorer page of this what-if: the graph as it is around the changed entities "
             "and the subjects of the findings that would appear or go (--depth hops around each), with "
             "those findings marked apart (dashed ring: would appear; dotted: would go; solid: changed).")] = None,
    depth: Annotated[int, typer.Option("--depth", metavar="N", min=0, max=MAX_DEPTH,
                                       help="With --explore: hops drawn around each marked entity.")] = DEFAULT_DEPTH,
    format: FormatOption = "table",
    as_of: AsOfOption = None,
    config: ConfigOption = None,
) -> None:
    """What would change if a system were retired, a team dissolved, a person left, an initiative
    stopped, or a relationship added or removed: findings appearing and disappearing, scorecards,
    and what needs each changed entity. Nothing is written (--explore writes only its page).

    [bold]Examples[/]

      aimap whatif --retire-system sys-lakehouse

      aimap whatif --person-leaves person-hannah-becker --dissolve-team team-ai-coe -f json

      aimap whatif --changes plan.yaml --add-rel OWNS:team-data-platform:init-demand-forecast

      aimap whatif --person-leaves person-hannah-becker --explore whatif.html
    """
    check_choice(format, ("table", "json"), "--format")
    changes_file = ChangesFile(changes) if changes is not None else None
    with read_service(store, _config(config, as_of)) as service:
        request = build_request(service, changes_file, {
            "retire-system": retire_system or [], "dissolve-team": dissolve_team or [],
            "person-leaves": person_leaves or [], "stop-initiative": stop_initiative or []},
            add_rel or [], remove_rel or [])
        try:
            if explore is None:
                answer = service.what_if(request)
            else:
                answer, data = whatif_explorer(service, request, depth=depth)
        except InvalidRequest as exc:
            if changes_file is None:
                raise
            raise ChangesFileError(changes_file.locate(str(exc))) from None
    if format == "json":
        write_json(answer)
    else:
        render_whatif(answer)
    if explore is not None:
        path = write_page(data, explore, title="aimap what-if")
        # after the answer, and on stderr with --format json: stdout stays the JSON
        (err_console if format == "json" else console).print(
            f"Wrote the what-if explorer to {escape(str(path))} — open it in a browser: {path.resolve().as_uri()}")


def disagreements_command(
    store: StoreOption = None,
    format: FormatOption = "table",
    about: Annotated[list[str] | None, typer.Option(
        "--about", metavar="owner|lifecycle|stage|relationship", show_default=False,
        help="Only disagreements about this; repeatable.")] = None,
) -> None:
    """Where sources disagree: different accountable owners, lifecycles or stages for one entity, or a
    relationship one source states and another's latest import no longer has — every source's claim,
    its importer and when it last said it, newest first.

    [bold]Example[/]

      aimap disagreements --about owner
    """
    check_choice(format, ("table", "json"), "--format")
    for value in about or ():
        check_choice(value, ("owner", "lifecycle", "stage", "relationship"), "--about")
    with read_service(store) as service:
        answer = service.disagreements(about=tuple(about or ()))
    if format == "json":
        write_json(answer)
    else:
        render_disagreements(answer)


def register(app: typer.Typer) -> None:
    app.command("whatif")(whatif_command)
    app.command("disagreements")(disagreements_command)
