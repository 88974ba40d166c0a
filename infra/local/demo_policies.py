"""Demo policies for `make run` (dev profile), made through the services' own APIs so
every fact behind them is real (issue 8's demo data):

* demo.titular: a family policy with e-protection, start 2026-01-01, threshold 5 %,
  accepted, its first premium invoiced by billing and paid → active (PC-4);
* demo.other: a single policy with e-protection, start 2026-01-01 (past LA-2's month of
  waiting), accepted, its first premium paid → active: Marie declares an e-merchant
  claim (LA-8) on it, in French, by hand (issue 20);
* demo.other: a proposal to accept in the portal (issue 20 item 2): the family formula
  with e-protection from 2027-01-01 — accepting it asks its first premium (an open
  invoice); it starts after her single contract's claims, so it never takes their place.

Idempotent, so every `make run` may call it: proposals and the payment carry
Idempotency-Keys, accepting an accepted proposal answers 409 and is left at that.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from identity.demo import DEMO_PASSWORD, demo_id

T = TypeVar("T")

TITULAR = demo_id("member/titular")
OTHER = demo_id("member/other")
DEMO_IBAN = "BE71096123456769"  # a well-formed Belgian IBAN (the example of the API docs)


@dataclass(frozen=True)
class Urls:
    identity: str = "http://127.0.0.1:8001"
    billing: str = "http://127.0.0.1:8002"
    policy: str = "http://127.0.0.1:8004"


def _eventually(probe: Callable[[], T | None], what: str, within: float) -> T:
    """Services learn members from the bus a moment after start: poll with a deadline."""
    deadline = time.monotonic() + within
    while True:
        found = probe()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise TimeoutError(f"demo policies: {what} not there after {within:.0f} s")
        time.sleep(0.5)


class _Seeder:
    def __init__(self, urls: Urls, within: float) -> None:
        self.urls = urls
        self.within = within
        self.http = httpx.Client(timeout=30)
        self.staff = self._bearer("demo.staff")

    def _bearer(self, username: str) -> dict[str, str]:
        response = self.http.post(
            f"{self.urls.identity}/v1/sessions",
            json={"username": username, "password": DEMO_PASSWORD},
        )
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def policy(
        self,
        holder: str,
        username: str,
        key: str,
        proposal: dict[str, Any],
        *,
        accept: bool = True,
    ) -> str:
        """Proposed by staff (once per key), accepted by the policyholder (``accept``)."""
        body = {"policyholder_member_id": holder, **proposal}

        def propose() -> dict[str, Any] | None:
            response = self.http.post(
                f"{self.urls.policy}/v1/policies",
                json=body,
                headers={**self.staff, "Idempotency-Key": key},
            )
            if response.status_code == 422 and "Unknown member" in response.text:
                return None  # policy-svc has not heard of the member yet
            response.raise_for_status()
            found: dict[str, Any] = response.json()
            return found

        policy_id: str = _eventually(propose, f"policy-svc knowing {username}", self.within)[
            "policy_id"
        ]
        if not accept:  # left for the member to accept in the portal
            return policy_id
        accepted = self.http.post(
            f"{self.urls.policy}/v1/policies/{policy_id}/accept", headers=self._bearer(username)
        )
        if accepted.status_code != 409:  # 409: accepted on an earlier run
            accepted.raise_for_status()
        return policy_id

    def pay_first_premium(self, member_id: str, policy_id: str) -> None:
        def premium_invoice() -> dict[str, Any] | None:
            response = self.http.get(
                f"{self.urls.billing}/v1/members/{member_id}/invoices",
                params={"limit": 100},
                headers=self.staff,
            )
            response.raise_for_status()
            items: list[dict[str, Any]] = response.json()["items"]
            return next((i for i in items if i.get("policy_id") == policy_id), None)

        invoice = _eventually(premium_invoice, "the premium invoice", self.within)
        if invoice["status"] == "paid":
            return
        paid = self.http.post(
            f"{self.urls.billing}/v1/payments",
            json={
                "structured_reference": invoice["structured_reference"],
                "amount": invoice["outstanding"],
                "value_date": invoice["due_date"],
                "counterparty_iban": DEMO_IBAN,
            },
            headers={**self.staff, "Idempotency-Key": f"demo-bank-{policy_id}-1"},
        )
        paid.raise_for_status()

    def close(self) -> None:
        self.http.close()


def seed(urls: Urls | None = None, within: float = 60.0) -> dict[str, str]:
    """The demo policies' ids by what they are (the banner of ``make run`` lists them)."""
    seeder = _Seeder(urls or Urls(), within)
    try:
        family = seeder.policy(
            TITULAR,
            "demo.titular",
            "demo-titular-family",
            {
                "formula": "family",
                "start_date": "2026-01-01",
                "threshold_pct": 5,
                "e_protection": True,
            },
        )
        seeder.pay_first_premium(TITULAR, family)
        single = seeder.policy(
            OTHER,
            "demo.other",
            "demo-other-single-e-protection",
            {
                "formula": "single",
                "start_date": "2026-01-01",
                "threshold_pct": 10,
                "e_protection": True,
            },
        )
        seeder.pay_first_premium(OTHER, single)
        proposal = seeder.policy(
            OTHER,
            "demo.other",
            "demo-other-family-proposal",
            {
                "formula": "family",
                "start_date": "2027-01-01",
                "threshold_pct": 5,
                "e_protection": True,
            },
            accept=False,
        )
        return {
            "demo.titular family, e-protection (active)": family,
            "demo.other single, e-protection (active)": single,
            "demo.other family proposal (to accept in the portal)": proposal,
        }
    finally:
        seeder.close()


if __name__ == "__main__":
    print(seed())
