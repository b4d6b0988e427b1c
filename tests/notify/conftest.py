"""A real SMTP server on loopback (aiosmtpd), and traders who have e-mail addresses."""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

from furima.accounts.services import user_create

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@dataclass
class Inbox:
    """An aiosmtpd handler keeping every message it accepts."""

    messages: list[email.message.EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


def free_port() -> int:
    """A loopback port nothing listens on (until someone binds it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    def __init__(self, settings) -> None:
        self.settings = settings
        self.inbox = Inbox()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(settings):
    """An SMTP server on 127.0.0.1 that Django's SMTP backend is pointed at, not yet started
    (so a test can first see delivery fail): call `.start()`; `.inbox.messages` has the mail."""
    server = SmtpServer(settings)
    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def seller(db):
    """A seller with an e-mail address (the suite's `make_user` gives none)."""
    return user_create(username="hanako", email="hanako@example.test", display_name="花子")


@pytest.fixture
def buyer(db):
    return user_create(username="taro", email="taro@example.test", display_name="太郎")
