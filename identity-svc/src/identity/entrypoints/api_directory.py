"""identity-svc routes: directory (filled in by issue 7)."""

from fastapi import APIRouter

router = APIRouter(tags=["members"])
