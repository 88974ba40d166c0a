"""identity-svc routes: audit (filled in by issue 7)."""

from fastapi import APIRouter

router = APIRouter(tags=["audit"])
