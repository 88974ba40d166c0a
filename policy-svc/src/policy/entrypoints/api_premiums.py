"""policy-svc HTTP API: premiums (issue 8)."""

from fastapi import APIRouter

router = APIRouter(tags=["premiums"])
