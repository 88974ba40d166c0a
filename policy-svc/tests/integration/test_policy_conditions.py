"""policy-svc against the real FerretDB and Kafka: the members it learns from
``member.registered`` keep their language and titular; a family contract accepted with no
declared household gets identity's (PC-3); the special conditions come as a PDF in the
policyholder's language (PC-1, PC-4, PC-8) to the policyholder and staff only (AC-1);
the member's views list covers, insured persons, premium and documents."""

import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
from mylm_shared.events import MEMBER_REGISTERED, MemberRegisteredV1, new_event
from policy.adapters.repository import MEMBERS
from policy.bootstrap import create_app
from policy.domain.conditions import Language
from policy.settings import PolicySettings
from pypdf import PdfReader

from testkit.apps import serving
from testkit.kafka import publish_event
from testkit.platform import Endpoints, isolated
from testkit.polling import eventually
from testkit.tokens import TokenMint

pytestmark = pytest.mark.integration

START = "2027-01-01"
# On the start date: a titular with dependants of 12, 16 and 20, like identity's demo data.
TITULAR_BORN = date(1985, 7, 30)
DEPENDANTS = {"Lotte": date(2014, 6, 1), "Wout": date(2010, 6, 1), "Emma": date(2006, 6, 1)}


@dataclass
class World:
    client: httpx.AsyncClient
    tokens: TokenMint
    db: Any
    titular: str
    dependants: dict[str, str]  # first name -> member id
    stranger: str


def registered(
    member_id: str, first_name: str, born: date, language: Language, titular: str | None = None
) -> Any:
    payload = MemberRegisteredV1(
        member_id=member_id,
        email=None,
        language=language,
        mutuality="LM Plus",
        first_name=first_name,
        last_name="Peeters",
        birth_date=born,
        titular_member_id=titular,
    )
    return new_event(MEMBER_REGISTERED, payload, source="/tests", subject=member_id)


@pytest.fixture
async def world(platform: Endpoints, run_id: str) -> AsyncIterator[World]:
    tokens = TokenMint()
    app = create_app(PolicySettings(**isolated(platform, run_id, "policy")))  # type: ignore[arg-type]
    titular, stranger = str(uuid.uuid4()), str(uuid.uuid4())
    dependants = {name: str(uuid.uuid4()) for name in DEPENDANTS}
    events = [
        registered(titular, "Jan", TITULAR_BORN, "nl"),
        registered(stranger, "Marie", date(1990, 2, 27), "fr"),
        *(
            registered(dependants[name], name, born, "nl", titular)
            for name, born in DEPENDANTS.items()
        ),
    ]
    async with serving(app, tokens) as client:
        for event in events:
            await publish_event(
                platform.kafka_bootstrap_servers, f"{run_id}.member.registered", event
            )
        db = app.state.runtime.db

        async def all_known() -> bool:
            count: int = await db[MEMBERS].count_documents({})
            return count == len(events)

        await eventually(all_known, what="policy-svc learns the members from member.registered")
        yield World(client, tokens, db, titular, dependants, stranger)


