"""Run one service: uvicorn serving the app, graceful on SIGTERM/SIGINT."""

import uvicorn
from fastapi import FastAPI

from mylm_shared.settings import ServiceSettings


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,  # our JSON logging
        access_log=False,
        timeout_graceful_shutdown=10,
    )
