"""The cover check's API models (no servers): one schema per cover, field for field the
domain's facts, every field described in the OpenAPI, mapped to the domain in one place."""

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any, get_args

import pytest
from claims.bootstrap import create_app
from claims.domain import facts as domain
from claims.entrypoints.mapping import to_claim, to_contract
from claims.entrypoints.schema_cover_check import ClaimIn, CoverCheckIn
from claims.settings import ClaimsSettings
from pydantic import BaseModel, ValidationError

CLAIM_MODELS: tuple[type[BaseModel], ...] = get_args(get_args(ClaimIn)[0])
FACTS_MODELS: dict[str, type[BaseModel]] = {
    get_args(m.model_fields["cover"].annotation)[0]: m.model_fields["facts"].annotation  # type: ignore[misc]
    for m in CLAIM_MODELS
}
POLICY = {
    "formula": "family",
    "start_date": "2026-01-01",
    "end_date": None,
    "first_premium_paid": True,
    "threshold_pct": 5,
    "e_protection": True,
    "prior_claims": [{"cover": "payment_fraud", "event_date": "2025-02-01"}],
}


def body(cover: str, facts: dict[str, Any]) -> dict[str, Any]:
    claim = {"cover": cover, "event_date": "2026-03-02", "declared_on": "2026-03-03"}
    return {"policy": POLICY, "claim": {**claim, "facts": facts}}


def test_cl1_one_claim_schema_per_cover() -> None:
    assert sorted(FACTS_MODELS) == sorted(domain.COVERS)


@pytest.mark.parametrize("cover", domain.COVERS)
def test_cl1_each_covers_facts_mirror_the_domain_dataclass(cover: domain.Cover) -> None:
    fields = {f.name for f in dataclasses.fields(domain.FACTS_BY_COVER[cover])}
    assert set(FACTS_MODELS[cover].model_fields) == fields


def test_cl1_openapi_shows_each_covers_facts_with_every_field_described() -> None:
    document = create_app(ClaimsSettings(profile="test")).openapi()
    schemas = document["components"]["schemas"]
    choice = schemas["CoverCheckIn"]["properties"]["claim"]
    assert set(choice["discriminator"]["mapping"]) == set(domain.COVERS)
    for cover, ref in choice["discriminator"]["mapping"].items():
        claim = schemas[ref.rsplit("/", 1)[1]]
        facts_name = claim["properties"]["facts"]["$ref"].rsplit("/", 1)[1]
        assert facts_name == FACTS_MODELS[cover].__name__
        assert claim["additionalProperties"] is False
    described = [*(m.__name__ for m in FACTS_MODELS.values()), "ServiceRequest", "PolicyState"]
    for name in [*described, "PriorClaim", *(m.__name__ for m in CLAIM_MODELS)]:
        schema = schemas[name]
        undescribed = [p for p, s in schema["properties"].items() if not s.get("description")]
        assert not undescribed, f"{name}: {undescribed}"
    for name in described[:-2]:
        assert schemas[name]["additionalProperties"] is False


def test_cl1_goods_facts_map_to_the_domain_with_decimals_dates_and_sets() -> None:
    facts = {
        "principal_stake": "800.00",
        "price": "800.00",
        "defect": "not_delivered",
        "promised_delivery_on": "2026-03-01",
        "seller_country": "FR",
        "stages": ["expertise"],
        "exclusions": ["auction_site"],
    }
    parsed = CoverCheckIn.model_validate(body("e_merchant_goods", facts))
    claim = to_claim(parsed.claim)
    assert claim.facts == domain.EMerchantGoodsFacts(
        principal_stake=Decimal("800.00"),
        price=Decimal("800.00"),
        defect="not_delivered",
        promised_delivery_on=date(2026, 3, 1),
        seller_country="FR",
        stages=frozenset({"expertise"}),
        exclusions=frozenset({"auction_site"}),
    )
    contract = to_contract(parsed.policy)
    assert contract.prior_claims[0].event_date == date(2025, 2, 1)


def test_as2_assistance_requests_map_to_service_requests() -> None:
    facts = {"country": "BE", "requests": [{"service": "home_help", "quantity": "10"}]}
    claim = to_claim(CoverCheckIn.model_validate(body("assistance", facts)).claim)
    assert isinstance(claim.facts, domain.AssistanceFacts)
    assert claim.facts.requests == (domain.ServiceRequest("home_help", Decimal(10)),)


@pytest.mark.parametrize(
    ("facts", "location"),
    [
        pytest.param({"country": "XX"}, "country", id="PA-3-unknown-country"),
        pytest.param({"country": "be"}, "country", id="PA-3-lowercase-country"),
        pytest.param({"country": "BE", "claimed_amount": 12.5}, "claimed_amount", id="number"),
        pytest.param({"country": "BE", "claimed_amount": "1.234"}, "claimed_amount", id="cents"),
        pytest.param({"country": "BE", "disability_pct": "100.01"}, "disability_pct", id="pct"),
        pytest.param({"country": "BE", "colour": "red"}, "colour", id="unknown-fact"),
    ],
)
def test_cl1_invalid_facts_are_refused_by_name(facts: dict[str, Any], location: str) -> None:
    with pytest.raises(ValidationError) as refused:
        CoverCheckIn.model_validate(body("accident", facts))
    assert [e["loc"][-1] for e in refused.value.errors()] == [location]
