"""Server-side SVG charts: geometry computed here, drawn by ``web/_bar_chart.html``.

No charting script is shipped: the page stays inside a strict Content Security
Policy, works without JavaScript, and a screen reader gets the same numbers as a table.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _

from plaudit.core import wording

PALETTE_SIZE = 8  # CSS classes .series-0 … .series-7 colour the bars


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    series: int
    label: str


@dataclass
class BarChart:
    """A grouped bar chart: one group per month, one bar per department."""

    title: str
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    bars: list[Bar] = field(default_factory=list)
    groups: list[tuple[float, str]] = field(default_factory=list)  # (centre x, label)
    legend: list[tuple[int, str]] = field(default_factory=list)  # (series, name)
    maximum: int = 0
    rows: list[tuple[str, list[int]]] = field(default_factory=list)  # the data as a table
    months: list[str] = field(default_factory=list)


def grouped_bar_chart(
    title: str,
    months: Sequence[date],
    values: dict[tuple[str, date], int],
    *,
    width: int = 640,
    height: int = 240,
) -> BarChart:
    """Lay out ``values[(department, month)]`` as bars scaled to the largest value."""
    departments = sorted({department for department, _ in values})
    chart = BarChart(title=title, width=width, height=height, plot_top=16, plot_bottom=height - 28)
    chart.legend = [(index % PALETTE_SIZE, name) for index, name in enumerate(departments)]
    chart.months = [formats.date_format(month, "M Y") for month in months]
    chart.maximum = max(values.values(), default=0)
    chart.rows = [
        (department, [values.get((department, month), 0) for month in months])
        for department in departments
    ]
    if not months:
        return chart
    group_width = width / len(months)
    bar_width = (group_width * 0.8) / max(len(departments), 1)
    plot_height = chart.plot_bottom - chart.plot_top
    for group, month in enumerate(months):
        left = group * group_width + group_width * 0.1
        centre = group * group_width + group_width / 2
        chart.groups.append((centre, formats.date_format(month, "M")))
        # Translators: a bar's tooltip in a chart: "Sales, March 2025: 1,200 points".
        bar_label = _("%(department)s, %(month)s: %(points)s")
        for index, department in enumerate(departments):
            value = values.get((department, month), 0)
            label = bar_label % {
                "department": department,
                "month": wording.month(month),
                "points": wording.points(value),
            }
            bar_height = plot_height * value / chart.maximum if chart.maximum else 0
            chart.bars.append(
                Bar(
                    x=round(left + index * bar_width, 1),
                    y=round(chart.plot_bottom - bar_height, 1),
                    width=round(max(bar_width - 2, 1), 1),
                    height=round(bar_height, 1),
                    value=value,
                    series=index % PALETTE_SIZE,
                    label=label,
                )
            )
    return chart
