"""CSAM login (RG-5) and the login methods the mutuality offers (RG-6).

1. ``start``: a new state, nonce and PKCE verifier, kept server-side (insert-only,
   short-lived) with a hash of a secret the browser keeps in a cookie; the answer is
   the provider's authorization URL.
2. ``finish`` (the provider's redirect back): the state must be known, unexpired,
   unused and this browser's; it is spent before anything else (single use). The code
   is exchanged, the ID token validated, and its national register number names the
   member: with an account, a session opens; without one, a pending sign-up (RG-5).
3. ``sign_up``: the member accepts the terms (RG-4) and the account opens, CSAM only
   (no username, no password), with a session.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from identity.domain.accounts import Account, LoginMethod
from identity.domain.csam import (
    LoginRejected,
    PendingLogin,
    PendingSignup,
    ProviderUnavailable,
    digest,
)
from identity.domain.members import valid_national_number
from identity.service.accounts import AccountExists, AccountOpening
from identity.service.context import IdentityContext, Origin, trail_of
from identity.service.directory import Directory
from identity.service.ports import CsamLogins, CsamProvider
from identity.service.sessions import Sessions, TokenPair

__all__ = [
    "AccountExists",
    "AccountNotActive",
    "CsamLogin",
    "InvalidReturnTo",
    "LoggedIn",
    "LoginFailed",
    "LoginRejected",
    "LoginStarted",
    "MethodDisabled",
    "NotAMember",
    "ProviderUnavailable",
    "SignupPending",
    "SignupRefused",
    "TermsNotAccepted",
    "ensure_method",
]


class MethodDisabled(Exception):
    """RG-6: the mutuality does not offer this login method."""

    def __init__(self, method: str) -> None:
        super().__init__(method)
        self.method = method


class InvalidReturnTo(ValueError):
    """``return_to`` is neither a relative path nor on an allowed origin."""


class LoginFailed(Exception):
    """The callback cannot be trusted: ``reason`` says why (state-unknown, state-expired,
    state-used, browser-mismatch, provider-error, issuer-mismatch)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


class NotAMember(Exception):
    """The authenticated national register number is not in the member directory."""


class AccountNotActive(Exception):
    """The member's account is suspended or ended (LF-2): no session opens."""

    def __init__(self, account: Account) -> None:
        super().__init__(account.status)
        self.status = account.status
        self.reason = account.status_reason


