"""What every policy-svc router shares (issue 17 item 7): who may see a
policy (AC-1) and the recorder of dates given by the caller (issue 15 item 4)."""

from mylm_shared.auth import Principal, ensure_member_access
from mylm_shared.problems import Problem

from policy.domain.fact_dates import Recorder
from policy.domain.policy import Policy
from policy.service.handlers import PolicyService

NO_POLICY = "No such policy."
POLICY_READ = "policy:read"  # the scope of a service token reading policies (RFC 6749 §3.3)


def may_see(principal: Principal, policy: Policy, *, read: bool = False) -> bool:
    """AC-1: the policyholder (or a titular with the token exchanged for them) and staff.
    A service token (client credentials) granted ``policy:read`` only reads (``read``:
    claims-svc checks the cover of a claimant who is not the policyholder)."""
    return (
        principal.is_staff
        or principal.member_id == policy.member_id
        or (read and principal.service_may(POLICY_READ))
    )


def holder_or_staff(principal: Principal, policy: Policy | None, *, read: bool = False) -> Policy:
    """The policy if ``principal`` may see it (``may_see``); 404 for anyone else, so
    nothing leaks (any route but a read answers a service token 404 like anyone else)."""
    if policy is None or not may_see(principal, policy, read=read):
        raise Problem(404, NO_POLICY)
    return policy


async def visible_policy(
    service: PolicyService, principal: Principal, policy_id: str, *, read: bool = False
) -> Policy:
    """The policy if ``principal`` may see it (``read``: a read-only route); 404 else."""
    return holder_or_staff(principal, await service.policy(policy_id), read=read)


def may_list(principal: Principal, member_id: str) -> None:
    """AC-1 (``ensure_member_access``), or a service token granted ``policy:read``."""
    if not principal.service_may(POLICY_READ):
        ensure_member_access(principal, member_id)


def recorder(service: PolicyService, principal: Principal, reason: str | None) -> Recorder:
    """Who gives the dates of this request (staff may give earlier ones with a reason)."""
    return service.recorder(principal.account_id, staff=principal.is_staff, reason=reason)
