"""The public home page: the network's open offices, by municipality."""

from django.shortcuts import render

from oae.common.input import parsed
from oae.network.forms import HomeQueryForm
from oae.network.selectors import municipalities_with_open_offices, public_open_offices


def home(request):
    municipality = parsed(HomeQueryForm, request.GET)["municipality"]
    offices = public_open_offices(municipality=municipality)
    municipalities = municipalities_with_open_offices()
    return render(
        request,
        "network/home.html",
        {
            "offices": offices,
            "municipalities": municipalities,
            "selected": municipality,
        },
    )
