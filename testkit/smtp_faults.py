"""An SMTP-aware loopback proxy in front of a real SMTP server (Mailpit) that refuses
chosen recipients with the reply a test gives (issue 19 item 6): ``452`` (mailbox full,
try later) a number of times, or ``550`` (no such user) for good, while every other
command and recipient goes to the real server. Like ``testkit.tcp_proxy``, it gives one
test's notify-svc its faults without touching the server shared by everyone else.

SMTP without pipelining (aiosmtplib sends one command and waits for its reply): a
refused ``RCPT TO`` is answered here and never reaches the server; the client's ``RSET``
that follows is forwarded as usual."""

import asyncio
import contextlib
from dataclasses import dataclass

from testkit.services import free_port


@dataclass
class Refusal:
    reply: str  # e.g. "452 4.2.2 Mailbox full"
    times: int | None  # None: every time

    def take(self) -> bool:
        if self.times is None:
            return True
        if self.times <= 0:
            return False
        self.times -= 1
        return True


class SmtpFaults:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.port = free_port()
        self._target = (target_host, target_port)
        self._server: asyncio.Server | None = None
        self._refusals: dict[str, Refusal] = {}
        self.refused: list[tuple[str, str]] = []  # (address, reply) as answered
        self._tasks: set[asyncio.Task[None]] = set()

    def refuse(self, address: str, reply: str, times: int | None = None) -> None:
        """Answer ``RCPT TO:<address>`` with ``reply`` (``times`` times; None: always)."""
        self._refusals[address.casefold()] = Refusal(reply, times)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._session, "127.0.0.1", self.port)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self._target)

        async def replies() -> None:
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                while data := await up_reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            writer.close()

        task = asyncio.create_task(replies())
        self._tasks.add(task)
        in_data = False
        try:
            while line := await reader.readline():
                if in_data:
                    in_data = line not in (b".\r\n", b".\n")
                elif (refusal := self._refusal(line)) is not None:
                    writer.write(refusal.encode() + b"\r\n")
                    await writer.drain()
                    continue
                elif line.strip().upper() == b"DATA":
                    in_data = True
                up_writer.write(line)
                await up_writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            up_writer.close()
            task.cancel()
            self._tasks.discard(task)

    def _refusal(self, line: bytes) -> str | None:
        text = line.decode("utf-8", "replace").strip()
        if not text.upper().startswith("RCPT TO:"):
            return None
        address = text[8:].strip().split(" ", 1)[0].strip("<>").casefold()
        refusal = self._refusals.get(address)
        if refusal is None or not refusal.take():
            return None
        self.refused.append((address, refusal.reply))
        return refusal.reply

    async def aclose(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for task in list(self._tasks):
            task.cancel()