def pdf_text(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


async def propose_and_accept(world: World, member_id: str, **overrides: Any) -> str:
    body = {
        "policyholder_member_id": member_id,
        "formula": "family",
        "start_date": START,
        "threshold_pct": 5,
        "e_protection": True,
        **overrides,
    }
    proposed = await world.client.post("/v1/policies", json=body, headers=world.tokens.staff())
    assert proposed.status_code == 201, proposed.text
    policy_id: str = proposed.json()["policy_id"]
    accepted = await world.client.post(
        f"/v1/policies/{policy_id}/accept", headers=world.tokens.member(member_id)
    )
    assert accepted.status_code == 200, accepted.text
    return policy_id


async def test_pc3_accepting_a_family_contract_seeds_the_household_from_identity(
    world: World,
) -> None:
    policy_id = await propose_and_accept(world, world.titular)
    insured = await world.client.get(
        f"/v1/policies/{policy_id}/insured",
        params={"date": START},
        headers=world.tokens.member(world.titular),
    )
    assert insured.status_code == 200, insured.text
    persons = [
        (p["person_id"], p["insured"], p["rule"], p["reason"]) for p in insured.json()["persons"]
    ]
    living_in = "child living with the policyholder"
    assert persons == [
        (world.titular, True, "PC-3", "policyholder"),
        (world.dependants["Emma"], True, "PC-3", living_in),  # 20: living in, any status
        (world.dependants["Wout"], True, "PC-3", living_in),
        (world.dependants["Lotte"], True, "PC-3", living_in),
    ]


async def test_pc1_pc4_pc8_the_policyholder_gets_the_special_conditions_in_their_language(
    world: World,
) -> None:
    policy_id = await propose_and_accept(world, world.titular)
    url = f"/v1/policies/{policy_id}/conditions"
    own = await world.client.get(url, headers=world.tokens.member(world.titular))
    text = pdf_text(own)
    assert own.headers["content-language"] == "nl"
    assert policy_id in text
    assert "Bijzondere voorwaarden" in text
    assert 'Rechtsbijstand "e-protection"' in text  # PC-1: chosen
    assert (
        "De dekking neemt aanvang op deze datum, voor zover de eerste premie werd betaald" in text
    )
    assert "Totaal € 222,87" in text  # PC-8: 204.00 net + 18.87 taxes
    assert "Emma Peeters kind dat bij de verzekeringnemer inwoont (PC-3)" in text
    assert "Ondertekend in My LM op" in text
    assert (
        own.content
        == (await world.client.get(url, headers=world.tokens.member(world.titular))).content
    )

    french = pdf_text(
        await world.client.get(url, params={"language": "fr"}, headers=world.tokens.staff())
    )
    assert "Conditions particulières" in french and "Total 222,87 €" in french

    stranger = await world.client.get(url, headers=world.tokens.member(world.stranger))
    assert stranger.status_code == 404
    dependant = await world.client.get(url, headers=world.tokens.member(world.dependants["Emma"]))
    assert dependant.status_code == 404  # insured, not the policyholder: AC-1
    bad = await world.client.get(url, params={"language": "en"}, headers=world.tokens.staff())
    assert bad.status_code == 422


async def test_a_proposal_shows_proposal_conditions_without_e_protection_if_not_chosen(
    world: World,
) -> None:
    body = {
        "policyholder_member_id": world.stranger,
        "formula": "single",
        "start_date": START,
        "threshold_pct": 10,
        "e_protection": False,
    }
    proposed = await world.client.post("/v1/policies", json=body, headers=world.tokens.staff())
    policy_id = proposed.json()["policy_id"]
    text = pdf_text(
        await world.client.get(
            f"/v1/policies/{policy_id}/conditions", headers=world.tokens.member(world.stranger)
        )
    )
    assert "Proposition de conditions particulières" in text  # her language: fr
    assert "pas encore signée" in text
    assert "e-protection" not in text


async def test_member_views_show_covers_insured_premium_and_documents(world: World) -> None:
    policy_id = await propose_and_accept(world, world.titular)
    headers = world.tokens.member(world.titular)
    listed = await world.client.get(f"/v1/members/{world.titular}/policies", headers=headers)
    one = await world.client.get(f"/v1/policies/{policy_id}", headers=headers)
    assert listed.json()["items"] == [one.json()]
    body = one.json()
    assert body["covers"] == ["accident", "assistance", "e_protection"]
    assert body["premium"]["total"] == "222.87"
    # today is before the start date: the household as seeded for it
    assert body["insured"][0]["person_id"] == world.titular
    assert len(body["insured"]) == 4
    assert body["documents"] == [
        {
            "kind": "special_conditions",
            "href": f"/v1/policies/{policy_id}/conditions",
            "media_type": "application/pdf",
        }
    ]


async def test_a_member_stored_before_language_was_kept_gets_dutch(world: World) -> None:
    old = str(uuid.uuid4())
    await world.db[MEMBERS].insert_one(
        {"_id": old, "name": "An Claes", "birth_date": "1980-05-17", "as_of": "2026-01-01"}
    )
    policy_id = await propose_and_accept(world, old, formula="single", threshold_pct=10)
    conditions = await world.client.get(
        f"/v1/policies/{policy_id}/conditions", headers=world.tokens.member(old)
    )
    assert "Bijzondere voorwaarden" in pdf_text(conditions)
