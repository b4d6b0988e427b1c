"""Sessions live where every web process reads them: a logout in one process is seen by the
next request to any other, at once (no per-process cache holding the old session)."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessions

from tests.clients import signed_in
from tests.factories import make_user


def test_a_logout_in_another_process_is_seen_at_once(db):
    browser = signed_in(make_user("hanako"))
    assert browser.get("/mypage/").status_code == 200  # this process has read the session

    # Another web process logs the user out: it deletes the session from the database (and
    # from nothing this process holds).
    DatabaseSessions(session_key=browser.session.session_key).delete()

    response = browser.get("/mypage/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_logout_ends_the_session_in_the_database(db):
    browser = signed_in(make_user("taro"))
    key = browser.session.session_key

    browser.post("/accounts/logout/")

    assert not DatabaseSessions().exists(key)
