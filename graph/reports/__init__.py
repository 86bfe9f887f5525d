"""The periodic gap report: its data model, its assembly from the read side
(summary, per-unit sections, suppressions, comparison with a previous report)
and its history. Rendering lives in ``visualizations.report``."""

from graph.reports.generate import Generated, generate_report
from graph.reports.history import read_report, report_json, save_report, saved_reports
from graph.reports.model import Headline, Report
from graph.reports.settings import ReportSettings, load_report_settings
from graph.reports.suppressions import read_suppressions

__all__ = ["Generated", "Headline", "Report", "ReportSettings", "generate_report", "load_report_settings",
           "read_report", "read_suppressions", "report_json", "save_report", "saved_reports"]
