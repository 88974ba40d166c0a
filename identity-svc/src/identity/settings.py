from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from mylm_shared.settings import ServiceSettings
from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

# The dev/test profiles' demo service client (like the demo accounts: public, never prod).
DEV_SERVICE_CLIENT_ID = "claims-svc"
DEV_SERVICE_CLIENT_SECRET = "claims-svc-dev-secret"  # noqa: S105
# argon2id of DEV_SERVICE_CLIENT_SECRET
_DEV_SECRET_HASH = "$argon2id$v=19$m=65536,t=3,p=4$qmkk8x71GjFWWjo02VKj+Q$fuvw1Ddmas93AhfoRkpBNEPJvaTyIt8YSPJ1HMkGklI"  # noqa: E501, S105


class ServiceClient(BaseModel):
    """One OAuth 2.0 client of the client credentials grant (RFC 6749 §4.4): its secret's
    argon2id hash (`python -m identity.service_clients new`) and the scopes it may ask."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    secret_hash: str = Field(pattern=r"^\$argon2id?\$")
    scopes: tuple[str, ...] = ()


def _is_dev_secret(secret_hash: str) -> bool:
    try:
        return PasswordHasher().verify(secret_hash, DEV_SERVICE_CLIENT_SECRET)
    except (VerificationError, InvalidHashError):
        return False


class IdentitySettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "identity-svc"
    port: int = 8001
    access_token_seconds: int = 900
    refresh_token_days: int = 30
    # Seed the demo accounts (dev profile only; `make run`). Never in production.
    seed_demo_data: bool | None = None
    # Path of the Ed25519 signing key's PEM (a mounted secret in production). Without it,
    # the dev/test profiles generate one and keep it in the service's own database; prod
    # (the default) refuses to start.
    signing_key_file: str | None = None

    # --- passwords and sessions (issue 7 item 3) ---
    # The key signed with before the last rotation, still published in the JWKS so its
    # tokens stay valid until they expire (prod: a second mounted PEM; dev/test keep
    # both in the database, see `python -m identity.keys rotate`).
    previous_signing_key_file: str | None = None
    # A session (a refresh-token family) ends this long after its login, however often
    # it was refreshed.
    session_absolute_hours: float = 12.0
    # Failed logins (or current-password checks) allowed per sliding window, counted per
    # username (known or not) and per client address; each attempt is reserved before
    # the password is verified (issue 15 item 2), so parallel guesses cannot exceed it.
    # Beyond it: 429 + Retry-After until the oldest failure leaves the window.
    login_failures_per_account: int = Field(default=5, ge=1)
    login_failures_per_address: int = Field(default=20, ge=1)
    login_failure_window_seconds: int = Field(default=900, ge=1)

    # --- registration codes, password reset, SMS (issue 7 item 2) ---
    # Accepted terms version a registration must name (RG-4).
    terms_version: str = "2024-01"
    # One-time codes (RG-2): stored only as HMAC-SHA256 under this secret, read from a
    # mounted file (at least 32 bytes) in prod, where identity-svc refuses to start
    # without it; dev/test generate one and keep it in the service's own database.
    code_secret_file: str | None = None
    # Codes go out directly over SMTP (never through Kafka): smtp://host:port,
    # smtp+starttls://user:pass@host:587 or smtps://…:465.
    smtp_url: SecretStr = SecretStr("smtp://127.0.0.1:1025")
    mail_from: str = "My LM <no-reply@lm.be>"
    smtp_timeout_seconds: float = 10.0
    # SMS: the local sink e-mails each SMS to <msisdn>@SMS_SINK_DOMAIN (read in Mailpit);
    # production plugs a provider's HTTP API in behind the same SmsProvider port.
    sms_sink_domain: str = "sms.mylm.test"
    # At most this many codes per hour go to one contact (an e-mail box or a phone must
    # not be flooded by someone typing a member number); beyond it the answer is the
    # same 202 and nothing is sent.
    codes_per_contact_per_hour: int = Field(default=5, ge=1)
    # Issue 15 item 1: wrong codes allowed per sliding window, across all codes of one
    # purpose (registration, password reset) for one member (or, for an identifier that
    # finds nobody, that identifier), and per client address across identifiers. Each
    # guess is reserved before the code is compared; beyond the budget the confirm route
    # answers 429 + Retry-After and new requests store no live code.
    code_guesses_per_identifier: int = Field(default=10, ge=1)
    code_guesses_per_address: int = Field(default=30, ge=1)
    code_guess_window_seconds: int = Field(default=86400, ge=60)
    # Calls per client address per sliding hour to the code routes (request, confirm),
    # each counted whatever its outcome: 429 + Retry-After beyond.
    code_requests_per_address_per_hour: int = Field(default=20, ge=1)
    code_confirms_per_address_per_hour: int = Field(default=40, ge=1)

    # --- CSAM login (issue 7 item 4) ---
    # RG-6: the login methods the mutuality offers (JSON list, e.g. LOGIN_METHODS='["csam"]').
    login_methods: tuple[Literal["password", "csam"], ...] = ("password", "csam")
    # The OpenID provider (FAS, which runs CSAM; locally oidc-provider on :8009). Its
    # discovery document is {issuer}/.well-known/openid-configuration.
    csam_issuer: str = "http://127.0.0.1:8009"
    csam_client_id: str = "identity-svc"
    # Required in prod (a mounted secret's value); dev/test use the local provider's.
    csam_client_secret: SecretStr | None = None
    # identity-svc's callback as registered at the provider (exact match).
    csam_redirect_uri: str = "http://127.0.0.1:8001/v1/csam/callback"
    csam_scopes: str = "openid profile egovNRN"
    # The claim carrying the national register number (FAS: egovNRN), read from the
    # ID token, else from userinfo.
    csam_national_number_claim: str = "egovNRN"
    # Origins a login's `return_to` may point to (relative paths are always allowed).
    csam_return_to_origins: tuple[str, ...] = ("http://127.0.0.1:8001", "http://localhost:8001")
    csam_login_seconds: int = 600  # from /v1/csam/login to the callback
    csam_signup_seconds: int = 900  # from the callback to accepting the terms
    csam_timeout_seconds: float = 10.0  # each call to the provider

    @property
    def csam_secret(self) -> str | None:
        if self.csam_client_secret is not None:
            return self.csam_client_secret.get_secret_value()
        # the local provider's public dev secret (infra/local/oidc/provider.mjs)
        return None if self.profile == "prod" else "identity-svc-dev-secret"

    # --- dossier access and account life (issue 7 items 5, 6) ---
    # Lifetime of a token exchanged for a dependant's dossier (never past the 18th
    # birthday under AC-2: the token's exp and access_until stop there).
    dossier_token_seconds: int = 900

    # --- service tokens: OAuth 2.0 client credentials (RFC 6749 §4.4; issue 9) ---
    # SERVICE_CLIENTS='{"claims-svc":{"secret_hash":"$argon2id$…","scopes":["policy:read"]}}'.
    # Unset: none in prod; dev/test know the demo client `claims-svc` (DEV_SERVICE_CLIENT_SECRET).
    service_clients: dict[str, ServiceClient] | None = None
    # Lifetime of a service token: short, the client asks again (and is re-checked).
    service_token_seconds: int = Field(default=300, ge=30, le=3600)

    # --- audit trail (LF-5; issue 15 item 6) ---
    # The HMAC key chaining the audit trail (a mounted secret, >= 32 bytes), never in the
    # database. Prod refuses to start without it; dev/test generate AUDIT_DEV_KEY_FILE
    # once (under the git-ignored .cache/).
    audit_key_file: str | None = None
    # Keys of before a rotation (JSON list of files): still accepted when verifying.
    audit_retired_key_files: tuple[str, ...] = ()
    audit_dev_key_file: str = ".cache/identity/audit-hmac.key"
    # How often the heads of the trails appended to are published to audit.checkpoint
    # (one replica publishes: a lease). Entries after the last checkpoint are protected
    # by their HMAC only (a deleted tail is noticed from the next checkpoint on).
    audit_checkpoint_seconds: float = Field(default=60.0, gt=0)

    # --- re-announcing the directory (issue 18 item 3, EI-2) ---
    # The backfill generation (``identity.domain.reannouncement.GENERATION``) and
    # ``POST /v1/jobs/reannounce`` publish every member (member.updated) and open account
    # (account.created) again, in batches of about ``reannounce_batch_size`` stored
    # versions read, ``reannounce_batch_pause_seconds`` apart; the job looks every
    # ``reannounce_check_seconds`` for a run to do (one replica: a lease).
    reannounce_batch_size: int = Field(default=200, ge=1)
    reannounce_batch_pause_seconds: float = Field(default=1.0, ge=0)
    reannounce_check_seconds: float = Field(default=5.0, gt=0)

    @property
    def clients(self) -> dict[str, ServiceClient]:
        if self.service_clients is not None:
            return self.service_clients
        if self.profile == "prod":
            return {}
        return {
            DEV_SERVICE_CLIENT_ID: ServiceClient(
                secret_hash=_DEV_SECRET_HASH, scopes=("policy:read",)
            )
        }

    @property
    def seeds_demo_data(self) -> bool:
        if self.seed_demo_data is None:
            return self.profile == "dev"
        return self.seed_demo_data and self.profile != "prod"

    @model_validator(mode="after")
    def _production_needs_a_mounted_key(self) -> "IdentitySettings":
        if self.profile == "prod" and not self.signing_key_file:
            raise ValueError(
                "SIGNING_KEY_FILE (an Ed25519 PEM) is required in the prod profile, the "
                "default without PROFILE; PROFILE=dev or test generates a key instead"
            )
        if self.profile == "prod":
            for client_id, client in (self.service_clients or {}).items():
                if _is_dev_secret(client.secret_hash):
                    raise ValueError(
                        f"SERVICE_CLIENTS: client {client_id!r} uses the public dev secret; "
                        "give it a random one in the prod profile"
                    )
        return self
