"""The statistics page's use cases: one year's annual-report tables and analysis, and their export."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.domain.codes import FINDING_ORDER, Finding
from app.domain.errors import InputError, StoreError
from app.law.findings import entry
from app.reports.analysis import Analysis, Timeliness, analyse, timeliness, year_period
from app.reports.annual import AnnualReport, annual_report
from app.services.calendar import effective_calendar
from app.services.cases import export_cases
from app.services.ports import UnitOfWork
from app.services.settings import load_agency

ExportFormat = Literal["xlsx", "docx", "pdf"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("xlsx", "docx", "pdf")

# 条例第四十九条: the report of the past year is due by 31 January (departments) or 31 March
# (governments' offices), so in the first quarter the clerk is usually working on last year's.
REPORT_SEASON_LAST_MONTH = 3
# 条例 (2007) came into force on 1 May 2008: no annual report counts anything before that year.
FIRST_REPORT_YEAR = 2008


@dataclass(frozen=True)
class MonthTimeliness:
    """Replies of the cases concluded in one month against their due dates (the overdue-rate line)."""

    month: int
    timeliness: Timeliness


@dataclass(frozen=True)
class YearStatistics:
    """Everything the statistics page shows for one year; plain values, safe to hand across threads."""

    year: int
    agency_name: str
    font: str  # the agency's letter font setting, for the PDF export
    report: AnnualReport
    analysis: Analysis
    monthly_timeliness: tuple[MonthTimeliness, ...]
    cases: int  # cases in the database, all years


def _group_name(row_group: str) -> str:
    # "（二）部分公开（区分处理的，…）" → "部分公开": the group's name without its number and note.
    name = row_group.split("）", 1)[1] if row_group.startswith("（") else row_group
    return name.split("（", 1)[0]


# The six result groups of 30号 table 三 (（一）予以公开 … （六）其他处理), for charts too small for 21 rows.
OUTCOME_GROUPS: tuple[str, ...] = tuple(dict.fromkeys(_group_name(entry(f).row_group) for f in FINDING_ORDER))


def outcomes_by_group(outcomes: Mapping[Finding, int]) -> dict[str, int]:
    """Counts by finding summed into ``OUTCOME_GROUPS`` (all groups present, in table order)."""
    out = dict.fromkeys(OUTCOME_GROUPS, 0)
    for finding, n in outcomes.items():
        out[_group_name(entry(finding).row_group)] += n
    return out


def default_report_year(today: dt.date) -> int:
    """Last year during the reporting season (January–March), this year after it."""
    return today.year - 1 if today.month <= REPORT_SEASON_LAST_MONTH else today.year


def report_years(today: dt.date) -> list[int]:
    """The years a report can be made for, latest first."""
    return list(range(today.year, FIRST_REPORT_YEAR - 1, -1))


def _month_last(year: int, month: int) -> dt.date:
    following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return following - dt.timedelta(days=1)


def compute_statistics(uow: UnitOfWork, year: int, *, today: dt.date) -> YearStatistics:
    """Tables 三 and 四 of ``year`` (条例第五十条, 30号) and the periodic analysis of the same year."""
    if not FIRST_REPORT_YEAR <= year <= today.year + 1:
        raise InputError("out_of_range", field="year", min=FIRST_REPORT_YEAR, max=today.year + 1, value=year)
    cases = list(export_cases(uow))
    calendar = effective_calendar(uow)
    agency = load_agency(uow)
    first, last = year_period(year)
    monthly = tuple(
        MonthTimeliness(
            month,
            timeliness(
                cases, dt.date(year, month, 1), _month_last(year, month), calendar=calendar, today=today
            ),
        )
        for month in range(1, 13)
    )
    return YearStatistics(
        year=year,
        agency_name=agency.name if agency is not None else "",
        font=agency.font if agency is not None else "",
        report=annual_report(cases, year),
        analysis=analyse(cases, first, last, calendar=calendar, today=today),
        monthly_timeliness=monthly,
        cases=len(cases),
    )


def export_annual_report(stats: YearStatistics, fmt: ExportFormat, path: Path) -> str:
    """Write tables 三 and 四 to ``path`` as XLSX, DOCX or PDF; returns a note on the font used ("" if none).

    Written under a temporary name beside ``path`` and renamed when complete, so a failed export never
    leaves a half-written file where the clerk expects the report.
    """
    if fmt not in EXPORT_FORMATS:
        raise InputError("bad_choice", field="format", value=fmt, choices="、".join(EXPORT_FORMATS))
    out = path.resolve()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    except OSError as exc:
        raise StoreError("io", detail=str(exc), path=str(out)) from exc
    os.close(fd)
    note = ""
    try:
        if fmt == "xlsx":
            from app.reports.annual_xlsx import write_annual_xlsx

            write_annual_xlsx(stats.report, Path(tmp), agency_name=stats.agency_name)
        elif fmt == "docx":
            from app.letters.report_docx import write_annual_docx

            write_annual_docx(stats.report, tmp, agency_name=stats.agency_name or None)
        else:
            from app.letters.fonts import choose_font
            from app.letters.report_pdf import write_annual_pdf

            font = write_annual_pdf(
                stats.report, tmp, agency_name=stats.agency_name or None, font=choose_font(stats.font)
            )
            note = font.family or font.name
        os.replace(tmp, out)
    except PermissionError as exc:  # a folder without write access, or (Windows) the file open in Excel/WPS
        raise StoreError("io", detail="permission", path=str(out)) from exc
    except OSError as exc:
        raise StoreError("io", detail=str(exc), path=str(out)) from exc
    finally:
        Path(tmp).unlink(missing_ok=True)
    return note
