"""CloudEvents 1.0 envelope (JSON structured mode) and the spec of one event type."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar
from uuid import uuid4

from pydantic import BaseModel, ConfigDict, Field

Payload = TypeVar("Payload", bound=BaseModel)


class CloudEvent(BaseModel):
    """The envelope of every event on the bus; ``data`` is validated per ``type``."""

    model_config = ConfigDict(extra="ignore")

    specversion: str = "1.0"
    id: str
    source: str
    type: str
    time: datetime
    subject: str | None = None
    datacontenttype: str = "application/json"
    data: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True)
class EventSpec(Generic[Payload]):
    """One event type: its topic, its CloudEvents type and its payload model."""

    topic: str
    event_type: str
    model: type[Payload]
    description: str = ""

    def parse(self, envelope: CloudEvent) -> Payload:
        return self.model.model_validate(envelope.data)


def dlq_topic(topic: str) -> str:
    return f"{topic}.dlq"


def new_event(
    spec: EventSpec[Payload], payload: Payload, *, source: str, subject: str
) -> CloudEvent:
    """A fresh envelope for ``payload``; ``subject`` is the member id (also the Kafka key)."""
    return CloudEvent(
        id=str(uuid4()),
        source=source,
        type=spec.event_type,
        time=datetime.now(UTC),
        subject=subject,
        data=payload.model_dump(mode="json"),
    )
