"""The project's foundation: settings come from the environment and the user model is ours."""

from django.conf import settings
from django.contrib.auth import get_user_model


def test_the_user_model_is_furimas_own():
    assert settings.AUTH_USER_MODEL == "accounts.User"


def test_passwords_are_hashed_with_argon2(db):
    user = get_user_model().objects.create_user("hanako", password="correct horse battery")
    assert user.password.startswith("argon2")
    assert user.check_password("correct horse battery")


def test_rules_are_evaluated_in_tokyo():
    assert settings.TIME_ZONE == "Asia/Tokyo"
    assert settings.USE_TZ is True
