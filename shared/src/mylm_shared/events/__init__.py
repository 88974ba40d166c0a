"""Event contracts: the CloudEvents envelope and the versioned payload models.

Topic = ``<entity>.<past-tense verb>``; key = member id; dead letters on ``<topic>.dlq``.
A consumer ignores unknown fields; a breaking change is a new ``type`` (``…v2``).
"""

# Everything the catalogue defines (specs, payload models, ALL_EVENTS), without a second
# list of names to keep in step: mypy re-exports what catalog.py defines (not what it
# imports), so `from mylm_shared.events import INVOICE_ISSUED` stays checked.
from mylm_shared.events.catalog import *  # noqa: F403
from mylm_shared.events.envelope import CloudEvent as CloudEvent
from mylm_shared.events.envelope import EventSpec as EventSpec
from mylm_shared.events.envelope import dlq_topic as dlq_topic
from mylm_shared.events.envelope import new_event as new_event
