"""The local gateway's nginx configuration (issue 20 item 1), generated from ``services.toml``.

One public entry: ``/api/<service>/…`` → that service's ``/…`` (the routes are
``infra.k8s.generate.gateway_routes()``, the same list the Kubernetes Ingress serves with
the same rewrite: ``/api/<svc>(/|$)(.*)`` → ``/$2``). What the edge adds (docs/gateway.md):

- TLS (LF-6): an HTTPS listener beside the plain one, with the certificate the platform
  generates under ``.cache/`` (``infra.gateway.tls``).
- ``X-Request-ID`` on every request to a service and on every answer (the client's own,
  when well formed, else nginx's ``$request_id``); without a ``traceparent`` from the
  client the request id becomes the W3C trace id, so the services' logs (``trace_id``)
  and the gateway's access log join on it.
- A JSON access log per request (the platform's log folder).
- Per-client rate limits on the login, registration, code and password-reset routes
  (``RATE_LIMITS``; 429 problem+json with ``Retry-After``), before identity's own
  per-address and per-username budgets.
- Body limits matching the services' (``mylm_shared.settings``: the JSON limit on every
  route, the upload limit on the routes taking files, ``UPLOAD_ROUTES``): 413 at the edge.
- Security headers (HSTS on HTTPS, nosniff, no referrer, a CSP for JSON APIs).
- The only trusted proxy: it connects to the services from its own loopback address
  (``PROXY_ADDRESS``, ``proxy_bind``), the one address the services' FORWARDED_ALLOW_IPS
  names locally; ``X-Forwarded-For`` is set to the address it saw (never appended to).
- ``/`` (everything else): the member portal (issue 20 item 2, ``portal-web``), its
  log-in form under the login budget.
- ``/api/``: a page linking every service's OpenAPI document (served through the gateway
  with a ``servers`` entry naming its route).

Standard library (and the workspace's own modules) only. Print the configuration with::

    python3 -m uv run --frozen python -m infra.gateway.config
"""

import html
import json
import math
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from mylm_shared.settings import ServiceSettings

from infra.k8s.generate import gateway_routes
from infra.manifest import Manifest, load

# The gateway's own loopback address (Linux routes all of 127/8 to lo): the services'
# trusted proxy locally (FORWARDED_ALLOW_IPS), so a client calling a service port directly
# (from 127.0.0.1 or any other address) cannot pose as the gateway.
PROXY_ADDRESS = "127.0.0.2"
HTTP_PORT = 8080
HTTPS_PORT = 8443
# Issue 20 item 2: the member portal (portal-web, `python -m portal`) behind `/`.
PORTAL_PORT = 8010

# The services' limits (issue 15 item 5, mylm_shared.bodies): the gateway answers 413 for
# what a service would refuse anyway, before a byte reaches it.
JSON_BODY_BYTES: int = ServiceSettings.model_fields["max_json_body_bytes"].default
UPLOAD_BODY_BYTES: int = ServiceSettings.model_fields["max_upload_body_bytes"].default


@dataclass(frozen=True)
class Route:
    """One route of a service as its app declares it (``{name}`` for a path parameter)."""

    service: str
    method: str
    path: str

    def pattern(self, prefix: str) -> str:
        """The nginx regex (anchored) of this route at the gateway, matched against the
        normalised ``$uri``."""
        parts = re.split(r"\{[^}]+\}", self.path)
        return "^" + re.escape(prefix) + "[^/]+".join(re.escape(p) for p in parts) + "$"


# Routes taking a file (multipart): the upload limit; every other route the JSON limit.
# infra/tests/test_gateway.py checks this list against the services' apps.
UPLOAD_ROUTES = (
    Route("inbox", "POST", "/v1/members/{member_id}/messages"),
    Route("claims", "POST", "/v1/claims/{claim_id}/documents"),
)


