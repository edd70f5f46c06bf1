"""The letter model: print order, attachments, and the archive round trip."""

from __future__ import annotations

import json
from dataclasses import replace

from app.letters import LetterKind
from app.letters.model import attachment_lines, letter_from_dict, letter_to_dict
from tests.unit.letters.samples import full_case, make_letter, mixed_case


def test_lines_are_in_print_order() -> None:
    letter = make_letter(LetterKind.REPLY, mixed_case())
    lines = letter.lines()
    assert lines[:4] == [
        "某市自然资源和规划局",
        "某自然资规依公开〔2026〕12号",
        "政府信息公开申请答复书",
        "张三：",
    ]
    assert lines[-4:-1] == ["特此答复。", "某市自然资源和规划局", "2026年10月9日"]
    assert lines[-1].startswith("（联系单位：")


def test_attachment_lines_follow_gbt_9704() -> None:
    # GB/T 9704-2012 7.3.4: one attachment without a number; several numbered, aligned after "附件：".
    assert attachment_lines(("答复材料",)) == ["附件：答复材料"]
    assert attachment_lines(("甲", "乙")) == ["附件：1.甲", "2.乙"]
    letter = replace(make_letter(LetterKind.REPLY, mixed_case()), attachments=("甲", "乙"))
    lines = letter.lines()
    assert lines[lines.index("特此答复。") + 1 : lines.index("特此答复。") + 3] == ["附件：1.甲", "2.乙"]


def test_letters_survive_the_archive_round_trip() -> None:
    for kind, cid in [
        (LetterKind.REPLY, None),
        (LetterKind.FEE, None),
        (LetterKind.CONSULTATION_AGENCY, "c2"),
    ]:
        letter = make_letter(kind, full_case(), consultation_id=cid)
        data = json.loads(json.dumps(letter_to_dict(letter), ensure_ascii=False))
        assert letter_from_dict(data) == letter
