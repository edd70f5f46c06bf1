"""The statistics charts (QtCharts): intake and outcomes by month, topics and tags, the overdue rate."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QScatterSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QWidget

from app.services.statistics import OUTCOME_GROUPS, YearStatistics, outcomes_by_group

# Month numbers, the axis titled 月: "10月" "11月" "12月" are elided at half the page's width.
MONTHS: tuple[str, ...] = tuple(str(m) for m in range(1, 13))
# Calm, distinguishable colours (received, concluded; then the six result groups of table 三).
RECEIVED_COLOR = "#1a73e8"
CONCLUDED_COLOR = "#34a853"
OUTCOME_COLORS: tuple[str, ...] = ("#34a853", "#7cb342", "#ea4335", "#fbbc04", "#9aa0a6", "#a142f4")
TOPIC_COLOR = "#1a73e8"
TAG_COLOR = "#12a4af"
OVERDUE_COLOR = "#d93025"
TOP_TOPICS = 8


def _chart(title: str, font: QFont) -> QChart:
    chart = QChart()
    title_font = QFont(font)
    title_font.setBold(True)
    title_font.setPointSizeF(font.pointSizeF() * 1.1)
    chart.setTitle(title)
    chart.setTitleFont(title_font)
    chart.legend().setFont(font)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(6)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def _count_axis(font: QFont, top: float) -> QValueAxis:
    """An axis of counts: whole-number ticks only (a "%d" label on a 0.5 tick would read 0, 1, 1, 2)."""
    step = max(1, math.ceil(top / 5))
    axis = QValueAxis()
    axis.setLabelsFont(font)
    axis.setRange(0, step * max(1, math.ceil(top / step)))
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setLabelFormat("%d")
    return axis


def _category_axis(categories: Sequence[str], font: QFont, title: str = "") -> QBarCategoryAxis:
    axis = QBarCategoryAxis()
    axis.append(list(categories))
    axis.setLabelsFont(font)
    if title:
        axis.setTitleText(title)
        axis.setTitleFont(font)
    return axis


def _bar_set(name: str, values: Sequence[float], color: str) -> QBarSet:
    bar = QBarSet(name)
    bar.append([float(v) for v in values])
    bar.setColor(QColor(color))
    bar.setBorderColor(QColor(color))
    return bar


def intake_chart(stats: YearStatistics, font: QFont) -> QChart:
    """Requests received and cases concluded in each month (grouped bars)."""
    chart = _chart(f"{stats.year}年各月收到申请与办结件数", font)
    months = stats.analysis.months
    series = QBarSeries()
    series.append(_bar_set("收到申请", [m.received for m in months], RECEIVED_COLOR))
    series.append(_bar_set("办结", [m.concluded for m in months], CONCLUDED_COLOR))
    chart.addSeries(series)
    x = _category_axis(MONTHS, font, "月")
    y = _count_axis(font, max([m.received for m in months] + [m.concluded for m in months] + [1]))
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    return chart


def outcomes_chart(stats: YearStatistics, font: QFont) -> QChart:
    """Cases concluded in each month by their result group of table 三 (stacked bars)."""
    chart = _chart(f"{stats.year}年各月办理结果", font)
    by_month = [outcomes_by_group(m.outcomes) for m in stats.analysis.months]
    series = QStackedBarSeries()
    for group, color in zip(OUTCOME_GROUPS, OUTCOME_COLORS, strict=True):
        series.append(_bar_set(group, [counts[group] for counts in by_month], color))
    chart.addSeries(series)
    x = _category_axis(MONTHS, font, "月")
    y = _count_axis(font, max([sum(c.values()) for c in by_month] + [1]))
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    return chart


def ranking_chart(title: str, counts: Mapping[str, int], color: str, font: QFont, *, empty: str) -> QChart:
    """The most frequent ``TOP_TOPICS`` of ``counts`` as horizontal bars, the largest on top."""
    top = list(counts.items())[:TOP_TOPICS]
    chart = _chart(title if top else f"{title}（{empty}）", font)
    chart.legend().hide()
    series = QHorizontalBarSeries()
    # A horizontal bar chart draws its first category at the bottom.
    series.append(_bar_set("件数", [n for _, n in reversed(top)], color))
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value")
    chart.addSeries(series)
    y = _category_axis([name for name, _ in reversed(top)] or ["—"], font)
    x = _count_axis(font, max([n for _, n in top] + [1]) * 1.15)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(x)
    series.attachAxis(y)
    return chart


def overdue_chart(stats: YearStatistics, font: QFont) -> QChart:
    """The share of the month's concluded cases replied after their due date (line; no point for a
    month without a concluded case that had a due date)."""
    chart = _chart(f"{stats.year}年各月逾期答复率（%）", font)
    chart.legend().hide()
    line = QLineSeries()
    points = QScatterSeries()
    points.setMarkerSize(8)
    for color_series in (line, points):
        color_series.setColor(QColor(OVERDUE_COLOR))
    top = 0.0
    for i, month in enumerate(stats.monthly_timeliness):
        rate = month.timeliness.overdue_rate
        if rate is None:
            continue
        line.append(float(i), rate * 100)
        points.append(float(i), rate * 100)
        top = max(top, rate * 100)
    chart.addSeries(line)
    chart.addSeries(points)
    x = _category_axis(MONTHS, font, "月")
    y = QValueAxis()
    y.setLabelsFont(font)
    y.setRange(0, 100 if top > 50 else max(10.0, top * 1.25))
    y.applyNiceNumbers()
    y.setLabelFormat("%d%%")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    for series in (line, points):
        series.attachAxis(x)
        series.attachAxis(y)
    return chart


class ChartPane(QChartView):
    """A chart view that replaces (and frees) its chart on ``show_chart``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(320)

    def show_chart(self, chart: QChart) -> None:
        old = self.chart()
        self.setChart(chart)  # the view owns the new chart and releases the old one
        if old is not None and old is not chart:
            old.deleteLater()