@dataclass(frozen=True)
class RateLimit:
    """A per-client budget (nginx ``limit_req``: ``per_minute`` with ``burst`` on top,
    no delay) shared by its routes."""

    zone: str
    per_minute: int
    burst: int
    routes: tuple[Route, ...]

    @property
    def retry_after(self) -> int:
        """Seconds until the bucket has room for one more request."""
        return math.ceil(60 / self.per_minute)


def _identity(method: str, path: str) -> Route:
    return Route("identity", method, path)


# Coarse flood guards per client address; identity's own budgets (failures per username
# and per address, code guesses, issue 15 items 1-2) stay the fine-grained ones.
RATE_LIMITS = (
    RateLimit(
        "login",
        per_minute=10,
        burst=5,
        routes=(
            _identity("POST", "/v1/sessions"),
            _identity("POST", "/v1/oauth/token"),
            _identity("POST", "/v1/me/status"),
            _identity("PUT", "/v1/me/password"),
            # the portal's log-in form (it calls identity from its own address, so the
            # per-client budget is applied here, to the browser's address)
            Route("portal", "POST", "/login"),
        ),
    ),
    RateLimit(
        "registration",
        per_minute=5,
        burst=5,
        routes=(
            _identity("POST", "/v1/registrations"),
            _identity("POST", "/v1/csam/signups/{signup_id}"),
            # the portal's forms that start one (as for its log-in form: the browser's
            # address is counted here, identity counts the address the portal passes on)
            Route("portal", "POST", "/register"),
            Route("portal", "POST", "/csam/signup"),
        ),
    ),
    RateLimit(
        "codes",
        per_minute=10,
        burst=5,
        routes=(
            _identity("POST", "/v1/registrations/{registration_id}/confirm"),
            _identity("POST", "/v1/password-resets/{reset_id}/confirm"),
            Route("portal", "POST", "/register/confirm"),
            Route("portal", "POST", "/reset/confirm"),
        ),
    ),
    RateLimit(
        "password_reset",
        per_minute=5,
        burst=3,
        routes=(_identity("POST", "/v1/password-resets"), Route("portal", "POST", "/reset")),
    ),
)

# A JSON API serves no scripts, styles or frames; the index page at /api/ only links.
CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HSTS = "max-age=31536000; includeSubDomains"
# A client's own request id is kept when it looks like one; anything else is replaced.
REQUEST_ID_PATTERN = r"^[A-Za-z0-9._:-]{8,128}$"


@dataclass(frozen=True)
class Layout:
    """Where this gateway listens, where the services run and where its files go."""

    upstreams: Mapping[str, int]  # service name → its port on 127.0.0.1
    runtime_dir: Path  # pid file and temporary files
    log_dir: Path  # gateway-access.log, gateway-error.log
    certificate: Path
    key: Path
    http_port: int = HTTP_PORT
    https_port: int = HTTPS_PORT
    listen: str = "127.0.0.1"
    worker_user: str | None = None  # nginx ``user`` when started as root
    portal_port: int | None = PORTAL_PORT  # None: nothing behind `/` (404)

    @property
    def pid_file(self) -> Path:
        return self.runtime_dir / "nginx.pid"

    @property
    def access_log(self) -> Path:
        return self.log_dir / "gateway-access.log"

    @property
    def error_log(self) -> Path:
        return self.log_dir / "gateway-error.log"


def _q(value: str) -> str:
    """An nginx string literal (quoted with the quote the value does not hold)."""
    assert "\\" not in value, value
    if "'" not in value:
        return f"'{value}'"
    assert '"' not in value, value
    return f'"{value}"'


def _problem(status: int, title: str, detail: str) -> str:
    return json.dumps(
        {"type": "about:blank", "title": title, "status": status, "detail": detail},
        separators=(",", ":"),
    )


