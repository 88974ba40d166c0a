"""identity-svc without PROFILE runs as in production: it refuses to start without a
mounted signing key, and never generates one (SIGNING_KEY_FILE)."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from identity.adapters.keys import SigningKey, SigningKeyMissing, load_signing_key
from identity.settings import IdentitySettings
from pydantic import ValidationError


@pytest.fixture
def no_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PROFILE", "SIGNING_KEY_FILE", "SEED_DEMO_DATA"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_profile")
def test_the_default_profile_is_prod_and_needs_a_key_file() -> None:
    with pytest.raises(ValidationError, match="SIGNING_KEY_FILE"):
        IdentitySettings()


@pytest.mark.usefixtures("no_profile")
def test_the_default_profile_seeds_no_demo_data(tmp_path: Path) -> None:
    settings = IdentitySettings(signing_key_file=str(tmp_path / "key.pem"))
    assert settings.profile == "prod"
    assert not settings.seeds_demo_data


def test_the_service_process_refuses_to_start_without_a_key() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PROFILE", "SIGNING_KEY_FILE", "PORT")}
    result = subprocess.run(
        [sys.executable, "-m", "identity"],
        env={**env, "PORT": "1"},  # never reached: it stops before binding anything
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "SIGNING_KEY_FILE" in result.stderr
    assert "Traceback" not in result.stderr  # one clear line, not a stack


class UntouchedDatabase:
    """Production must not read or write a key in the database."""

    def __getitem__(self, name: str) -> Any:
        raise AssertionError(f"the database was asked for {name!r}")


async def test_no_key_is_generated_where_generation_is_off() -> None:
    with pytest.raises(SigningKeyMissing, match="SIGNING_KEY_FILE"):
        await load_signing_key(UntouchedDatabase(), None, generate_if_missing=False)  # type: ignore[arg-type]


async def test_a_missing_or_wrong_key_file_is_named_in_the_error(tmp_path: Path) -> None:
    missing = tmp_path / "absent.pem"
    with pytest.raises(SigningKeyMissing, match=str(missing)):
        await load_signing_key(UntouchedDatabase(), str(missing), generate_if_missing=False)  # type: ignore[arg-type]
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a key")
    with pytest.raises(SigningKeyMissing, match="not an Ed25519 PEM key"):
        await load_signing_key(UntouchedDatabase(), str(garbage), generate_if_missing=False)  # type: ignore[arg-type]


async def test_the_mounted_key_signs(tmp_path: Path) -> None:
    key = SigningKey(Ed25519PrivateKey.generate())
    mounted = tmp_path / "key.pem"
    mounted.write_bytes(key.private_pem())
    loaded = await load_signing_key(UntouchedDatabase(), str(mounted), generate_if_missing=False)  # type: ignore[arg-type]
    assert loaded.kid == key.kid
