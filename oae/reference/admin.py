from django.contrib import admin

from oae.reference.models import CnaeActivity, SpanishMunicipality


@admin.register(CnaeActivity)
class CnaeActivityAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "title_ca"]
    list_filter = ["level"]
    search_fields = ["code", "title_ca", "title_es"]


@admin.register(SpanishMunicipality)
class SpanishMunicipalityAdmin(admin.ModelAdmin):
    list_display = ["ine_code", "name", "province", "network_municipality"]
    list_filter = ["province"]
    search_fields = ["ine_code", "name"]
    list_select_related = ["network_municipality"]
