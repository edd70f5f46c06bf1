"""Render the sample 答复书, 补正告知书 and 登记回执 and their page images into this folder.

Run from the repository root: .venv/bin/python docs/letters/render_samples.py [--dpi 50]
Needs poppler's pdftoppm. The samples are the test cases of tests/unit/letters/samples.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.law.calendar import shipped_calendar  # noqa: E402
from app.letters import LetterKind, Templates, build_letter  # noqa: E402
from app.letters.pdf import render_pdf  # noqa: E402
from tests.unit.letters.samples import AGENCY, DOC_NUMBER, full_case, mixed_case  # noqa: E402

SAMPLES = [
    ("reply", LetterKind.REPLY, mixed_case, dt.date(2026, 10, 9)),
    ("correction", LetterKind.CORRECTION, full_case, dt.date(2026, 9, 18)),
    ("receipt", LetterKind.RECEIPT, mixed_case, dt.date(2026, 9, 16)),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dpi", default="50")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    for old in args.out.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        for name, kind, make_case, today in SAMPLES:
            letter = build_letter(
                kind,
                make_case(),
                AGENCY,
                shipped_calendar(),
                today,
                doc_number=DOC_NUMBER,
                templates=Templates.shipped(),
            )
            pdf = Path(tmp) / f"{name}.pdf"
            pdf.write_bytes(render_pdf(letter))
            subprocess.run(["pdftoppm", "-png", "-r", args.dpi, str(pdf), str(args.out / name)], check=True)
    for png in sorted(args.out.glob("*.png")):
        print(png.relative_to(ROOT), png.stat().st_size)


if __name__ == "__main__":
    main()
