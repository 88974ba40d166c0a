"""policy-svc HTTP API: documents (issue 8)."""

from fastapi import APIRouter

router = APIRouter(tags=["documents"])
