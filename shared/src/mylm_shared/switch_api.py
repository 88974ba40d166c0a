"""The HTTP shapes of a member's switch (``mylm_shared.kernel.switches``): the body of a
PUT (``{"enabled"}``) and the answer of GET and PUT (``{"enabled", "since",
"changed_by"}``). Billing's e-invoicing (EI-2, EI-3) and inbox's inbox switch (IN-3)
subclass them with their own description of ``enabled``; who may call is
``mylm_shared.auth.DossierPrincipal``, who switched ``mylm_shared.auth.actor_of``."""

from datetime import datetime
from typing import ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field

from mylm_shared.inputs import InputModel
from mylm_shared.kernel.switches import SwitchState


class SwitchIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool


class SwitchOut(BaseModel):
    """``DEFAULT``: the state of a member without any record (each service's rule)."""

    DEFAULT: ClassVar[bool] = False

    enabled: bool
    since: datetime | None = Field(
        default=None, description="When the state in force began (null: never switched)."
    )
    changed_by: str | None = Field(
        default=None,
        description="Who made that switch: `member`, `titular:<member id>`, `staff:<id>` "
        "or `system` (the service itself, e.g. on an account's creation or end).",
        examples=["member", "system"],
    )

    @classmethod
    def of(cls, state: SwitchState | None) -> Self:
        """The state in force; ``DEFAULT`` for a member without any record."""
        last = state.last if state is not None else None
        if last is None:
            return cls(enabled=cls.DEFAULT)
        return cls(enabled=last.enabled, since=last.at, changed_by=last.actor.changed_by)
