"""An agency's own template folder: its files replace the shipped ones, checked as strictly."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.codes import Finding
from app.domain.errors import InputError
from app.letters import LetterKind, Templates
from app.letters.templates import SHIPPED_FOLDER
from tests.unit.letters.samples import case_for, make_letter


def test_an_agency_file_replaces_the_shipped_one(tmp_path: Path) -> None:
    shipped = (SHIPPED_FOLDER / "reply.txt").read_text("utf-8")
    (tmp_path / "reply.txt").write_text(shipped.replace("现答复如下：", "经研究，本机关答复如下："), "utf-8")
    (tmp_path / "notes.md").write_text("not a template", "utf-8")
    templates = Templates(tmp_path)
    assert templates.overridden == ("reply.txt",)
    letter = make_letter(LetterKind.REPLY, case_for(Finding.DISCLOSED), templates=templates)
    assert "经研究，本机关答复如下：" in letter.plain_text()
    # The remedy clause is not in any template and cannot be edited away.
    assert letter.remedy is not None and letter.remedy.text.startswith("如对本答复不服")


def test_an_empty_folder_is_the_shipped_wording(tmp_path: Path) -> None:
    assert Templates(tmp_path).overridden == ()
    assert Templates(SHIPPED_FOLDER).overridden == ()


def test_errors_name_the_agency_file(tmp_path: Path) -> None:
    shipped = (SHIPPED_FOLDER / "correction.txt").read_text("utf-8")
    path = tmp_path / "correction.txt"
    path.write_text(shipped.replace("请您于{period_end}前（含当日）", "请您尽快"), "utf-8")
    with pytest.raises(InputError) as excinfo:
        Templates(tmp_path)
    assert excinfo.value.field == f"{path} [period]"
    assert excinfo.value.params == {"reason": "value_required", "value": "period_end"}


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    (tmp_path / "receipt.txt").write_bytes("[title]\n登记回执\n".encode("gb18030"))
    with pytest.raises(InputError) as excinfo:
        Templates(tmp_path)
    assert excinfo.value.kind == "bad_encoding"


def test_a_bom_is_accepted(tmp_path: Path) -> None:
    # Windows Notepad may save UTF-8 with a byte order mark.
    shipped = (SHIPPED_FOLDER / "common.txt").read_text("utf-8")
    (tmp_path / "common.txt").write_text("\ufeff" + shipped, "utf-8")
    assert Templates(tmp_path).overridden == ("common.txt",)
