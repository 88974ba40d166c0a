"""policy-svc HTTP API: amendments (issue 8)."""

from fastapi import APIRouter

router = APIRouter(tags=["amendments"])
