"""The application's style sheet: quiet colours, readable Chinese, cards that say how urgent they are."""

from __future__ import annotations

STYLE_SHEET = """
QLabel#pageTitle { font-size: 20px; font-weight: bold; }
QLabel#sectionTitle { font-size: 14px; font-weight: bold; color: #333; }
QLabel#hint { color: #5f6368; }
QLabel#error { color: #b3261e; }
QLabel#emptyList { color: #80868b; font-size: 14px; padding: 40px; }

QListWidget#nav {
    background: #27364a; color: #e8eaed; border: none; font-size: 15px; outline: 0;
}
QListWidget#nav::item { padding: 12px 18px; }
QListWidget#nav::item:selected { background: #3d5370; color: white; border-left: 4px solid #8ab4f8; }
QLabel#navTitle { background: #27364a; color: white; font-size: 15px; font-weight: bold; padding: 16px 14px 8px 14px; }
QLabel#navAgency { background: #27364a; color: #aab4c3; padding: 0 14px 12px 14px; }

QPushButton#card {
    background: #ffffff; border: 1px solid #dadce0; border-radius: 8px; text-align: center;
}
QPushButton#card:hover { border-color: #8ab4f8; }
QPushButton#card:checked { border: 2px solid #1a73e8; background: #f1f6fe; }
QLabel#cardCount { font-size: 26px; font-weight: bold; color: #3c4043; }
QLabel#cardName { font-size: 13px; color: #3c4043; }
QPushButton#card[accent="overdue"][empty="false"] QLabel#cardCount { color: #b3261e; }
QPushButton#card[accent="urgent"][empty="false"] QLabel#cardCount { color: #b25e00; }
QPushButton#card[accent="soon"][empty="false"] QLabel#cardCount { color: #8a6d00; }
QPushButton#card[accent="waiting"][empty="false"] QLabel#cardCount { color: #1967d2; }
QPushButton#card[accent="review"][empty="false"] QLabel#cardCount { color: #5b3eb8; }
QPushButton#card[empty="true"] QLabel#cardCount { color: #9aa0a6; }

QTableView { gridline-color: #e8eaed; selection-background-color: #d2e3fc; selection-color: black; }
QHeaderView::section { background: #f1f3f4; border: none; border-bottom: 1px solid #dadce0; padding: 6px; }
QGroupBox { font-weight: bold; }
QStatusBar QLabel { color: #3c4043; padding: 0 8px; }
"""
