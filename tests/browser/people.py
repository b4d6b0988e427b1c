"""Signing people in to a browser context without typing (the login form has its own
test): a session made by Django's test client, handed to the browser as its cookie."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from playwright.sync_api import Page


def sign_in(page: Page, base: str, user) -> Page:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}]
    )
    return page
