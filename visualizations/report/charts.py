"""The report's charts as static SVG, drawn here rather than by a chart library.

Why by hand: the report needs four plain shapes (horizontal bars, stacked
bars, a histogram, lines over time); drawn here they are a few kilobytes of
inline SVG with no script, no font and no reference outside the file, the same
bytes for the same report (so saved reports diff cleanly), and every label
goes through the same HTML escaping as the rest of the page, which matters
because names are imported from catalogues (hostile input). Each chart has a
``<title>`` and the table beside it carries the same numbers for screen readers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from markupsafe import Markup, escape

SEVERITY_COLOURS = {"critical": "#8b1a1a", "high": "#d9480f", "medium": "#e8a317", "low": "#4a90a4"}
SERIES_COLOURS = ("#1f4e79", "#d9480f", "#2e7d32", "#8b1a1a", "#6a4c93")
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:12px"
LABEL_CHARS = 28


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" style="max-width:{width}px;{FONT}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>")


def bar_chart(title: str, rows: Sequence[tuple[str, float]], colour: str = "#1f4e79",
              unit: str = "") -> Markup:
    """Horizontal bars, one per row, longest = full width (the pipeline funnel,
    the scorecard distribution)."""
    label_w, bar_w, row_h = 190, 330, 26
    top = max((value for _, value in rows), default=0) or 1
    body = []
    for index, (label, value) in enumerate(rows):
        y = index * row_h
        width = bar_w * value / top
        body.append(
            f'<g><title>{escape(label)}: {escape(_number(value))}{escape(unit)}</title>'
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(_short(label))}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{width:.1f}" height="{row_h - 8}" fill="{colour}" rx="2"/>'
            f'<text x="{label_w + width + 6:.1f}" y="{y + 17}">{escape(_number(value))}{escape(unit)}</text></g>')
    return _svg(label_w + bar_w + 60, max(len(rows), 1) * row_h + 4, title, body)


def stacked_bars(title: str, rows: Sequence[tuple[str, dict[str, int]]],
                 colours: dict[str, str] = SEVERITY_COLOURS) -> Markup:
    """One horizontal bar per row, split by category (findings per business
    unit, by severity), with a legend."""
    label_w, bar_w, row_h, legend_h = 190, 330, 26, 24
    top = max((sum(parts.values()) for _, parts in rows), default=0) or 1
    body = []
    legend_x = label_w
    for name, colour in colours.items():
        body.append(f'<rect x="{legend_x}" y="4" width="12" height="12" fill="{colour}"/>'
                    f'<text x="{legend_x + 16}" y="14">{escape(name)}</text>')
        legend_x += 24 + 8 * len(name)
    for index, (label, parts) in enumerate(rows):
        y = legend_h + index * row_h
        body.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">'
                    f'<title>{escape(label)}</title>{escape(_short(label))}</text>')
        x = float(label_w)
        for name, colour in colours.items():
            count = parts.get(name, 0)
            if not count:
                continue
            width = bar_w * count / top
            body.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{width:.1f}" height="{row_h - 8}" '
                        f'fill="{colour}"><title>{escape(label)}: {count} {escape(name)}</title></rect>')
            x += width
        body.append(f'<text x="{x + 6:.1f}" y="{y + 17}">{sum(parts.values())}</text>')
    return _svg(label_w + bar_w + 60, legend_h + max(len(rows), 1) * row_h + 4, title, body)


def line_chart(title: str, dates: Sequence[dt.date], series: dict[str, Sequence[float | None]]) -> Markup:
    """Lines over time, one per series, on one scale starting at zero (headline
    numbers of saved reports). A missing value breaks its line."""
    left, right, top_pad, plot_h, width = 44, 16, 30, 180, 560
    plot_w = width - left - right
    top = max((v for values in series.values() for v in values if v is not None), default=0) or 1
    count = len(dates)

    def x_of(index: int) -> float:
        return left + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)

    def y_of(value: float) -> float:
        return top_pad + plot_h - plot_h * value / top

    body = [f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - right}" y2="{top_pad + plot_h}" stroke="#888"/>']
    for fraction in (0, 0.5, 1):
        tick = top * fraction
        body.append(f'<text x="{left - 6}" y="{y_of(tick) + 4:.1f}" text-anchor="end">'
                    f'{escape(_number(round(tick, 2)))}</text>'
                    f'<line x1="{left}" y1="{y_of(tick):.1f}" x2="{width - right}" y2="{y_of(tick):.1f}" '
                    f'stroke="#ddd" stroke-dasharray="3 3"/>')
    step = max(1, count // 6)
    for index, day in enumerate(dates):
        if index % step == 0 or index == count - 1:
            body.append(f'<text x="{x_of(index):.1f}" y="{top_pad + plot_h + 16}" text-anchor="middle">'
                        f'{escape(day.isoformat())}</text>')
    legend_x = left
    for number, (name, values) in enumerate(series.items()):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        body.append(f'<rect x="{legend_x}" y="6" width="12" height="12" fill="{colour}"/>'
                    f'<text x="{legend_x + 16}" y="16">{escape(name)}</text>')
        legend_x += 28 + 7 * len(name)
        points: list[tuple[float, float, float, dt.date]] = []
        segments: list[list[tuple[float, float, float, dt.date]]] = []
        for index, value in enumerate(values):
            if value is None:
                if points:
                    segments.append(points)
                points = []
                continue
            points.append((x_of(index), y_of(value), value, dates[index]))
        if points:
            segments.append(points)
        for segment in segments:
            if len(segment) > 1:
                path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _, _ in segment)
                body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
            for px, py, value, day in segment:
                body.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}">'
                            f'<title>{escape(name)} on {escape(day.isoformat())}: '
                            f'{escape(_number(value))}</title></circle>')
    return _svg(width, top_pad + plot_h + 24, title, body)
