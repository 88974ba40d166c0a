"""A session: the refresh tokens rotated from one login (a *family*, LF-4/LF-5)."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Family:
    """One session: the refresh tokens rotated from one login."""

    family_id: str
    account_id: str
    started_at: datetime
