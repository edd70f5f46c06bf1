"""Use cases on the agency's settings: the profile (interfaces.md §2)."""

from __future__ import annotations

from typing import Any, Protocol

from app.domain.model import Agency

AGENCY_KEY = "agency"


class SettingsRepository(Protocol):
    def get(self, key: str) -> Any: ...

    def put(self, key: str, value: Any) -> None: ...


class UnitOfWork(Protocol):
    settings: SettingsRepository

    def commit(self) -> None: ...


def save_agency(uow: UnitOfWork, agency: Agency) -> None:
    uow.settings.put(AGENCY_KEY, agency.to_dict())
    uow.commit()


def load_agency(uow: UnitOfWork) -> Agency | None:
    from app.law.agency import agency_from_dict

    data = uow.settings.get(AGENCY_KEY)
    return agency_from_dict(data) if data else None
