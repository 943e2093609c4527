from django.contrib import admin

from oae.reference.models import CnaeActivity


@admin.register(CnaeActivity)
class CnaeActivityAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "title_ca"]
    list_filter = ["level"]
    search_fields = ["code", "title_ca", "title_es"]
