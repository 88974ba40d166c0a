"""identity-svc route: the current My LM terms (RG-4), public, so a client (the portal)
shows the member what they accept and sends the version back with ``accept_terms``
(``POST /v1/registrations/{id}/confirm``, ``POST /v1/csam/signups/{id}``)."""

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from identity.entrypoints.deps import UseCases
from identity.terms import TITLE, terms_text

router = APIRouter(tags=["registration"])


class CurrentTerms(BaseModel):
    version: str = Field(description="The version to send as `terms_version` (RG-4).")
    language: str = Field(description="The language of `title` and `text` (the original).")
    title: str | None
    text: str | None = Field(description="The terms as plain text; null if none is kept.")


@router.get("/v1/terms/current")
async def current_terms(use_cases: UseCases, response: Response) -> CurrentTerms:
    """RG-4: the terms a registration or CSAM sign-up accepts now (setting
    `TERMS_VERSION`) and their text (Dutch original)."""
    version = use_cases.settings.terms_version
    text = terms_text(version, "nl")
    response.headers["Cache-Control"] = "public, max-age=300"
    return CurrentTerms(
        version=version, language="nl", title=TITLE["nl"] if text else None, text=text
    )
