"""FastAPI dependencies of inbox-svc's routes: the use cases ``bootstrap`` wired, typed
(docs/architecture.md "Wiring")."""

from typing import Annotated

from fastapi import Depends
from mylm_shared.service import use_cases

from inbox.service.handlers import InboxService
from inbox.service.use_cases import InboxUseCases

UseCases = Annotated[InboxUseCases, use_cases(InboxUseCases)]


def _inbox(use_cases: UseCases) -> InboxService:
    return use_cases.inbox


Inbox = Annotated[InboxService, Depends(_inbox)]
