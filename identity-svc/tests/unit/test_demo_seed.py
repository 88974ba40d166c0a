"""The demo seed (``make run``) opens the demo members' accounts as any member's account
is opened: ``account.created`` goes out for each, so billing switches their e-invoicing
on (EI-2) and Jan's invoices reach his inbox and his mailbox, not the print shop. Staff
accounts have no member and announce nothing. Seeding again adds nothing."""

from identity.demo import DEMO_ACCOUNTS, seed_demo_data

from testkit.fakes.identity import IdentityFakes


async def test_each_demo_member_account_announces_account_created_once_ei_2() -> None:
    fakes = IdentityFakes()
    use_cases = fakes.use_cases()

    await seed_demo_data(use_cases.context)
    await seed_demo_data(use_cases.context)  # a restart: nothing more

    created = [
        message.payload
        for message in fakes.stores.account_store.published
        if message.spec.topic == "account.created"
    ]
    members = {owner for _, owner, _ in DEMO_ACCOUNTS if owner is not None}
    assert sorted(p.member_id for p in created) == sorted(members)
    assert all(p.method == "password" for p in created)
    staff = [owner for _, owner, _ in DEMO_ACCOUNTS if owner is None]
    assert staff, "the demo has a staff account"
    assert len(created) == len(DEMO_ACCOUNTS) - len(staff)
