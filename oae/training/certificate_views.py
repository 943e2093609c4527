"""Certificates: the holder's (and their manager's, the coordinators') downloads of the PDF
and of the signed credential; revocation by coordinators; and the public pages anyone reaches
from the QR code or with a credential in hand: the certified facts, and the check of a
presented credential."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from oae.common.feedback import refusals_on_form
from oae.scoping import Action, require, staff_required
from oae.training import access, certificates, credentials
from oae.training.forms import CredentialCheckForm, RevokeForm
from oae.training.selectors import certificate_by_public_id


def _filename(certificate, extension: str) -> str:
    """ "certificat-induction-1a2b3c4d.pdf": named in the reader's language, as the page is."""
    short_id = str(certificate.public_id)[:8]
    return f"{slugify(_('Certificate'))}-{certificate.facts['module_code']}-{short_id}.{extension}"


@staff_required
def certificate_pdf(request, public_id):
    certificate = access.get_certificate_or_404(request.user, public_id)
    response = HttpResponse(
        certificates.pdf_bytes(certificate, get_language()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(certificate, "pdf")}"'
    return response


@staff_required
def certificate_credential(request, public_id):
    """The Open Badges 3.0 credential as a VC-JWT file."""
    certificate = access.get_certificate_or_404(request.user, public_id)
    response = HttpResponse(certificate.credential, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="{_filename(certificate, "jwt")}"'
    return response


@staff_required
def certificate_revoke(request, public_id):
    require(request.user, Action.MANAGE_TRAINING)
    certificate = access.get_certificate_or_404(request.user, public_id)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            certificates.certificate_revoke(
                actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The certificate is revoked."))
            return redirect("certificates:verify", public_id=certificate.public_id)
    context = {
        "certificate": certificate,
        "facts": certificates.facts_in(certificate.facts, get_language()),
        "form": form,
    }
    return render(request, "training/certificate_revoke.html", context)


# Public -----------------------------------------------------------------------------------


@require_GET
def certificate_verify(request, public_id):
    """What the QR code opens: the certified facts themselves, and whether they still hold."""
    certificate = certificate_by_public_id(public_id)
    if certificate is None:
        raise Http404("No such certificate")
    context = {
        "certificate": certificate,
        "facts": certificates.facts_in(certificate.facts, get_language()),
        "may_revoke": request.user.is_authenticated and access.may_manage(request.user),
        "may_download": request.user.is_authenticated
        and access.certificates_for(request.user).filter(pk=certificate.pk).exists(),
    }
    return render(request, "training/certificate_verify.html", context)


def credential_check(request):
    """Anyone with a credential file (or its text) checks it against the network's key."""
    posted = request.method == "POST"
    form = CredentialCheckForm(request.POST, request.FILES) if posted else CredentialCheckForm()
    result = None
    if posted and form.is_valid():
        result = certificates.credential_check(form.token())
    context = {"form": form, "result": result}
    if result is not None and result.certificate is not None:
        context["facts"] = certificates.facts_in(result.certificate.facts, get_language())
    return render(request, "training/credential_check.html", context)


@require_GET
def issuer_profile(request):
    """The issuer's profile with the public key its credentials verify against."""
    profile = {
        "@context": credentials.CONTEXT,
        "id": certificates.issuer_url(),
        "type": ["Profile"],
        "name": settings.CREDENTIAL_ISSUER_NAME,
        "publicKey": {"keys": [credentials.public_jwk()]},
    }
    return JsonResponse(profile, json_dumps_params={"ensure_ascii": False, "indent": 2})
