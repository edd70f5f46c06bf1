"""Imports a generated case file into the encrypted store and into plaintext SQLite, in the same run.

Usage: python benchmarks/import_bench.py [N] [--repeat K]   (default 100 000 cases, one round)
Prints both times, cases per second and the ratio encrypted / plaintext (issue target: ≤ 1.3× and
≥ 5 000 cases/s). Both runs go through the same code: file reading, validation, numbering, the
unit of work with its audit and outbox rows; only the SQLCipher key differs. With ``--repeat`` the
rounds alternate plaintext and encrypted imports and a summary gives the best and the median round.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.interchange import read_file
from app.services.cases import import_cases
from app.store.database import Database
from app.store.engine import RawKey
from benchmarks.casegen import generate_cases


def _import(db: Database, path: Path) -> tuple[float, float, int]:
    """(seconds reading and validating the file, seconds writing it in one unit of work, cases)."""
    t0 = time.perf_counter()
    lines = read_file(path)
    t1 = time.perf_counter()
    with db.unit_of_work("bench") as uow:
        report = import_cases(uow, lines, skip_invalid=False, source=path.name, today=dt.date(2026, 11, 23))
    t2 = time.perf_counter()
    assert report.ok, report.errors[:3]
    return t1 - t0, t2 - t1, report.imported


def _round(tmp: Path, src: Path, n: int, index: int) -> tuple[float, float, float, float]:
    """One plaintext and one encrypted import: (plain read, plain write, encrypted read, encrypted write)."""
    plain = Database.create_plaintext(tmp / f"plain{index}.db")
    try:
        p_parse, p_store, count = _import(plain, src)
    finally:
        plain.close()
    encrypted = Database.create(tmp / f"enc{index}.db", RawKey("ab" * 32))
    try:
        e_parse, e_store, count_enc = _import(encrypted, src)
    finally:
        encrypted.close()
    assert count == count_enc == n
    for label, parse, store in (("明文 SQLite", p_parse, p_store), ("加密 SQLCipher", e_parse, e_store)):
        total = parse + store
        print(
            f"{label:<14} 合计 {total:6.2f} s {n / total:6.0f} 件/s"
            f"（读取校验 {parse:5.2f} s；写入 {store:5.2f} s，{n / store:6.0f} 件/s）"
        )
    p_total, e_total = p_parse + p_store, e_parse + e_store
    print(f"比值 加密/明文：合计 {e_total / p_total:.2f}×，写入 {e_store / p_store:.2f}×（目标 ≤ 1.3×）")
    print(f"加密导入速度：合计 {n / e_total:.0f} 件/s，写入 {n / e_store:.0f} 件/s（目标 ≥ 5000 件/s）")
    return p_parse, p_store, e_parse, e_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=100_000, help="cases to generate (100 000)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of both imports (1)")
    args = parser.parse_args()
    n = args.count
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        src = tmp / "cases.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for case in generate_cases(n):
                fh.write(json.dumps(case, ensure_ascii=False) + "\n")
        print(f"生成案件文件：{n} 件，{src.stat().st_size / 1e6:.1f} MB")

        rounds = []
        for index in range(args.repeat):
            if args.repeat > 1:
                print(f"—— 第 {index + 1} 轮 ——")
            rounds.append(_round(tmp, src, n, index))
            for name in (f"plain{index}.db", f"enc{index}.db"):
                for path in tmp.glob(name + "*"):
                    path.unlink()
        if args.repeat > 1:
            totals = sorted(e_parse + e_store for _, _, e_parse, e_store in rounds)
            ratios = sorted(
                (e_parse + e_store) / (p_parse + p_store) for p_parse, p_store, e_parse, e_store in rounds
            )
            print(
                f"{args.repeat} 轮加密导入：最佳 {n / totals[0]:.0f} 件/s，中位 {n / statistics.median(totals):.0f} 件/s；"
                f"比值 加密/明文 中位 {statistics.median(ratios):.2f}×，最大 {ratios[-1]:.2f}×"
            )


if __name__ == "__main__":
    main()
