"""Rendering the gap report (``graph.reports.Report``) for people: Markdown for
mail and wikis, one self-contained HTML file with charts for the browser and
the printer. No business rule lives here: every number comes from the model."""

from visualizations.report.html import render_html
from visualizations.report.markdown import render_markdown

__all__ = ["render_html", "render_markdown"]
