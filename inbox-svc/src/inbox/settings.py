from mylm_shared.settings import ServiceSettings
from pydantic import Field
from pydantic_settings import SettingsConfigDict


class InboxSettings(ServiceSettings):
    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "inbox-svc"
    port: int = 8003
    # The members' languages kept in memory (read-through): a member.updated handled by
    # another replica shows here within the TTL; 0 switches the cache off.
    member_cache_ttl_seconds: float = Field(default=30.0, ge=0)
    member_cache_max_entries: int = Field(default=10_000, ge=0)
    # Issue 19 item 1: where ``GET /v1/documents/{id}/content`` redirects (303) for a
    # document another service serves (invoice PDFs, policy conditions): that service's
    # base URL as the client reaches it. Behind one gateway, its path prefix (a relative
    # reference such as ``/api/billing``: the redirect stays on the gateway's origin, so
    # the client's credentials go along); by default the local ports of ``make run``.
    billing_public_url: str = "http://127.0.0.1:8002"
    policy_public_url: str = "http://127.0.0.1:8004"

    # --- messages to the mutuality, eID-signed (ES-1..ES-3; issue 19 item 3) ---
    # The trusted roots of signing certificates: a PEM bundle (the Belgian eID roots in
    # production: Belgium Root CA4 and the ones still in use; a test CA in tests). Unset
    # outside prod, a demo CA is made once under signing_demo_dir (never committed) with
    # a demo signing certificate and key for Jan (docs/services/inbox.md "Signed messages").
    signing_trust_anchors_file: str | None = None
    signing_demo_dir: str = ".cache/inbox/demo-eid"
    # The HMAC key chaining the stored messages (ES-2; a mounted secret, >= 32 bytes, never
    # in the database), the retired ones still accepted, and the dev/test fallback.
    message_chain_key_file: str | None = None
    message_chain_retired_key_files: tuple[str, ...] = ()
    message_chain_dev_key_file: str = ".cache/inbox/message-chain-hmac.key"
    max_message_attachments: int = Field(default=10, ge=0, le=100)
    # How often the heads of the message chains appended to are published to
    # message.checkpoint (outside the database: a removed newest message is found too).
    message_checkpoint_seconds: float = Field(default=60.0, gt=0)
