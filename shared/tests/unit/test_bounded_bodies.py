"""Bounded bodies (issue 15 item 5): every route refuses a body above its limit while it
is read (Content-Length up front, a stream counted as it arrives), before the JSON or
multipart parser sees it, with 413 problem+json; an upload without a valid bearer token
is refused 401 before one byte of its body is read. Driven through the ASGI app and
through a real uvicorn server on loopback, with 50 MiB streams."""

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import APIRouter, FastAPI, UploadFile
from mylm_shared.auth import CurrentPrincipal
from mylm_shared.bodies import BoundedInput
from mylm_shared.inputs import InputModel
from mylm_shared.problems import install_problem_handlers
from starlette.types import Message, Receive, Scope, Send

from testkit.polling import eventually
from testkit.tokens import TokenMint

KIB = 1024
MIB = 1024 * KIB
JSON_LIMIT = 256 * KIB
UPLOAD_LIMIT = 10 * MIB + 64 * KIB
STREAM = 50 * MIB
CHUNK = 64 * KIB


class Note(InputModel):
    text: str


@dataclass
class Store:
    notes: list[str] = field(default_factory=list)
    files: list[int] = field(default_factory=list)


@dataclass
class Counting:
    """Outside the middleware: counts what the app pulled from the server (or the
    client, through the ASGI transport) by ``receive``."""

    app: Any
    received: int = 0
    reads: int = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                self.reads += 1
                self.received += len(message.get("body", b""))
            return message

        await self.app(scope, counted, send)


def build(tokens: TokenMint, store: Store) -> tuple[FastAPI, Counting]:
    router = APIRouter()

    @router.post("/v1/notes", status_code=201)
    async def add_note(note: Note, principal: CurrentPrincipal) -> dict[str, str]:
        store.notes.append(note.text)
        return {"stored": "yes"}

    @router.post("/v1/claims/{claim_id}/documents", status_code=201)
    async def upload(
        claim_id: str, file: UploadFile, principal: CurrentPrincipal
    ) -> dict[str, int]:
        content = await file.read()
        store.files.append(len(content))
        return {"size": len(content)}

    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(router)  # included routers are resolved by the middleware too
    app.state.runtime = SimpleNamespace(token_verifier=tokens.verifier())
    app.add_middleware(
        BoundedInput,
        json_limit=JSON_LIMIT,
        upload_limit=UPLOAD_LIMIT,
        verifier=lambda: app.state.runtime.token_verifier,
    )
    counting = Counting(app)
    return app, counting


@dataclass
class Stream:
    """A body of ``total`` bytes sent as it is asked for (no Content-Length)."""

    total: int
    prefix: bytes = b""
    yielded: int = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self.prefix:
            self.yielded += len(self.prefix)
            yield self.prefix
        while self.yielded < self.total:
            self.yielded += CHUNK
            yield b"x" * CHUNK


def multipart_stream(total: int) -> tuple[Stream, dict[str, str]]:
    boundary = "mylmboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
    ).encode()
    return Stream(total, prefix=head), {"content-type": f"multipart/form-data; boundary={boundary}"}


@pytest.fixture
def tokens() -> TokenMint:
    return TokenMint()


@pytest.fixture
async def served(tokens: TokenMint) -> AsyncIterator[tuple[httpx.AsyncClient, Counting, Store]]:
    store = Store()
    _, counting = build(tokens, store)
    transport = httpx.ASGITransport(app=counting)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        yield client, counting, store


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


async def test_a_streamed_50_mib_json_body_is_cut_at_the_limit(
    served: tuple[httpx.AsyncClient, Counting, Store], tokens: TokenMint
) -> None:
    """Issue 15 item 5: no Content-Length; the route reads at most the limit plus one
    chunk, answers 413 problem+json, and nothing is stored."""
    client, counting, store = served
    stream = Stream(STREAM, prefix=b'{"text": "')
    response = await client.post(
        "/v1/notes",
        content=stream,
        headers={**tokens.member("m-1"), "content-type": "application/json"},
    )
    body = assert_problem(response, 413)
    assert str(JSON_LIMIT) in body["detail"]
    assert counting.received <= JSON_LIMIT + CHUNK
    assert stream.yielded <= JSON_LIMIT + 2 * CHUNK  # the client was not drained either
    assert store.notes == []


async def test_a_streamed_50_mib_upload_is_cut_at_the_upload_limit(
    served: tuple[httpx.AsyncClient, Counting, Store], tokens: TokenMint
) -> None:
    """Issue 15 item 5: evidence uploads get 10 MiB (and the envelope), not 50; the
    multipart parser never spools more than that; nothing is stored."""
    client, counting, store = served
    stream, headers = multipart_stream(STREAM)
    response = await client.post(
        "/v1/claims/c-1/documents", content=stream, headers={**tokens.member("m-1"), **headers}
    )
    assert_problem(response, 413)
    assert UPLOAD_LIMIT < counting.received <= UPLOAD_LIMIT + CHUNK + len(stream.prefix)
    assert stream.yielded < STREAM
    assert store.files == []


