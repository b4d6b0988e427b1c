"""Users. A custom user model from the first migration, so the project can grow its own
fields (display name, verified e-mail, rating counts) without a painful swap later."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=50, blank=True)

    class Meta(AbstractUser.Meta):
        constraints = (
            # One account per address, whatever its case (accounts may have none).
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="user_email_unique"
            ),
        )

    def __str__(self) -> str:
        return self.display_name or self.username


class Profile(models.Model):
    """What a user shows other traders. Rating counts are not stored here: they are counted
    from the trades' ratings (`furima.trades.selectors.rating_counts`), so a popular seller
    has no single row that every one of their trades must lock to finish."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    bio = models.TextField(_("self-introduction"), max_length=1000, blank=True)

    def __str__(self) -> str:
        return f"profile of {self.user}"


class ApiToken(models.Model):
    """A bearer token for the HTTP API. Only a digest is stored: the token itself is shown
    once, when it is made (the web page or `furima api_token create USERNAME`). A token
    works until it expires, is revoked, or its user's password changes (see
    `furima.accounts.tokens`)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    password_fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)  # empty: until revoked
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"API token {self.name or self.pk} of {self.user}"
