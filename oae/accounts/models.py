"""People who sign in: staff of the network and citizens, identified by e-mail."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from oae.scoping import NetworkRole

NAME_MAX_LENGTH = 150


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    username = None
    first_name = models.CharField(_("first name"), max_length=NAME_MAX_LENGTH, blank=True)
    last_name = models.CharField(_("surnames"), max_length=NAME_MAX_LENGTH, blank=True)
    email = models.EmailField(_("e-mail address"), unique=True)
    network_role = models.CharField(
        _("network role"), max_length=20, choices=NetworkRole.choices, blank=True, default=""
    )
    language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    demo_mfa_enrolled = models.BooleanField(
        _("counted as MFA-enrolled (demo only)"),
        default=False,
        help_text=_("Honoured only where MFA_DEMO_ENROLMENT_ALLOWED is on; never in production."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email