@pytest.mark.parametrize(
    "authorization", [None, "Bearer not-a-token", "Basic dXNlcjpwYXNz", "Bearer "]
)
async def test_an_unauthenticated_50_mib_upload_is_refused_before_its_body_is_read(
    served: tuple[httpx.AsyncClient, Counting, Store], authorization: str | None
) -> None:
    """Issue 15 item 5: 401 problem+json with a challenge, and not one read of the
    body (the token is verified from the headers, before the multipart parse)."""
    client, counting, store = served
    stream, headers = multipart_stream(STREAM)
    if authorization is not None:
        headers["authorization"] = authorization
    response = await client.post("/v1/claims/c-1/documents", content=stream, headers=headers)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert (counting.reads, counting.received, stream.yielded) == (0, 0, 0)
    assert store.files == []


async def test_a_declared_length_above_the_limit_is_refused_before_reading(
    served: tuple[httpx.AsyncClient, Counting, Store], tokens: TokenMint
) -> None:
    """Issue 15 item 5: Content-Length is checked up front (JSON route: 256 KiB)."""
    client, counting, store = served
    body = b'{"text": "' + b"x" * JSON_LIMIT + b'"}'
    response = await client.post(
        "/v1/notes",
        content=body,
        headers={**tokens.member("m-1"), "content-type": "application/json"},
    )
    assert_problem(response, 413)
    assert (counting.reads, store.notes) == (0, [])


async def test_bodies_within_the_limits_are_served(
    served: tuple[httpx.AsyncClient, Counting, Store], tokens: TokenMint
) -> None:
    """The limits refuse only what is above them: a 200 KiB note, a 9 MiB file (also
    streamed without a Content-Length)."""
    client, _, store = served
    note = await client.post(
        "/v1/notes", json={"text": "x" * 200 * KIB}, headers=tokens.member("m-1")
    )
    assert note.status_code == 201, note.text
    stream, headers = multipart_stream(9 * MIB)
    tail = f"\r\n--{headers['content-type'].split('=')[1]}--\r\n".encode()

    async def with_tail() -> AsyncIterator[bytes]:
        async for chunk in stream:
            yield chunk
        yield tail

    upload = await client.post(
        "/v1/claims/c-1/documents",
        content=with_tail(),
        headers={**tokens.member("m-1"), **headers},
    )
    assert upload.status_code == 201, upload.text
    assert store.notes == ["x" * 200 * KIB]
    assert store.files == [upload.json()["size"]]


async def test_control_characters_in_json_text_are_a_422_not_stored(
    served: tuple[httpx.AsyncClient, Counting, Store], tokens: TokenMint
) -> None:
    """Issue 15 item 5: U+0000 in a JSON text field (as Schemathesis sent to login)."""
    client, _, store = served
    response = await client.post(
        "/v1/notes", json={"text": "jan\u0000"}, headers=tokens.member("m-1")
    )
    body = assert_problem(response, 422)
    assert [(e["location"], e["type"]) for e in body["errors"]] == [
        (["body", "text"], "control_character")
    ]
    assert store.notes == []


@pytest.fixture
async def uvicorn_server(
    tokens: TokenMint,
) -> AsyncIterator[tuple[str, Counting, Store]]:
    store = Store()
    _, counting = build(tokens, store)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(counting, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:

        async def started() -> bool:
            return bool(server.started)

        await eventually(started, within=10, interval=0.01, what="uvicorn listening")
        yield f"http://127.0.0.1:{port}", counting, store
    finally:
        server.should_exit = True
        await task


async def test_a_real_server_reads_at_most_the_limit_of_a_50_mib_stream(
    uvicorn_server: tuple[str, Counting, Store], tokens: TokenMint
) -> None:
    """Issue 15 item 5, over TCP: uvicorn hands the app at most the limit (plus what it
    buffered) of a chunked 50 MiB upload, the answer is 413, and nothing is stored. (The
    client writes its whole body before reading an answer; the server discards the rest
    as it arrives, without buffering it.)"""
    url, counting, store = uvicorn_server
    stream, headers = multipart_stream(STREAM)
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        response = await client.post(
            "/v1/claims/c-1/documents",
            content=stream,
            headers={**tokens.member("m-1"), **headers},
        )
    assert_problem(response, 413)
    # uvicorn hands over what it buffered (up to a few hundred KiB) in one message.
    assert UPLOAD_LIMIT < counting.received <= UPLOAD_LIMIT + MIB
    assert store.files == []


async def test_a_real_server_refuses_an_anonymous_50_mib_upload_unread(
    uvicorn_server: tuple[str, Counting, Store],
) -> None:
    """Issue 15 item 5, over TCP: 401 and the app never asked for one byte of the body:
    nothing was spooled or parsed."""
    url, counting, store = uvicorn_server
    stream, headers = multipart_stream(STREAM)
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        response = await client.post("/v1/claims/c-1/documents", content=stream, headers=headers)
    assert_problem(response, 401)
    assert (counting.reads, counting.received) == (0, 0)
    assert store.files == []
