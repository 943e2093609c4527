"""The satisfaction survey, answered from the e-mail link without signing in."""

from django.core.exceptions import ValidationError
from django.shortcuts import render

from oae.cases.forms import SurveyForm
from oae.cases.surveys import SurveyLinkError, survey_answer, survey_from_token


def survey(request, token: str):
    try:
        pending = survey_from_token(token)
    except SurveyLinkError as error:
        return render(request, "cases/survey_done.html", {"message": str(error)}, status=410)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey_answer(token=token, **form.cleaned_data)
            return render(request, "cases/survey_done.html", {"thanks": True})
        except SurveyLinkError as error:
            return render(request, "cases/survey_done.html", {"message": str(error)}, status=410)
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "cases/survey.html", {"form": form, "office": pending.office})
