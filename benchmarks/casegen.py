"""Generates realistic case-file lines (interfaces.md §1) for benchmarks: names, requests, timelines."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from typing import Any

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强德海春梅玉兰红"
PLACES = ["东城", "西城", "南湖", "北塘", "青山", "白水", "红星", "新华", "光明", "和平"]
TOPICS = [
    "{p}村集体土地征收补偿安置方案",
    "{y}年{p}片区房屋征收决定及补偿标准",
    "{p}街道{y}年度财政预算执行情况",
    "{p}路道路拓宽工程环境影响评价文件",
    "{y}年{p}镇最低生活保障对象名单及发放标准",
    "{p}小区规划许可证及总平面图",
    "{p}学校{y}年招生划片范围的确定依据",
    "{p}河道整治项目招标文件和中标结果",
    "{y}年{p}区就业补贴资金使用情况",
    "{p}工业园区企业排污许可及监测数据",
]
KINDS = ["natural_person"] * 8 + ["business", "research", "public_interest", "legal_services", "other_org"]
CHANNELS = ["in_person", "post_signed", "online", "email", "post_ordinary", "fax", "oral"]
FINDINGS = [
    "disclosed",
    "disclosed",
    "partly_disclosed",
    "withheld.process_info",
    "withheld.third_party",
    "unable.not_held",
    "not_processed.repeat",
    "unable.needs_creation",
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _wd(day: dt.date, n: int) -> dt.date:
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def generate_cases(
    n: int, *, seed: int = 7, start: dt.date = dt.date(2024, 1, 2)
) -> Iterator[dict[str, Any]]:
    """``n`` cases spread over two years, about a third still open, with varied timelines."""
    rng = random.Random(seed)
    span = 730
    for i in range(n):
        received = start + dt.timedelta(days=rng.randrange(span))
        channel = rng.choice(CHANNELS)
        kind = rng.choice(KINDS)
        name = _name(rng) if kind == "natural_person" else rng.choice(PLACES) + "某某有限公司"
        items = []
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            text = rng.choice(TOPICS).format(p=rng.choice(PLACES), y=received.year - rng.randrange(3))
            items.append(
                {"description": text, "form": rng.choice(["paper", "electronic"]), "delivery": "post"}
            )
        events: list[dict[str, Any]] = []
        if channel in ("post_ordinary", "online", "fax", "email"):
            events.append(
                {"type": "receipt_confirmed", "date": received.isoformat(), "method": "电话", "by": "经办人"}
            )
        day = received
        roll = rng.random()
        if roll < 0.1:
            day = _wd(day, 3)
            events.append(
                {
                    "type": "correction_requested",
                    "date": day.isoformat(),
                    "period_end": _wd(day, 10).isoformat(),
                }
            )
            day = _wd(day, 4)
            events.append({"type": "correction_received", "date": day.isoformat()})
        elif roll < 0.25:
            day = _wd(day, 2)
            events.append(
                {
                    "type": "consultation_sent",
                    "date": day.isoformat(),
                    "id": "c1",
                    "party": rng.choice(["third_party", "agency"]),
                    "name": "某某公司",
                }
            )
            day = _wd(day, rng.randrange(3, 12))
            events.append(
                {
                    "type": "consultation_replied",
                    "date": day.isoformat(),
                    "id": "c1",
                    "opinion": rng.choice(["agree", "object", "none"]),
                    "reasons": "意见如附",
                }
            )
        elif roll < 0.3:
            day = _wd(day, 15)
            events.append(
                {
                    "type": "extension_approved",
                    "date": day.isoformat(),
                    "days": 20,
                    "approver": "办公室主任",
                    "reason": "需要调取档案",
                }
            )
        finished = received < start + dt.timedelta(days=int(span * 0.85)) and rng.random() < 0.9
        if finished:
            finding = rng.choice(FINDINGS)
            for it in items:
                it["finding"] = finding
                it["reasons"] = "经检索，相关信息情况如下。"
            day = _wd(day, rng.randrange(5, 18))
            events.append({"type": "replied", "date": day.isoformat(), "outcome": finding})
            events.append(
                {
                    "type": "delivered",
                    "date": day.isoformat(),
                    "method": "邮寄",
                    "tracking": f"EMS{rng.randrange(10**9):09d}",
                }
            )
        yield {
            "format": "yishen-case/1",
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "number": f"{received.year}-{i + 1:06d}",
            "channel": channel,
            "received": received.isoformat(),
            "oral_filled_by": "窗口工作人员" if channel == "oral" else None,
            "applicant": {
                "kind": kind,
                "name": name,
                "id_type": "居民身份证" if kind == "natural_person" else "统一社会信用代码",
                "id_number": f"{rng.randrange(10**17, 10**18)}",
                "phone": f"13{rng.randrange(10**9):09d}",
                "address": f"某市{rng.choice(PLACES)}区{rng.randrange(1, 300)}号",
            },
            "items": items,
            "events": events,
            "tags": [rng.choice(["土地征收", "房屋拆迁", "社会保障", "财政预算", "环境保护"])],
        }
