"""The roles an access token carries (issue 17 item 8: pure, so a domain module that puts
a role into a token's claims, such as identity's ``domain/tokens.py``, needs no FastAPI).

``mylm_shared.auth`` verifies tokens and re-exports these names.
"""

STAFF = "staff"
MEMBER = "member"
# A service calling another server to server with a client-credentials token (RFC 6749
# §4.4, issued by identity-svc): ``sub`` is its client id, ``scope`` what it may do.
SERVICE = "service"
