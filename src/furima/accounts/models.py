"""Users. A custom user model from the first migration, so the project can grow its own
fields (display name, verified e-mail, rating counts) without a painful swap later."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=50, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.username
