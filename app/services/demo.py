"""Demonstration data for a new data folder (the first-run wizard's "载入示例数据").

About thirty made-up cases dated around ``today`` so that every group of the worklist has something
in it: overdue, due today, due within 3 and 5 working days, paused by a consultation or a fee notice,
awaiting a correction or a confirmation of receipt, running, and replied; and two draft letters
waiting for review. The cases are written in the case file format and go through the same parser
and import as a clerk's file (``app.domain.caseformat``), so demo data is valid data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.domain.caseformat import parse_case
from app.domain.errors import InputError, YishenError
from app.domain.model import Case
from app.law.calendar import WorkCalendar
from app.services.calendar import effective_calendar
from app.services.cases import ImportReport, import_cases
from app.services.ports import UnitOfWork

DEMO_TAG = "示例数据"

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
_GIVEN = ("伟", "芳", "秀英", "敏", "静", "丽娟", "强", "磊", "军")
_GIVEN2 = ("洋", "建国", "志强", "春梅", "玉兰", "海涛")
_PLACES = ("东城", "西城", "南湖", "北塘", "青山", "白水", "红星", "新华", "光明", "和平")
_COMPANIES = ("某某建设工程有限公司", "某某律师事务所", "某某环境研究所", "某某公益服务中心")
_TOPICS = (
    "{p}村集体土地征收补偿安置方案",
    "{y}年{p}片区房屋征收决定及补偿标准",
    "{p}街道{y}年度财政预算执行情况",
    "{p}路道路拓宽工程环境影响评价文件",
    "{y}年{p}镇最低生活保障对象名单及发放标准",
    "{p}小区建设工程规划许可证及总平面图",
    "{p}学校{y}年招生划片范围的确定依据",
    "{p}河道整治项目招标文件和中标结果",
    "{y}年{p}区就业补贴资金使用情况",
    "{p}工业园区企业排污许可及监测数据",
)
_TAGS = ("土地征收", "房屋征收", "社会保障", "财政预算", "环境保护", "规划建设")


@dataclass(frozen=True)
class _Line:
    """A parsed demo case in the shape ``import_cases`` takes (``ParsedLine``)."""

    line: int
    case: Case | None
    error: InputError | None = None


@dataclass(frozen=True)
class DemoReport:
    imported: int
    letters: int


class _Maker:
    def __init__(self, calendar: WorkCalendar, today: dt.date, seed: int) -> None:
        self.cal = calendar
        self.today = today
        self.rng = random.Random(seed)

    def wd(self, n: int) -> dt.date:
        """The |n|-th working day before (n < 0) or after today."""
        return self.cal.add_working_days(self.today, n)

    def applicant(self) -> dict[str, Any]:
        rng = self.rng
        if rng.random() < 0.8:
            return {
                "kind": "natural_person",
                "name": rng.choice(_SURNAMES) + rng.choice(_GIVEN + _GIVEN2),
                "id_type": "居民身份证",
                "id_number": f"{rng.randrange(10**16, 10**17)}{rng.choice('0123456789X')}",
                "phone": f"13{rng.randrange(10**9):09d}",
                "address": f"某市{rng.choice(_PLACES)}区{rng.randrange(1, 300)}号",
            }
        name = rng.choice(_COMPANIES)
        kind = {"律师": "legal_services", "研究": "research", "公益": "public_interest"}
        return {
            "kind": next((v for k, v in kind.items() if k in name), "business"),
            "name": rng.choice(_PLACES) + name,
            "id_type": "统一社会信用代码",
            "id_number": f"91{rng.randrange(10**15, 10**16)}",
            "phone": f"0571-{rng.randrange(10**7, 10**8)}",
            "address": f"某市{rng.choice(_PLACES)}区{rng.randrange(1, 300)}号",
        }

    def items(self, received: dt.date) -> list[dict[str, Any]]:
        rng = self.rng
        out = []
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            text = rng.choice(_TOPICS).format(p=rng.choice(_PLACES), y=received.year - rng.randrange(2))
            out.append({"description": text, "form": rng.choice(("paper", "electronic")), "delivery": "post"})
        return out

    def case(
        self,
        received: dt.date | None,
        *,
        channel: str = "in_person",
        arrived: dt.date | None = None,
        events: list[dict[str, Any]] | None = None,
        finding: str | None = None,
    ) -> dict[str, Any]:
        arrived = arrived or received
        day = received or arrived or self.today
        items = self.items(day)
        if finding is not None:
            for it in items:
                it["finding"] = finding
                it["reasons"] = "经检索，相关信息情况如答复书所述。"
        return {
            "format": "yishen-case/1",
            "channel": channel,
            "arrived": arrived.isoformat() if arrived else None,
            "received": received.isoformat() if received else None,
            "oral_filled_by": "窗口工作人员" if channel == "oral" else None,
            "applicant": self.applicant(),
            "items": items,
            "events": events or [],
            "tags": [DEMO_TAG, self.rng.choice(_TAGS)],
        }


def _iso(day: dt.date) -> str:
    return day.isoformat()


def demo_case_dicts(calendar: WorkCalendar, today: dt.date, *, seed: int = 2026) -> Iterator[dict[str, Any]]:
    """The demo cases as case-file objects (no numbers: the import assigns them)."""
    m = _Maker(calendar, today, seed)

    def due_in(k: int) -> dt.date:
        # 条例第三十三条: the reply is due on receipt + 20 working days, so this receipt puts it at today + k.
        return m.wd(k - 20)

    # Overdue, due today, within 3, within 5 working days, then running.
    for k in (-6, -3, -1, 0, 0, 1, 2, 3, 4, 5, 5, 7, 8, 10, 12, 13, 15, 17, 19):
        yield m.case(due_in(k), channel=m.rng.choice(("in_person", "post_signed", "oral")))

    # Paused by a consultation (条例第三十二条、第三十四条、第三十三条第三款): sent, not answered yet.
    for party, name, back in (("third_party", "某某置业有限公司", 3), ("agency", "市自然资源和规划局", 2)):
        received = m.wd(-8)
        sent = m.wd(-back)
        yield m.case(
            received,
            events=[
                {
                    "type": "consultation_sent",
                    "date": _iso(sent),
                    "id": "c1",
                    "party": party,
                    "name": name,
                    "delivered": _iso(m.wd(-back + 1)),
                }
            ],
        )
    # Paused by a fee notice (条例第四十二条, 109号): not paid yet.
    received = m.wd(-6)
    yield m.case(
        received,
        events=[
            {
                "type": "fee_notified",
                "date": _iso(m.wd(-2)),
                "amount": 300,
                "method": "per_volume",
                "delivered": _iso(m.wd(-1)),
            }
        ],
    )

    # Awaiting the corrected application (条例第三十条).
    for back in (5, 9):
        received = m.wd(-back)
        sent = m.wd(-back + 3)
        yield m.case(
            received,
            events=[
                {"type": "correction_requested", "date": _iso(sent), "period_end": _iso(m.wd(-back + 3 + 15))}
            ],
        )

    # Awaiting the confirmation of receipt (条例第三十一条): no confirmation recorded yet.
    yield m.case(None, channel="online", arrived=m.wd(-1))
    yield m.case(None, channel="post_ordinary", arrived=m.wd(-2))

    # Replied and delivered.
    for back, finding in (
        (60, "disclosed"),
        (45, "partly_disclosed"),
        (38, "unable.not_held"),
        (30, "disclosed"),
    ):
        received = m.wd(-back)
        replied = m.wd(-back + m.rng.randrange(8, 19))
        yield m.case(
            received,
            finding=finding,
            events=[
                {"type": "replied", "date": _iso(replied), "outcome": finding},
                {"type": "delivered", "date": _iso(replied), "method": "邮寄", "tracking": "EMS1000000000"},
            ],
        )


DEMO_COLLEAGUES = ("李华", "王芳")
"""Clerks named on some demo cases (names only: they are not users of the folder)."""


def load_demo_cases(uow: UnitOfWork, today: dt.date, *, actor: str, seed: int = 2026) -> DemoReport:
    """Import the demo cases and draft two registration receipts for review; commits."""
    # Imported here: the letters stack (fonts, renderers) is heavy and only this step needs it.
    from app.services.letters import prepare_letter

    # Most demo cases are the loading clerk's own; some a colleague's, so 经办人 has something to filter.
    clerks = (actor, actor, *DEMO_COLLEAGUES)
    lines = [
        _Line(i, parse_case({**obj, "clerk": clerks[i % len(clerks)]}))
        for i, obj in enumerate(demo_case_dicts(effective_calendar(uow), today, seed=seed), 1)
    ]
    report: ImportReport = import_cases(uow, lines, skip_invalid=False, source=DEMO_TAG, today=today)
    if not report.ok:
        raise report.errors[0]
    letters = 0
    running = [c for c in uow.cases.iter_open() if c.received is not None and not c.events]
    for case in running[-2:]:
        try:
            prepare_letter(uow, case.number, "receipt", today=today, actor=actor)
        except YishenError:
            # A profile still incomplete for this letter: the demo cases are there; skip the drafts.
            break
        letters += 1
    return DemoReport(imported=report.imported, letters=letters)
