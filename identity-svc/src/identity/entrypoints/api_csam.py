"""identity-svc routes: csam (filled in by issue 7)."""

from fastapi import APIRouter

router = APIRouter(tags=["csam"])
