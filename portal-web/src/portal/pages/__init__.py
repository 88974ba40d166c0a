"""The portal's pages, one router per area (``routes(web) -> APIRouter``)."""