PROBLEMS = {
    413: (
        "@too_large",
        _problem(413, "Content Too Large", "The request body is larger than this route accepts."),
    ),
    429: (
        "@throttled",
        _problem(
            429,
            "Too Many Requests",
            "Too many requests from your address to this route: wait the number of "
            "seconds in Retry-After.",
        ),
    ),
    502: (
        "@unavailable",
        _problem(502, "Bad Gateway", "The service behind this route is not answering."),
    ),
    404: ("@not_found", _problem(404, "Not Found", "No route here; the APIs are under /api/.")),
}


def _security_headers(indent: str) -> list[str]:
    """Repeated in every location that adds a header (nginx drops the outer level's
    ``add_header`` where a location has its own)."""
    return [
        f"{indent}add_header X-Request-ID $gateway_request_id always;",
        f"{indent}add_header Strict-Transport-Security $gateway_hsts always;",
        f"{indent}add_header X-Content-Type-Options nosniff always;",
        f"{indent}add_header Referrer-Policy no-referrer always;",
        f"{indent}add_header Content-Security-Policy {_q(CSP)} always;",
        f"{indent}add_header X-Frame-Options DENY always;",
        f"{indent}add_header Cross-Origin-Resource-Policy same-origin always;",
    ]


def _proxy_headers(indent: str) -> list[str]:
    """Likewise for ``proxy_set_header``: every proxying location carries all of them."""
    return [
        f"{indent}proxy_set_header Host $http_host;",
        f"{indent}proxy_set_header X-Forwarded-For $remote_addr;",
        f"{indent}proxy_set_header X-Forwarded-Proto $scheme;",
        f"{indent}proxy_set_header X-Request-ID $gateway_request_id;",
        f"{indent}proxy_set_header traceparent $gateway_traceparent;",
        f"{indent}proxy_set_header Forwarded '';",
        f"{indent}proxy_set_header X-Real-IP '';",
        f"{indent}proxy_set_header Connection '';",
    ]


def _proxy(upstream: str, indent: str, uri: str = "/") -> list[str]:
    return [
        *_proxy_headers(indent),
        *_security_headers(indent),
        f"{indent}proxy_pass http://{upstream}{uri};",
    ]


def _maps(limits: Iterable[RateLimit]) -> list[str]:
    lines = [
        "    map $http_x_request_id $gateway_request_id {",
        f'        "~{REQUEST_ID_PATTERN}" $http_x_request_id;',
        "        default $request_id;",
        "    }",
        "    # nginx's $request_id is 32 hex digits: a valid W3C trace id",
        "    map $request_id $gateway_parent_span {",
        '        "~^(?<span>[0-9a-f]{16})" $span;',
        "    }",
        "    map $http_traceparent $gateway_traceparent {",
        '        "" "00-$request_id-$gateway_parent_span-01";',
        "        default $http_traceparent;",
        "    }",
        "    map $scheme $gateway_hsts {",
        f"        https {_q(HSTS)};",
        "        default '';",
        "    }",
    ]
    retry: list[str] = []
    for limit in limits:
        lines.append(f'    map "$request_method $uri" $gateway_limit_{limit.zone} {{')
        for route in limit.routes:
            prefix = gateway_routes().get(route.service, "")  # the portal: at `/`
            pattern = route.pattern(prefix).removeprefix("^")
            key = f"~^{route.method} {pattern}"
            lines.append(f'        "{key}" $binary_remote_addr;')
            retry.append(f'        "{key}" {limit.retry_after};')
        lines += ["        default '';", "    }"]
        lines.append(
            f"    limit_req_zone $gateway_limit_{limit.zone} zone={limit.zone}:10m "
            f"rate={limit.per_minute}r/m;"
        )
    lines += ['    map "$request_method $uri" $gateway_retry_after {', *retry]
    lines += ["        default 60;", "    }"]
    return lines


