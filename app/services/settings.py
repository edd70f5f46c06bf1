"""Use cases on the agency's settings: the profile (interfaces.md §2)."""

from __future__ import annotations

from app.domain.model import Agency
from app.services.ports import UnitOfWork

AGENCY_KEY = "agency"


def save_agency(uow: UnitOfWork, agency: Agency) -> None:
    uow.settings.put(AGENCY_KEY, agency.to_dict())
    uow.commit()


def load_agency(uow: UnitOfWork) -> Agency | None:
    from app.law.agency import agency_from_dict

    data = uow.settings.get(AGENCY_KEY)
    return agency_from_dict(data) if data else None
