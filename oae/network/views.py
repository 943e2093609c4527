"""Staff screens of the network: overview, offices, staff, municipalities. Thin views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oae.common.concurrency import EditConflict
from oae.common.input import ListQueryForm, parsed
from oae.network import selectors, services
from oae.network.forms import (
    InvitationForm,
    MunicipalityForm,
    MunicipalitySearchForm,
    OfficeFilterForm,
    OfficeForm,
    OpeningPeriodFormSet,
    RoleForm,
    formset_initial,
    periods_from_formset,
)
from oae.network.selectors import get_office_or_404
from oae.scoping import Action, can, require, roles_in_office, staff_required

PAGE_SIZE = 25


@staff_required
def overview(request):
    filters = selectors.OfficeFilters.from_query(request.GET)
    overview = selectors.network_overview(user=request.user, filters=filters)
    filters_form = OfficeFilterForm(
        request.GET or None, municipalities=[m for m, _n in overview.municipality_counts]
    )
    number = parsed(ListQueryForm, request.GET)["page"]
    page = Paginator(overview.offices, PAGE_SIZE).get_page(number)
    context = {
        "overview": overview,
        "page": page,
        "filters_form": filters_form,
        "can_create_office": can(request.user, Action.CREATE_OFFICE),
        "sort_links": selectors.office_sort_links(filters.sort),
    }
    template = "network/_office_table.html" if request.htmx else "network/overview.html"
    return render(request, template, context)


@staff_required
def office_detail(request, public_id):
    office = selectors.office_with_details(get_office_or_404(request.user, public_id))
    context = {
        "office": office,
        "can_edit": can(request.user, Action.EDIT_OFFICE, office),
        "can_manage_staff": can(request.user, Action.MANAGE_STAFF, office),
        "my_roles": roles_in_office(request.user, office),
    }
    return render(request, "network/office_detail.html", context)


def _office_form_page(request, *, office, can_change_status):
    form = OfficeForm(request.POST or None, instance=office, can_change_status=can_change_status)
    periods = OpeningPeriodFormSet(
        request.POST or None,
        prefix="hours",
        initial=formset_initial(office) if office and request.method != "POST" else None,
    )
    if request.method == "POST" and form.is_valid() and periods.is_valid():
        try:
            return _save_office(request, office, form, periods_from_formset(periods))
        except EditConflict as conflict:
            form.add_error(None, str(conflict))
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request, "network/office_form.html", {"form": form, "periods": periods, "office": office}
    )


def _save_office(request, office, form, periods):
    if office is None:
        office = services.office_create(
            actor=request.user, data=form.office_data(), periods=periods
        )
        messages.success(request, _("The office has been created."))
    else:
        services.office_update(
            actor=request.user,
            office=office,
            data=form.office_data(),
            periods=periods,
            expected_version=form.cleaned_data["lock_version"],
        )
        messages.success(request, _("The office has been saved."))
    return redirect("network:office_detail", public_id=office.public_id)


@staff_required
def office_create(request):
    require(request.user, Action.CREATE_OFFICE)
    return _office_form_page(request, office=None, can_change_status=True)


@staff_required
def office_edit(request, public_id):
    office = get_office_or_404(request.user, public_id, Action.EDIT_OFFICE)
    can_change_status = can(request.user, Action.CHANGE_OFFICE_STATUS, office)
    return _office_form_page(request, office=office, can_change_status=can_change_status)


@staff_required
def office_staff(request, public_id):
    office = get_office_or_404(request.user, public_id, Action.MANAGE_STAFF)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_invite(actor=request.user, office=office, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
            return redirect("network:office_staff", public_id=office.public_id)
    office = selectors.office_with_details(office)
    return render(
        request,
        "network/office_staff.html",
        {"office": office, "form": form, "role_form": RoleForm()},
    )


def _membership_for_manager(request, public_id, membership_id):
    office = get_office_or_404(request.user, public_id, Action.MANAGE_STAFF)
    return selectors.membership_in_office_or_404(office=office, public_id=membership_id)


@require_POST
@staff_required
def membership_role(request, public_id, membership_id):
    membership = _membership_for_manager(request, public_id, membership_id)
    form = RoleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose one of the listed roles."))
        services.membership_change_role(
            actor=request.user, membership=membership, role=form.cleaned_data["role"]
        )
        messages.success(
            request,
            _("%(person)s is now %(role)s.")
            % {"person": membership.user.display_name, "role": membership.get_role_display()},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("network:office_staff", public_id=membership.office.public_id)


@staff_required
def membership_access(request, public_id, membership_id, active: bool):
    """GET asks for confirmation; POST deactivates or reactivates."""
    membership = _membership_for_manager(request, public_id, membership_id)
    if request.method != "POST":
        return render(
            request, "network/membership_confirm.html", {"membership": membership, "active": active}
        )
    try:
        services.membership_set_active(actor=request.user, membership=membership, active=active)
        text = (
            _("%(person)s can work at this office again.")
            if active
            else _("%(person)s no longer has access to this office.")
        )
        messages.success(request, text % {"person": membership.user.display_name})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("network:office_staff", public_id=membership.office.public_id)


@staff_required
def municipality_list(request):
    require(request.user, Action.VIEW_MUNICIPALITIES)
    query = parsed(MunicipalitySearchForm, request.GET)
    search = query["search"]
    municipalities = selectors.municipalities_with_office_counts(search=search)
    page = Paginator(municipalities, 50).get_page(query["page"])
    context = {
        "page": page,
        "search": search,
        "can_edit": can(request.user, Action.EDIT_MUNICIPALITY),
    }
    return render(request, "network/municipality_list.html", context)


@staff_required
def municipality_form(request, ine_code=None):
    require(request.user, Action.EDIT_MUNICIPALITY)
    municipality = selectors.municipality_or_404(ine_code) if ine_code else None
    form = MunicipalityForm(request.POST or None, instance=municipality)
    if request.method == "POST" and form.is_valid():
        services.municipality_save(
            actor=request.user, municipality=municipality, data=form.cleaned_data
        )
        messages.success(request, _("The municipality has been saved."))
        return redirect("network:municipality_list")
    return render(
        request, "network/municipality_form.html", {"form": form, "municipality": municipality}
    )
