"""Every route a FastAPI app serves, as ``METHOD /path`` (issue 15 item 8).

Taken from the app's router (``fastapi.routing.iter_route_contexts`` flattens the
included routers), not from the OpenAPI document, so routes hidden from the document
(``include_in_schema=False``: ``/docs``, ``/openapi.json`` …) are enumerated too. HEAD is
dropped where GET serves the same path (Starlette answers HEAD with the GET endpoint).
"""

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts


def enumerate_routes(app: FastAPI) -> list[str]:
    """``METHOD /path`` of every route of ``app``, in the order the router matches them."""
    found: list[str] = []
    for route in iter_route_contexts(app.routes):
        methods = set(route.methods or ())
        if "GET" in methods:
            methods.discard("HEAD")
        for method in sorted(methods):
            key = f"{method} {route.path}"
            if key not in found:
                found.append(key)
    return found
