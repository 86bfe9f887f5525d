"""The HTML gap report in headless Chromium: it renders offline (no request
leaves the machine), fits a phone, breaks pages per business unit in print,
and its first page is saved as a test artifact (``report-first-page.png``)."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.analyses import AnalysisConfig
from graph.reports import ReportSettings, generate_report, save_report
from graph.service import ReadService
from graph.store.sqlite_store import SQLiteStore
from importers.example import AS_OF, load_example
from visualizations.report import render_html


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    """The example's report with a week of history, written as HTML."""
    folder = tmp_path_factory.mktemp("report")
    store = SQLiteStore(folder / "example.db")
    load_example(store)
    settings = ReportSettings(history_dir=folder / "history")
    earlier = ReadService(store, AnalysisConfig(as_of=AS_OF - dt.timedelta(days=7)))
    save_report(generate_report(earlier, settings).report, settings.history_dir)
    report = generate_report(ReadService(store, AnalysisConfig(as_of=AS_OF)), settings).report
    store.close()
    path = folder / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    return path, report


def test_the_report_renders_offline_and_its_first_page_is_an_artifact(page, report_file, screenshot):
    path, report = report_file
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    assert page.outside_requests == []
    assert page.inner_text("h1").startswith(report.title)
    assert page.locator("section.unit").count() == len(report.units)
    tile = page.locator(".tile .big").first
    assert tile.is_visible() and tile.inner_text() == str(report.summary.headline.findings)
    charts = page.locator("svg.chart")
    assert charts.count() == 4  # pipeline, scale-readiness, units by severity, history
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 50
    shot = screenshot(page, "report-first-page")
    assert shot.stat().st_size > 10_000


def test_the_report_fits_a_phone(page, report_file, screenshot):
    path, _ = report_file
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page is {overflow}px wider than a phone"
    columns = page.evaluate("getComputedStyle(document.querySelector('.tiles')).gridTemplateColumns.split(' ').length")
    assert columns == 2
    screenshot(page, "report-phone")


def test_printing_breaks_the_page_before_each_business_unit(page, report_file):
    path, report = report_file
    page.goto(path.as_uri())
    page.emulate_media(media="print")
    breaks = page.evaluate("[...document.querySelectorAll('section.unit')].map(s => getComputedStyle(s).breakBefore)")
    assert breaks == ["page"] * len(report.units)
    pdf = page.pdf(format="A4")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") > len(report.units)
