"""identity-svc routes: accounts (filled in by issue 7)."""

from fastapi import APIRouter

router = APIRouter(tags=["accounts"])
