"""Reference classifications shipped with the project (CNAE-2009)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CnaeLevel(models.TextChoices):
    SECTION = "section", _("section")
    DIVISION = "division", _("division")
    GROUP = "group", _("group")
    CLASS = "class", _("class")


class CnaeActivity(models.Model):
    code = models.CharField(_("code"), max_length=4, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=CnaeLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    title_ca = models.CharField(_("title (Catalan)"), max_length=300)
    title_es = models.CharField(_("title (Spanish)"), max_length=300)

    class Meta:
        ordering = ["code"]
        verbose_name = _("CNAE-2009 activity")
        verbose_name_plural = _("CNAE-2009 activities")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        """Spanish for Spanish readers, the Catalan CCAE title otherwise (no English source)."""
        return self.title_es if get_language() == "es" else self.title_ca
