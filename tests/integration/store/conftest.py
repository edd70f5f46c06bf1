"""Fixtures for the store tests: an in-memory keyring (the OS keyring is never touched), homes, cases."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.domain.codes import ApplicantKind, Channel, Delivery, Finding, Flag, Form, Opinion, Party
from app.domain.model import (
    Agent,
    Applicant,
    Case,
    ConsultationReplied,
    ConsultationSent,
    Delivered,
    Event,
    ExtensionApproved,
    Item,
    Note,
    ReceiptConfirmed,
    Replied,
    ResponsibleOrgan,
)
from app.store import Database, create_home
from tests.support.memorykeyring import MemoryKeyring, memory_keyring  # noqa: F401  (autouse fixture)

PASSPHRASE = "正确的口令 correct horse 'battery'"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def db(home: Path) -> Iterator[Database]:
    """A keyring-mode home, opened."""
    database = create_home(home, passphrase=None)
    try:
        yield database
    finally:
        database.close()


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def make_case(number: str = "2026-0001", *, case_id: str | None = None, **changes: Any) -> Case:
    """A case using every part of the model: agent, organ, extras at each level, events, notes."""
    received = dt.date(2026, 9, 16)
    events: tuple[Event, ...] = (
        ReceiptConfirmed(date=received, method="电话", by="王五"),
        ConsultationSent(date=dt.date(2026, 9, 18), id="c1", party=Party.THIRD_PARTY, name="某公司"),
        ConsultationReplied(
            date=dt.date(2026, 9, 25),
            id="c1",
            opinion=Opinion.OBJECT,
            reasons="商业秘密",
            extra={"附件": [1, 2]},
        ),
        ExtensionApproved(date=dt.date(2026, 10, 9), days=20, approver="局长", reason="需要协调"),
        Replied(date=dt.date(2026, 10, 30), outcome=Finding.PARTLY_DISCLOSED),
        Delivered(
            date=dt.date(2026, 10, 31), method="邮寄", tracking="EMS123", received=dt.date(2026, 11, 2)
        ),
    )
    base = Case(
        id=case_id or str(uuid.uuid5(uuid.NAMESPACE_URL, number)),
        number=number,
        channel=Channel.EMAIL,
        received=received,
        applicant=Applicant(
            kind=ApplicantKind.NATURAL_PERSON,
            name="张三",
            id_type="居民身份证",
            id_number="110101199001011234",
            phone="13800000000",
            email="zhang@example.cn",
            address="某市某区某路1号",
            agent=Agent(
                name="李律师", id_type="其他", phone="010-1", authorization="委托书", extra={"律所": "某所"}
            ),
            extra={"微信": "zs"},
        ),
        items=(
            Item(
                description="2025年某某村土地征收补偿安置方案",
                form=Form.PAPER,
                delivery=Delivery.POST,
                doc_number="某政发〔2025〕1号",
                finding=Finding.PARTLY_DISCLOSED,
                reasons="涉及第三方商业秘密",
                extra={"页数": 12},
            ),
            Item(
                description="征收土地公告",
                form=Form.ELECTRONIC,
                delivery=Delivery.EMAIL,
                finding=Finding.UNABLE_NOT_HELD,
                responsible_organ=ResponsibleOrgan(
                    name="某县自然资源局", contact="0000-1", extra={"地址": "某路"}
                ),
            ),
        ),
        events=events,
        arrived=dt.date(2026, 9, 15),
        assistance="代为填写",
        clerk="王五",
        tags=("土地征收", "重点"),
        flags=(Flag.DIFFICULT,),
        notes=(Note(date=dt.date(2026, 9, 17), by="王五", text="已电话联系", extra={"时长": "5分钟"}),),
        extra={"来源": {"系统": "旧台账", "行": 42}, "null": None},
    )
    return dataclasses.replace(base, **changes)
