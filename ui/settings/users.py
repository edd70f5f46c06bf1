"""Settings → 用户与角色: who works in this data folder and in which role (经办人, 审核人, 管理员)."""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import YishenError
from app.domain.users import MAX_LOGIN, MAX_NAME, ROLE_LABELS, ROLES, User, same_login
from app.messages import describe_at_field
from app.services import users as service
from ui.session import Session

COLUMNS = ("登录名", "姓名", "角色", "状态")
FIELD_NAMES = {"login": "登录名", "name": "姓名", "role": "角色"}

ROLES_NOTE = (
    "经办人登记、办理案件并拟写文书；审核人和管理员可以审核文书（审核通过或退回修改）；管理员还可以管理用户。"
    "本数据文件夹有两名以上在用用户时，拟稿人不能审核通过自己拟稿的文书。"
    "登录名是本机的系统登录名，操作日志按登录名记录；用户只能停用，不能删除。"
)


def say_user_error(exc: YishenError) -> str:
    """``describe(exc)`` with the field named as on screen (登录名, 姓名, 角色) instead of its code."""
    return describe_at_field(exc, FIELD_NAMES)


def _plain(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


def _role_combo() -> QComboBox:
    combo = QComboBox()
    for role in ROLES:
        combo.addItem(ROLE_LABELS[role], role)
    return combo


class UsersPanel(QWidget):
    """The table of users; an administrator adds users, changes a role or a 姓名, 停用/启用.

    Everyone else sees the table read-only with a note saying why.

    Signals:
        users_changed: a user was added or changed (the current user's role may be another now).
    """

    users_changed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.users: list[User] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 6)
        layout.addWidget(_plain(ROLES_NOTE, "hint"))
        self.current_label = _plain()
        layout.addWidget(self.current_label)
        self.readonly_note = _plain(name="warning")
        self.readonly_note.setStyleSheet(
            "color: #7a4100; background: #fff4e5; border: 1px solid #f6c77d; border-radius: 4px; padding: 6px 8px;"
        )
        layout.addWidget(self.readonly_note)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, width in enumerate((180, 180, 110)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        layout.addWidget(self.table, 1)

        # The selected user: 姓名, role, 停用/启用.
        self.edit_box = QGroupBox("所选用户")
        edit_row = QHBoxLayout(self.edit_box)
        edit_row.addWidget(QLabel("姓名："))
        self.edit_name = QLineEdit()
        self.edit_name.setMaxLength(MAX_NAME)
        edit_row.addWidget(self.edit_name, 1)
        edit_row.addWidget(QLabel("角色："))
        self.edit_role = _role_combo()
        edit_row.addWidget(self.edit_role)
        self.save_button = QPushButton("保存修改")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        edit_row.addWidget(self.save_button)
        self.toggle_button = QPushButton("停用")
        self.toggle_button.clicked.connect(self._on_toggle_button_clicked)
        edit_row.addWidget(self.toggle_button)
        layout.addWidget(self.edit_box)

        # A new user.
        self.add_box = QGroupBox("添加用户")
        add_form = QFormLayout(self.add_box)
        self.login_edit = QLineEdit()
        self.login_edit.setMaxLength(MAX_LOGIN)
        self.login_edit.setPlaceholderText("该同事登录本机时使用的系统登录名，如 lihua")
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(MAX_NAME)
        self.name_edit.setPlaceholderText("如：李华")
        self.role_combo = _role_combo()
        add_row = QHBoxLayout()
        add_row.addWidget(self.role_combo)
        add_row.addStretch(1)
        self.add_button = QPushButton("添加")
        self.add_button.setMinimumWidth(96)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        add_row.addWidget(self.add_button)
        add_form.addRow("登录名：", self.login_edit)
        add_form.addRow("姓名：", self.name_edit)
        add_form.addRow("角色：", add_row)
        layout.addWidget(self.add_box)

        self.message_label = _plain()
        layout.addWidget(self.message_label)

    # ------------------------------------------------------------------ showing

    def load(self) -> None:
        """Read the users and the current user again and show them."""
        with self.session.read() as uow:
            self.users = service.list_users(uow)
            self.session.user = service.get_user(uow, self.session.actor)
        self._fill()

    @property
    def editable(self) -> bool:
        return self.session.is_admin

    def _fill(self) -> None:
        selected = self.selected_login()
        self.table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            state = "在用" if user.active else "已停用"
            if same_login(user.login, self.session.actor):
                state += "（当前用户）"
            values = (user.login, user.name, user.role_label, state)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if not user.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
        self.current_label.setText(f"当前用户：{self.session.describe_user()}")
        editable = self.editable
        self.add_box.setEnabled(editable)
        if editable:
            self.readonly_note.hide()
        else:
            self.readonly_note.setText(self._readonly_reason())
            self.readonly_note.show()
        if selected is not None:
            self.select(selected)
        self._on_table_selection_changed()

    def _readonly_reason(self) -> str:
        user = self.session.user
        if user is None:
            return (
                f"您的登录名“{self.session.actor}”不是本数据文件夹的用户，只能查看。"
                "请管理员添加您，或以管理员的登录名登录本机。"
            )
        if not user.active:
            return "您的用户已停用，只能查看。如需继续使用，请管理员启用。"
        return f"只有管理员可以添加用户、更改角色或停用用户；您的角色是{user.role_label}，只能查看。"

    def selected_login(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.users):
            return None
        return self.users[rows[0].row()].login

    def select(self, login: str) -> bool:
        for row, user in enumerate(self.users):
            if same_login(user.login, login):
                self.table.selectRow(row)
                return True
        return False

    def row_values(self, row: int) -> list[str]:
        items = (self.table.item(row, c) for c in range(self.table.columnCount()))
        return [item.text() if item is not None else "" for item in items]

    def _selected_user(self) -> User | None:
        login = self.selected_login()
        return next((u for u in self.users if u.login == login), None)

    def _on_table_selection_changed(self) -> None:
        self.message_label.clear()  # it spoke of the user selected before
        user = self._selected_user()
        enabled = self.editable and user is not None
        self.edit_box.setEnabled(enabled)
        if user is None:
            self.edit_name.clear()
            self.toggle_button.setText("停用")
            return
        self.edit_name.setText(user.name)
        self.edit_role.setCurrentIndex(self.edit_role.findData(user.role))
        self.toggle_button.setText("停用" if user.active else "启用")

    # ------------------------------------------------------------------ changes

    def add_user(self) -> bool:
        try:
            with self.session.write() as uow:
                user = service.add_user(
                    uow,
                    self.session.actor,
                    login=self.login_edit.text(),
                    name=self.name_edit.text(),
                    role=str(self.role_combo.currentData()),
                )
        except YishenError as exc:
            self._say(say_user_error(exc), error=True)
            return False
        self.login_edit.clear()
        self.name_edit.clear()
        self._changed(f"已添加用户{user.name}（{user.login}），角色：{user.role_label}。", select=user.login)
        return True

    def save_selected(self) -> bool:
        """The selected user's new role and 姓名 (the role first: it is the step that may be refused)."""
        user = self._selected_user()
        if user is None:
            return False
        role = str(self.edit_role.currentData())
        try:
            with self.session.write() as uow:
                if role != user.role:
                    service.change_role(uow, self.session.actor, user.login, role)
                if self.edit_name.text().strip() != user.name:
                    service.rename_user(uow, self.session.actor, user.login, self.edit_name.text())
        except YishenError as exc:
            self.load()  # show what is stored (the role may have been saved and the 姓名 refused)
            self._say(say_user_error(exc), error=True)
            return False
        self._changed(f"已保存{user.login}的修改。", select=user.login)
        return True

    def toggle_selected(self) -> bool:
        """停用 an active user, 启用 a deactivated one."""
        user = self._selected_user()
        if user is None:
            return False
        try:
            with self.session.write() as uow:
                changed = service.set_active(uow, self.session.actor, user.login, not user.active)
        except YishenError as exc:
            self._say(say_user_error(exc), error=True)
            return False
        done = "已启用" if changed.active else "已停用（审核记录和操作日志中仍保留其姓名）"
        self._changed(f"{changed.name}（{changed.login}）{done}。", select=user.login)
        return True

    def _changed(self, text: str, *, select: str) -> None:
        self.load()
        self.select(select)
        self._say(text)
        self.users_changed.emit()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setObjectName("error" if error else "hint")
        self.message_label.setStyleSheet("")  # re-read the object-name rule
        self.message_label.setText(text)

    def _on_add_button_clicked(self) -> None:
        self.add_user()

    def _on_save_button_clicked(self) -> None:
        self.save_selected()

    def _on_toggle_button_clicked(self) -> None:
        self.toggle_selected()
