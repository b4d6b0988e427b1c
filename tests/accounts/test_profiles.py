"""Users have a profile and a summary of the ratings other traders gave them."""

from __future__ import annotations

import pytest

from furima.accounts.models import Profile
from furima.accounts.selectors import profile_get
from furima.accounts.services import profile_update, user_create
from furima.errors import FurimaError
from furima.trades.selectors import rating_counts


def test_a_new_user_gets_an_empty_profile(db):
    user = user_create(username="hanako", display_name="花子")

    assert Profile.objects.get(user=user).bio == ""


def test_a_user_without_ratings_has_zero_of_each(db):
    counts = rating_counts(user=user_create(username="taro"))

    assert (counts.good, counts.normal, counts.bad, counts.total) == (0, 0, 0, 0)


def test_a_profile_is_written_even_for_users_made_elsewhere(db, django_user_model):
    user = django_user_model.objects.create_user("admin-made")

    profile_update(user=user, bio="よろしくお願いします")

    assert profile_get(user=user).bio == "よろしくお願いします"


def test_a_long_self_introduction_is_refused(db):
    user = user_create(username="jiro")
    with pytest.raises(FurimaError) as raised:
        profile_update(user=user, bio="あ" * 1001)
    assert raised.value.code == "invalid_input"
