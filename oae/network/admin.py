from django.contrib import admin

from oae.network.models import Membership, Municipality, Office, OpeningPeriod


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["ine_code", "name", "comarca", "population"]
    search_fields = ["ine_code", "name", "comarca"]


class OpeningPeriodInline(admin.TabularInline):
    model = OpeningPeriod
    extra = 0


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "status"]
    list_filter = ["status", "municipality"]
    search_fields = ["name", "municipality__name"]
    inlines = [OpeningPeriodInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "office", "role", "is_active"]
    list_filter = ["role", "is_active", "office"]
    search_fields = ["user__email", "office__name"]
    raw_id_fields = ["user", "invited_by"]
