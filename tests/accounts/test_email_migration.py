"""Migration accounts/0005 makes e-mail addresses unique (ignoring case). On a database where
two accounts already share one, `migrate` stops with one line naming the address, and changes
nothing; once each account has its own, it goes through."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("accounts", "0004_api_token_expiry_and_revocation")


@pytest.fixture
def before_unique_emails(transactional_db):
    call_command("migrate", *BEFORE, verbosity=0)
    try:
        state = MigrationExecutor(connection).loader.project_state([BEFORE])
        yield state.apps.get_model("accounts", "User")
    finally:
        call_command("migrate", verbosity=0)  # every app back to the newest


def test_migrate_names_the_shared_address_and_stops(before_unique_emails):
    User = before_unique_emails
    User.objects.create(username="hanako", email="Hanako@example.test", password="!")
    User.objects.create(username="hanako2", email="hanako@example.test", password="!")
    User.objects.create(username="taro", email="taro@example.test", password="!")

    with pytest.raises(CommandError, match=r"share an e-mail address.*hanako@example\.test"):
        call_command("migrate", "accounts", verbosity=0)

    assert User.objects.count() == 3  # nothing merged or changed
    User.objects.filter(username="hanako2").update(email="hanako.two@example.test")
    call_command("migrate", "accounts", verbosity=0)