class SignupRefused(Exception):
    """``reason``: unknown, expired or used."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TermsNotAccepted(Exception):
    """RG-4: the terms must be accepted, in their current version."""


@dataclass(frozen=True)
class LoginStarted:
    authorization_url: str
    browser_secret: str  # goes into the browser's cookie, only its hash is stored


@dataclass(frozen=True)
class LoggedIn:
    account_id: str
    member_id: str
    tokens: TokenPair
    return_to: str | None


@dataclass(frozen=True)
class SignupPending:
    signup_id: str
    member_id: str
    terms_version: str
    expires_in: int
    return_to: str | None


def ensure_method(context: IdentityContext, method: LoginMethod) -> None:
    if method not in context.settings.login_methods:
        raise MethodDisabled(method)


def checked_return_to(context: IdentityContext, return_to: str | None) -> str | None:
    """A path on this site (``/…``, not ``//…``) or a URL on an allowed origin."""
    if return_to is None:
        return None
    if "\\" in return_to or any(ord(c) < 0x21 for c in return_to):
        raise InvalidReturnTo(return_to)
    parts = urlsplit(return_to)
    if not parts.scheme and not parts.netloc and return_to.startswith("/"):
        if return_to.startswith("//"):
            raise InvalidReturnTo(return_to)
        return return_to
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    if parts.scheme in ("http", "https") and origin in {
        allowed.rstrip("/").lower() for allowed in context.settings.csam_return_to_origins
    }:
        return return_to
    raise InvalidReturnTo(return_to)


@dataclass
class CsamLogin:
    context: IdentityContext

    @property
    def _store(self) -> CsamLogins:
        return self.context.csam_logins

    @property
    def _provider(self) -> CsamProvider:
        provider = self.context.csam_provider
        if provider is None:
            raise ProviderUnavailable("CSAM is not configured (CSAM_CLIENT_SECRET)")
        return provider

    async def start(self, return_to: str | None) -> LoginStarted:
        ensure_method(self.context, "csam")
        return_to = checked_return_to(self.context, return_to)
        state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        verifier, browser = secrets.token_urlsafe(64), secrets.token_urlsafe(32)
        url = await self._provider.authorization_url(
            state=state, nonce=nonce, code_verifier=verifier
        )
        now = self.context.clock()
        await self._store.add_login(
            PendingLogin(
                state=state,
                nonce=nonce,
                code_verifier=verifier,
                browser_digest=digest(browser),
                return_to=return_to,
                created_at=now,
                expires_at=now + timedelta(seconds=self.context.settings.csam_login_seconds),
            )
        )
        return LoginStarted(url, browser)

    async def _spend_state(self, state: str, browser_secret: str | None) -> PendingLogin:
        store = self._store
        login = await store.login(state)
        if login is None:
            raise LoginFailed("state-unknown", "This login was not started here.")
        if await store.used("login", state):  # told before the browser check: clearer
            raise LoginFailed("state-used", "This login was completed already; start again.")
        if browser_secret is None or not secrets.compare_digest(
            digest(browser_secret), login.browser_digest
        ):
            raise LoginFailed("browser-mismatch", "This login was started in another browser.")
        now = self.context.clock()
        if now >= login.expires_at:
            raise LoginFailed("state-expired", "This login took too long; start again.")
        if not await store.use("login", state, now):
            raise LoginFailed("state-used", "This login was completed already; start again.")
        return login

    async def finish(
        self,
        *,
        state: str,
        code: str | None,
        error: str | None,
        issuer: str | None,
        browser_secret: str | None,
        origin: Origin,
    ) -> LoggedIn | SignupPending:
        ensure_method(self.context, "csam")
        login = await self._spend_state(state, browser_secret)
        provider = self._provider
        if error is not None or not code:
            raise LoginFailed("provider-error", f"CSAM did not log you in ({error or 'no code'}).")
        # RFC 9207: the provider names itself in the redirect (mix-up defence).
        if issuer is not None and issuer.rstrip("/") != provider.issuer:
            raise LoginFailed("issuer-mismatch", "The answer came from another provider.")
        tokens = await provider.exchange(code, login.code_verifier)
        claims = await provider.verify_id_token(
            tokens["id_token"],
            nonce=login.nonce,
            access_token=tokens["access_token"],
            now=self.context.clock(),
        )
        national_number = await self._national_number(claims, tokens["access_token"])
        member = await Directory(self.context).member_by_national_number(national_number)
        if member is None:
            raise NotAMember()
        account = await self.context.account_of_member(member.member_id)
        if account is None:
            return await self._pending_signup(member.member_id, login.return_to, origin)
        if not account.is_active:
            await self.context.record(
                trail_of(account), "csam.login-refused", origin, status=account.status
            )
            raise AccountNotActive(account)
        pair = await Sessions(self.context).open_session(account, origin, "csam")
        assert account.member_id is not None
        return LoggedIn(account.account_id, account.member_id, pair, login.return_to)

    async def _national_number(self, claims: dict[str, object], access_token: str) -> str:
        """From the ID token, else from userinfo (FAS releases it there) for the same
        subject (OIDC Core 5.3.2)."""
        claim = self.context.settings.csam_national_number_claim
        value = claims.get(claim)
        if value is None:
            info = await self._provider.userinfo(access_token)
            if info.get("sub") != claims.get("sub"):
                raise LoginRejected("userinfo is about another subject")
            value = info.get(claim)
        number = "".join(ch for ch in str(value or "") if ch.isdigit())
        if not valid_national_number(number):
            raise LoginRejected(f"no valid national register number in {claim!r}")
        return number

    async def _pending_signup(
        self, member_id: str, return_to: str | None, origin: Origin
    ) -> SignupPending:
        settings = self.context.settings
        signup_id, now = secrets.token_urlsafe(32), self.context.clock()
        lifetime = timedelta(seconds=settings.csam_signup_seconds)
        await self._store.add_signup(
            signup_id, PendingSignup(member_id, return_to, now, now + lifetime)
        )
        await self.context.record(
            member_id, "csam.signup-started", origin, terms=settings.terms_version
        )
        return SignupPending(
            signup_id, member_id, settings.terms_version, int(lifetime.total_seconds()), return_to
        )

    async def sign_up(
        self, signup_id: str, *, accept_terms: bool, terms_version: str, origin: Origin
    ) -> LoggedIn:
        """RG-4, RG-5: the first CSAM login of a member without an account opens one."""
        ensure_method(self.context, "csam")
        store = self._store
        signup = await store.signup(signup_id)
        if signup is None:
            raise SignupRefused("unknown")
        now = self.context.clock()
        if now >= signup.expires_at:
            raise SignupRefused("expired")
        current = self.context.settings.terms_version
        if not accept_terms or terms_version != current:
            raise TermsNotAccepted(f"The terms version {current} must be accepted.")
        member = await Directory(self.context).member(signup.member_id)
        if member is None:  # the directory never removes members; defensive
            raise SignupRefused("unknown")
        if not await store.use_signup(signup_id, now):
            raise SignupRefused("used")
        account = await AccountOpening(self.context).open(
            member,
            username=None,
            password_hash=None,
            method="csam",
            terms_version=terms_version,
            origin=origin,
        )
        pair = await Sessions(self.context).open_session(account, origin, "csam")
        return LoggedIn(account.account_id, member.member_id, pair, signup.return_to)
