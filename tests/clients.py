"""Test clients: a browser-like client already signed in as a user."""

from django.test import Client


def signed_in(user) -> Client:
    """A client with `user`'s session (force_login: no password hashing, no lockout)."""
    client = Client()
    client.force_login(user)
    return client
