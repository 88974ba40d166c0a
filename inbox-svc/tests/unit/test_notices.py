"""EI-6, EI-7 (issue 18 items 5 and 6): the new e-invoicing conditions and a maintenance
window in the member's inbox, once per notice and member, in their language (de reads
the French summary/reason)."""

from datetime import UTC, date, datetime

from mylm_shared.events import (
    MAINTENANCE_ANNOUNCED,
    MEMBER_REGISTERED,
    TERMS_CHANGED,
    CloudEvent,
    LocalizedTextV1,
    MaintenanceAnnouncedV1,
    TermsChangedV1,
    new_event,
)

from testkit.apps import member_registered
from testkit.fakes.inbox import InboxFakes

SUMMARY = LocalizedTextV1(nl="De zorgcode staat voortaan op de factuur.", fr="Le code figure.")


def terms_changed(member_id: str) -> CloudEvent:
    payload = TermsChangedV1(
        member_id=member_id,
        version="2027.1",
        effective_on=date(2027, 2, 1),
        published_on=date(2027, 1, 4),
        summary=SUMMARY,
    )
    return new_event(TERMS_CHANGED, payload, source="/tests", subject=member_id)


async def test_a_terms_change_is_filed_once_with_its_summary_in_the_members_language_ei_6() -> None:
    fakes = InboxFakes()
    service = fakes.use_cases().inbox
    member = member_registered(language="de")
    await service.on_member_registered(member, MEMBER_REGISTERED.parse(member))
    member_id = member.subject or ""
    for _ in range(2):  # billing re-ran a batch after a crash: a new delivery
        event = terms_changed(member_id)
        await service.on_terms_changed(event, TERMS_CHANGED.parse(event))
    [document] = fakes.inbox.documents.values()
    assert (document.kind, document.source_id, document.member_id) == (
        "terms_changed",
        "2027.1",
        member_id,
    )
    assert document.title == "Neue Bedingungen der elektronischen Rechnung ab 01/02/2027"
    assert document.body is not None and document.body.endswith(SUMMARY.fr)
    assert document.download is None


async def test_a_maintenance_window_is_filed_in_belgian_time_ei_7() -> None:
    fakes = InboxFakes()
    service = fakes.use_cases().inbox
    member = member_registered(language="nl")
    await service.on_member_registered(member, MEMBER_REGISTERED.parse(member))
    member_id = member.subject or ""
    payload = MaintenanceAnnouncedV1(
        member_id=member_id,
        window_id="w-1",
        starts_at=datetime(2027, 3, 6, 21, 0, tzinfo=UTC),
        ends_at=datetime(2027, 3, 6, 23, 0, tzinfo=UTC),
        reason=LocalizedTextV1(nl="Nieuwe versie.", fr="Nouvelle version."),
    )
    event = new_event(MAINTENANCE_ANNOUNCED, payload, source="/tests", subject=member_id)
    await service.on_maintenance_announced(event, MAINTENANCE_ANNOUNCED.parse(event))
    [document] = fakes.inbox.documents.values()
    assert document.kind == "maintenance_announced"
    assert document.title == "Onderhoud e-facturatie op 06/03/2027 van 22:00 tot 00:00"
    assert document.body is not None and "Nieuwe versie." in document.body