def _index_page(manifest: Manifest) -> str:
    """``/api/``: every service's OpenAPI document, one link each (no script, no CDN)."""
    items = "".join(
        f'<li><a href="{route}/openapi.json">{html.escape(name)}</a> '
        f'(<a href="{route}/asyncapi.json">events</a>)</li>'
        for name, route in gateway_routes(manifest).items()
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>My LM APIs</title></head><body><h1>My LM APIs</h1>"
        "<p>The OpenAPI document of each service behind this gateway "
        "(<code>/api/&lt;service&gt;/v1/…</code>):</p>"
        f"<ul>{items}</ul></body></html>"
    )


def _service_locations(name: str, route: str) -> list[str]:
    upstream = f"svc_{name}"
    lines = [
        f"        location = {route} {{",
        *_proxy(upstream, "            "),
        "        }",
        f"        location {route}/ {{",
        *_proxy(upstream, "            "),
    ]
    for upload in (u for u in UPLOAD_ROUTES if u.service == name):
        lines += [
            f'            location ~ "{upload.pattern(route)}" {{',
            f"                client_max_body_size {UPLOAD_BODY_BYTES};",
            # the service authenticates before it reads an upload (mylm_shared.bodies):
            # streamed through, an anonymous upload ends at the service's 401
            "                proxy_request_buffering off;",
            f"                rewrite ^{re.escape(route)}(/.*)$ $1 break;",
            *_proxy(upstream, "                ", uri=""),
            "            }",
        ]
    lines += [
        # Prometheus scrapes the services directly; not for the public.
        f"            location = {route}/metrics {{",
        "                return 404;",
        "            }",
        # the document names where its operations are served: this route
        f"            location = {route}/openapi.json {{",
        '                proxy_set_header Accept-Encoding "";',
        f'                sub_filter \'{{"openapi":\' \'{{"servers":[{{"url":"{route}"}}],'
        '"openapi":\';',
        "                sub_filter_once on;",
        "                sub_filter_types application/json;",
        *_proxy(upstream, "                ", uri="/openapi.json"),
        "            }",
        "        }",
    ]
    return lines


def _portal_location(layout: Layout) -> list[str]:
    """Issue 20 item 2: everything not under ``/api/`` is the member portal's. It sends
    its own security headers (a CSP allowing its own styles), so only the request id and
    HSTS are added here. Its multipart forms (claim evidence, a message with its files)
    carry what the services' upload routes accept: the upload limit, not the JSON one."""
    if layout.portal_port is None:
        return ["        location / {", "            return 404;", "        }"]
    indent = "            "
    return [
        "        location / {",
        f"{indent}client_max_body_size {UPLOAD_BODY_BYTES};",
        *_proxy_headers(indent),
        f"{indent}add_header X-Request-ID $gateway_request_id always;",
        f"{indent}add_header Strict-Transport-Security $gateway_hsts always;",
        f"{indent}proxy_pass http://portal;",
        "        }",
    ]


def _server(layout: Layout, manifest: Manifest, *, tls: bool) -> list[str]:
    port = layout.https_port if tls else layout.http_port
    lines = ["    server {", f"        listen {layout.listen}:{port}{' ssl' if tls else ''};"]
    if tls:
        lines += [
            f"        ssl_certificate {layout.certificate};",
            f"        ssl_certificate_key {layout.key};",
            "        ssl_protocols TLSv1.2 TLSv1.3;",
            "        ssl_prefer_server_ciphers off;",
            "        ssl_session_cache shared:gateway_tls:1m;",
        ]
    lines.append(f"        client_max_body_size {JSON_BODY_BYTES};")
    for limit in RATE_LIMITS:
        lines.append(f"        limit_req zone={limit.zone} burst={limit.burst} nodelay;")
    for status, (name, _) in PROBLEMS.items():
        lines.append(f"        error_page {status} {name};")
    lines.append("        error_page 503 504 @unavailable;")
    for name, route in gateway_routes(manifest).items():
        lines += _service_locations(name, route)
    page = _index_page(manifest)
    lines += [
        "        location = /api {",
        "            return 301 /api/;",
        "        }",
        "        location = /api/ {",
        "            default_type text/html;",
        *_security_headers("            "),
        f"            return 200 {_q(page)};",
        "        }",
        # no service of that name: the APIs' 404 problem, never the portal's page
        "        location /api/ {",
        "            return 404;",
        "        }",
        *_portal_location(layout),
    ]
    for status, (name, body) in PROBLEMS.items():
        lines += [
            f"        location {name} {{",
            "            default_type application/problem+json;",
        ]
        if status == 429:
            lines.append("            add_header Retry-After $gateway_retry_after always;")
        lines += [*_security_headers("            "), f"            return {status} {_q(body)};"]
        lines.append("        }")
    lines.append("    }")
    return lines


