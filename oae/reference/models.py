"""Reference data shipped with the project: CNAE-2009 and the municipalities of Spain."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from oae.reference.municipalities import natural_name, province_name


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


class SpanishMunicipality(models.Model):
    """A municipality anywhere in Spain (INE's code dictionary), where a client may live.
    Names as INE writes them ("Hospitalet de Llobregat, L'"); `oae.reference.municipalities`
    recognises them as offices write them. A network town links to its network record."""

    ine_code = models.CharField(_("INE code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    province_code = models.CharField(_("province code"), max_length=2)
    province = models.CharField(_("province"), max_length=50)
    network_municipality = models.OneToOneField(
        "network.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("network municipality"),
    )

    class Meta:
        ordering = ["ine_code"]
        verbose_name = _("municipality of Spain")
        verbose_name_plural = _("municipalities of Spain")

    def __str__(self) -> str:
        return f"{self.display_name} ({province_name(self.province)})"

    @property
    def display_name(self) -> str:
        """The name as it is read: "L'Hospitalet de Llobregat"."""
        return natural_name(self.name)

    @property
    def in_network(self) -> bool:
        return self.network_municipality_id is not None
