"""待办 (the worklist) on 100 000 encrypted cases: from a cold start to its counts and to its lists.

Usage: python benchmarks/worklist_bench.py [N] [--rounds R]   (default 100 000 cases, 3 rounds)

Uses the data folder ``benchmarks/ui_bench.py`` generates and caches under the temporary folder (its
list index built for its TODAY). Prints, best of the rounds, each in a fresh process:

* the desktop application started as ``ui_bench`` starts it (``ui.app.open_main_window``): seconds from
  starting the process to 待办's cards showing the counts, and to its lists being there; and the longest
  the GUI thread did not answer a 5 ms timer meanwhile;
* the service alone, data folder opened: ``worklist_counts`` and ``compute_worklist`` over the index
  (current for the day), against ``compute_worklist(use_index=False)`` (every open case, the way 待办
  computed it before); and on the next working day, the index a day behind, ``refresh_case_list``
  then the worklist over it (run on a copy of the data folder, which it changes).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.ui_bench import TODAY, _keyring_env, _time_child, _use_file_keyring, ensure_database  # noqa: E402

NEXT_DAY = TODAY + dt.timedelta(days=1)


def _start_app(cache: Path) -> None:
    """Child: the desktop application; "counts" when the cards show numbers, "lists" when 待办 is done."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.services.worklist import Group
    from ui.app import open_main_window, setup_application

    app = QApplication(sys.argv[:1])
    setup_application(app)
    window = open_main_window(cache / "home", lambda: TODAY)
    ticks: list[float] = []
    said: list[str] = []

    def poll() -> None:
        ticks.append(time.perf_counter())
        view = window.today_view if window.has_session() else None
        if view is not None and not said and view.cards[Group.OVERDUE].count_label.text() != "…":
            said.append("counts")
            print("counts", flush=True)
        if view is not None and view.worklist is not None:
            if not said:
                print("counts", flush=True)
            stall = max((b - a for a, b in itertools.pairwise(ticks)), default=0.0)
            print("lists", flush=True)
            print(f"stall {stall:.4f}", flush=True)
            window.close()
            app.quit()
        else:
            QTimer.singleShot(5, poll)

    QTimer.singleShot(5, poll)
    app.exec()


def _service(cache: Path, mode: str) -> None:
    """Child: open the data folder and time one way to the worklist; prints "name seconds" lines."""
    _use_file_keyring(cache)
    from app.services.caselist import refresh_case_list
    from app.services.worklist import compute_worklist, worklist_counts
    from ui.session import Session

    t0 = time.perf_counter()
    session = Session.open(cache / "home")
    t1 = time.perf_counter()
    print(f"open {t1 - t0:.4f}")
    try:
        if mode == "index":
            with session.read() as uow:
                counts = worklist_counts(uow, TODAY)
            t2 = time.perf_counter()
            assert counts is not None, "the index is not current for TODAY"
            with session.read() as uow:
                work = compute_worklist(uow, TODAY)
            t3 = time.perf_counter()
            print(f"counts {t2 - t1:.4f}")
            print(f"worklist {t3 - t2:.4f}")
        elif mode == "full":
            with session.read() as uow:
                work = compute_worklist(uow, TODAY, use_index=False)
            print(f"worklist {time.perf_counter() - t1:.4f}")
        else:  # next day: the index is a day behind
            with session.write() as uow:
                refresh_case_list(uow, NEXT_DAY)
            t2 = time.perf_counter()
            with session.read() as uow:
                counts = worklist_counts(uow, NEXT_DAY)
            t3 = time.perf_counter()
            with session.read() as uow:
                work = compute_worklist(uow, NEXT_DAY)
            t4 = time.perf_counter()
            print(f"refresh {t2 - t1:.4f}")
            print(f"counts {t3 - t2:.4f}")
            print(f"worklist {t4 - t3:.4f}")
        print(f"open_cases {work.open_cases}")
    finally:
        session.close()


def _figures(args: list[str], env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return {w[0]: float(w[1]) for w in (line.split() for line in out.splitlines()) if len(w) == 2}


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    opts = parser.parse_args()
    n, rounds = opts.n, opts.rounds
    cache = ensure_database(n)
    env = dict(os.environ, **_keyring_env(cache))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    me = [sys.executable, __file__]

    app = [_time_child([*me, "--start", str(cache)], env, ("counts", "lists")) for _ in range(rounds)]
    print(
        f"启动到待办显示各组件数：{min(t[0] for t, _ in app) * 1000:.0f} ms；"
        f"到各组列表：{min(t[1] for t, _ in app) * 1000:.0f} ms；"
        f"其间界面最长停顿 {max(f['stall'] for _, f in app) * 1000:.0f} ms"
    )
    index = [_figures([*me, "--service", str(cache), "index"], env) for _ in range(rounds)]
    full = [_figures([*me, "--service", str(cache), "full"], env) for _ in range(rounds)]
    print(
        f"服务（索引为今日最新，{int(index[0]['open_cases'])} 件办理中）："
        f"读件数 {min(f['counts'] for f in index) * 1000:.0f} ms，"
        f"经索引算待办 {min(f['worklist'] for f in index) * 1000:.0f} ms；"
        f"逐件计算全部办理中案件 {min(f['worklist'] for f in full) * 1000:.0f} ms"
    )
    nxt: list[dict[str, float]] = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(prefix="worklist-bench-") as tmp:
            copy = Path(tmp)
            shutil.copytree(cache / "home", copy / "home", ignore=shutil.ignore_patterns("backups"))
            shutil.copy(cache / "keyring.json", copy / "keyring.json")
            nxt.append(
                _figures([*me, "--service", str(copy), "next"], dict(os.environ, **_keyring_env(copy)))
            )
    print(
        f"次日（索引落后一天）：更新索引 {min(f['refresh'] for f in nxt) * 1000:.0f} ms，"
        f"读件数 {min(f['counts'] for f in nxt) * 1000:.0f} ms，"
        f"经索引算待办 {min(f['worklist'] for f in nxt) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--start":
        _start_app(Path(sys.argv[2]))
    elif len(sys.argv) > 3 and sys.argv[1] == "--service":
        _service(Path(sys.argv[2]), sys.argv[3])
    else:
        main()
