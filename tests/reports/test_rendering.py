"""The rendered reports: the HTML is one self-contained file (no external
reference of any kind), responsive and printable; hostile names are escaped
in HTML and Markdown; every finding is shown once; charts appear where the
issue asks for them."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from graph.analyses import AnalysisConfig
from graph.records import NodeRecord, RelRecord
from graph.reports import ReportSettings, generate_report
from graph.reports.assemble import build_report
from graph.schema import Kind, Rel
from graph.service import ReadService
from graph.store.sqlite_store import SQLiteStore
from visualizations.report import render_html, render_markdown

SEEN = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
HOSTILE_UNIT = '<script>alert("unit")</script> & Co'
HOSTILE_INITIATIVE = '[click](https://evil.example/x) <img src="https://evil.example/p.png"> | *bold*'
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "poster", "data", "xlink:href", "background", "srcset",
                  "cite", "manifest", "ping"}


class References(HTMLParser):
    """Every attribute that can load or link something, every element, and the CSS text."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value is not None:
                self.urls.append(value)
            if name == "style" and value:
                self.styles.append(value)

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def parse(html: str) -> References:
    parser = References()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    store = SQLiteStore(tmp_path_factory.mktemp("hostile") / "h.db")
    nodes = [NodeRecord(Kind.TEAM, "bu-x", {"name": HOSTILE_UNIT, "type": "business_unit"}, "t.yaml", "native"),
             NodeRecord(Kind.WORKFLOW, "wf-x", {"name": "Claims </td></tr></table>"}, "t.yaml", "native"),
             NodeRecord(Kind.INITIATIVE, "init-x", {"name": HOSTILE_INITIATIVE, "stage": "pilot"}, "t.yaml",
                        "native")]
    rels = [RelRecord(Rel.PERFORMS, "bu-x", "wf-x", {}, "t.yaml", "native"),
            RelRecord(Rel.OWNS, "bu-x", "wf-x", {"role": "accountable"}, "t.yaml", "native"),
            RelRecord(Rel.SUPPORTS, "init-x", "wf-x", {}, "t.yaml", "native")]
    store.upsert(nodes, rels, SEEN)
    report = build_report(ReadService(store, AnalysisConfig(as_of=dt.date(2026, 11, 25))))
    store.close()
    assert any(f.subject == "init-x" for f in report.all_findings())
    return report


@pytest.fixture(scope="module")
def example_report(example):
    return build_report(example)


def test_the_html_has_no_external_reference_of_any_kind(example_report, hostile_report):
    for report in (example_report, hostile_report):
        html = render_html(report)
        found = parse(html)
        assert found.tags.count("svg") >= 3  # the charts are inline
        assert not [u for u in found.urls if not u.startswith("#")], found.urls
        css = " ".join(found.styles)
        assert "@import" not in css and not re.findall(r"url\(\s*['\"]?(?!data:)", css)
        assert not {"script", "link", "iframe", "object", "embed", "img", "base"} & set(found.tags)
    # the example's names hold no address, so any address in its page would be a reference of ours
    assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}/", render_html(example_report), re.IGNORECASE)


def test_hostile_names_are_escaped_in_html(hostile_report):
    html = render_html(hostile_report)
    assert "<script>" not in html and '<img src="https' not in html
    assert "&lt;script&gt;alert(" in html
    assert "Claims &lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;" in html


def test_hostile_names_are_escaped_in_markdown(hostile_report):
    text = render_markdown(hostile_report)
    assert "<script>" not in text and "<img" not in text and "https://" not in text
    assert "\\[click\\](" in text and not re.search(r"(?<!\\)\]\(", text)  # no link can form
    assert "&lt;script&gt;" in text
    rows = [line for line in text.splitlines() if "click" in line and line.startswith("|")]
    widths = {line.count("|") - line.count("\\|") for line in rows}
    headers = {line.count("|") for line in text.splitlines() if line.startswith("|---")}
    assert widths and widths <= {h for h in headers}


def test_the_html_is_responsive_and_printable(example_report):
    html = render_html(example_report)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert re.search(r"@media \(max-width: \d+px\)", html)
    print_css = html[html.index("@media print"):]
    assert "section.unit { break-before: page" in print_css
    assert html.count('<section class="unit"') == len(example_report.units)


@pytest.mark.parametrize("render, shown", [(render_html, 'data-finding="{}"'), (render_markdown, "`{}`")])
def test_every_finding_is_shown_exactly_once(example_report, render, shown):
    text = render(example_report)
    for finding in example_report.all_findings():
        assert text.count(shown.format(finding.id)) == 1, finding.id


def test_the_summary_comes_first_with_the_top_gaps(example_report):
    text = render_markdown(example_report)
    summary = text.index("## Summary")
    first_unit = text.index(f"## {example_report.units[0].name.split()[0]}")
    assert summary < first_unit
    for gap in example_report.summary.top_gaps:
        assert summary < text.index(gap.act.who.split()[0]) < first_unit
    assert f"**{example_report.summary.headline.findings} open finding(s)**" in text


def test_with_history_the_html_draws_the_headline_numbers_over_time(example, tmp_path):
    from graph.reports import save_report

    settings = ReportSettings(history_dir=tmp_path / "h")
    earlier = generate_report(example, settings).report
    week_ago = earlier.as_of - dt.timedelta(days=7)
    summary = earlier.summary.model_copy(update={"headline": earlier.summary.headline.model_copy(
        update={"as_of": week_ago, "findings": earlier.summary.headline.findings + 5})})
    save_report(earlier.model_copy(update={"as_of": week_ago, "summary": summary}), settings.history_dir)
    html = render_html(generate_report(example, settings).report)
    assert 'id="history"' in html and "<polyline" in html
    assert 'id="changes"' in html
    assert 'id="history"' not in render_html(earlier)


def test_vendors_come_after_the_business_units_and_unknown_stages_are_counted(tmp_path):
    store = SQLiteStore(tmp_path / "v.db")
    node = lambda kind, node_id, **props: NodeRecord(kind, node_id, {"name": node_id.title(), **props},  # noqa: E731
                                                     "t.yaml", "native")
    rel = lambda kind, a, b, **props: RelRecord(kind, a, b, props, "t.yaml", "native")  # noqa: E731
    store.upsert([node(Kind.TEAM, "bu-a", type="business_unit"), node(Kind.TEAM, "acme", type="vendor"),
                  node(Kind.INITIATIVE, "init-vendor", stage="pilot"),
                  node(Kind.INITIATIVE, "init-unsure", stage="unknown")],
                 [rel(Rel.OWNS, "acme", "init-vendor", role="accountable"),
                  rel(Rel.OWNS, "bu-a", "init-unsure", role="accountable")], SEEN)
    report = build_report(ReadService(store, AnalysisConfig(as_of=dt.date(2026, 11, 25))))
    store.close()
    vendors = [s for s in report.units if s.vendor]
    assert len(vendors) == 1 and vendors[0].name == "Vendors"
    assert report.units.index(vendors[0]) == max(i for i, s in enumerate(report.units) if s.business_unit is not None)
    assert vendors[0].findings and all(i.finding.subject == "init-vendor" for i in vendors[0].findings)
    assert {tuple(i.act.ids) for i in vendors[0].findings} == {("acme",)}  # the vendor is accountable
    assert report.summary.pipeline.row.stages["unknown"] == 1
    assert "1 of unknown stage" in render_markdown(report)
    assert "1 unknown" in render_html(report)
