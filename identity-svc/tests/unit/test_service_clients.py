"""Service clients (OAuth 2.0 client credentials, RFC 6749 §4.4) come from SERVICE_CLIENTS;
dev/test know the documented demo client, prod none, and prod refuses the dev secret."""

import json
from pathlib import Path

import pytest
from identity.adapters.passwords import hash_password, verify_password
from identity.service_clients import new_client
from identity.settings import (
    DEV_SERVICE_CLIENT_ID,
    DEV_SERVICE_CLIENT_SECRET,
    IdentitySettings,
    ServiceClient,
)
from pydantic import ValidationError


def test_dev_and_test_know_the_demo_client_with_its_documented_secret() -> None:
    for profile in ("dev", "test"):
        client = IdentitySettings(profile=profile).clients[DEV_SERVICE_CLIENT_ID]
        assert verify_password(client.secret_hash, DEV_SERVICE_CLIENT_SECRET)
        assert client.scopes == ("policy:read",)


def test_prod_has_no_client_unless_configured(tmp_path: Path) -> None:
    settings = IdentitySettings(profile="prod", signing_key_file=str(tmp_path / "k.pem"))
    assert settings.clients == {}


def test_prod_refuses_the_dev_secret(tmp_path: Path) -> None:
    dev = ServiceClient(secret_hash=hash_password(DEV_SERVICE_CLIENT_SECRET))
    with pytest.raises(ValidationError, match="SERVICE_CLIENTS: client 'claims-svc'"):
        IdentitySettings(
            profile="prod",
            signing_key_file=str(tmp_path / "k.pem"),
            service_clients={"claims-svc": dev},
        )


def test_a_configured_client_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret, entry = new_client("claims-svc", ["policy:read"])
    monkeypatch.setenv("SERVICE_CLIENTS", json.dumps(entry))
    settings = IdentitySettings(profile="prod", signing_key_file=str(tmp_path / "k.pem"))
    client = settings.clients["claims-svc"]
    assert client.scopes == ("policy:read",)
    assert verify_password(client.secret_hash, secret)


def test_a_secret_hash_must_be_argon2() -> None:
    with pytest.raises(ValidationError):
        ServiceClient(secret_hash="plain-text-secret")
