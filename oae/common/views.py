"""Public pages that belong to no single domain: the home page and the health check."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from oae.network.selectors import municipalities_with_open_offices, public_open_offices


def home(request):
    municipality = request.GET.get("municipality", "").strip()[:5]
    offices = public_open_offices(municipality=municipality)
    municipalities = municipalities_with_open_offices()
    return render(
        request,
        "common/home.html",
        {
            "offices": offices,
            "municipalities": municipalities,
            "selected": municipality,
        },
    )


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means the database is down
        database = f"error: {type(error).__name__}"
    healthy = database == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database, "vendor": connection.vendor},
        status=200 if healthy else 503,
    )