def render(layout: Layout, manifest: Manifest | None = None) -> str:
    """The whole ``nginx.conf``: a master process in the foreground (the platform's child),
    one worker, files only under ``layout``'s folders."""
    manifest = manifest or load()
    temp = layout.runtime_dir / "temp"
    user = [f"user {layout.worker_user};"] if layout.worker_user else []
    access_format = json.dumps(
        {
            "time": "$time_iso8601",
            "request_id": "$gateway_request_id",
            "traceparent": "$gateway_traceparent",
            "client": "$remote_addr",
            "method": "$request_method",
            "uri": "$request_uri",
            "status": "$status",
            "bytes_in": "$request_length",
            "bytes_out": "$bytes_sent",
            "duration": "$request_time",
            "upstream": "$upstream_addr",
            "upstream_duration": "$upstream_response_time",
            "tls": "$ssl_protocol",
            "user_agent": "$http_user_agent",
        },
        separators=(",", ":"),
    )
    lines = [
        "# Generated by infra/gateway/config.py from services.toml: do not edit.",
        *user,
        "daemon off;",
        "master_process on;",
        "worker_processes 1;",
        f"pid {layout.pid_file};",
        f"error_log {layout.error_log} warn;",
        "events {",
        "    worker_connections 1024;",
        "}",
        "http {",
        "    server_tokens off;",
        "    absolute_redirect off;",
        "    default_type application/octet-stream;",
        f"    client_body_temp_path {temp / 'client_body'};",
        f"    proxy_temp_path {temp / 'proxy'};",
        f"    fastcgi_temp_path {temp / 'fastcgi'};",
        f"    uwsgi_temp_path {temp / 'uwsgi'};",
        f"    scgi_temp_path {temp / 'scgi'};",
        f"    log_format gateway escape=json {_q(access_format)};",
        f"    access_log {layout.access_log} gateway;",
        "    client_body_timeout 30s;",
        "    client_header_timeout 15s;",
        "    keepalive_timeout 30s;",
        "    client_body_buffer_size 256k;",
        "    limit_req_status 429;",
        "    limit_req_log_level warn;",
        "    proxy_http_version 1.1;",
        f"    proxy_bind {PROXY_ADDRESS};",
        "    proxy_connect_timeout 5s;",
        "    proxy_read_timeout 60s;",
        "    proxy_send_timeout 60s;",
        "    proxy_redirect off;",
        *_maps(RATE_LIMITS),
    ]
    for name in gateway_routes(manifest):
        lines += [
            f"    upstream svc_{name} {{",
            f"        server 127.0.0.1:{layout.upstreams[name]};",
            "        keepalive 8;",
            "    }",
        ]
    if layout.portal_port is not None:
        lines += [
            "    upstream portal {",
            f"        server 127.0.0.1:{layout.portal_port};",
            "        keepalive 8;",
            "    }",
        ]
    lines += _server(layout, manifest, tls=False)
    lines += _server(layout, manifest, tls=True)
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    """Print the configuration ``make run`` uses (contract ports, the platform's folders)."""
    from infra.gateway.process import platform_layout

    manifest = load()
    sys.stdout.write(render(platform_layout({s.name: s.port for s in manifest.services})))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
