"""Demo results of the tools: a legal-form advice Sant Boi's advisor kept with Marta Vila, and
a business model canvas the demo citizen sent to Sant Boi. Idempotent."""

from oae.accounts.models import User
from oae.crm.models import Person
from oae.network.models import Office
from oae.tools import results
from oae.tools.models import ToolResult

CANVAS = {
    "title": "Taller de bicicletes del barri",
    "segments": "Veïns que van a la feina en bici\nEscoles i casals d'estiu",
    "value": "Reparacions el mateix dia\nRevisió anual a preu tancat",
    "channels": "Botiga a peu de carrer\nXarxes socials del barri",
    "relationships": "Tracte de proximitat\nAvís per WhatsApp quan la bici està llesta",
    "revenue": "Reparacions\nVenda de recanvis\nQuota anual de manteniment",
    "resources": "Local de 60 m²\nEines de taller\nDues persones formades",
    "activities": "Reparar i revisar bicis\nComprar recanvis bé",
    "partners": "Distribuïdor de recanvis\nAjuntament (carril bici)",
    "costs": "Lloguer (fix)\nSous (fix)\nRecanvis (variable)",
}
ADVICE = {
    "founders": 2,
    "limited_liability": True,
    "expected_profit": "30000",
    "capital": "6000",
    "cooperative_model": True,
    "investors": False,
    "professional": False,
}


def tools_demo_load() -> bool:
    sant_boi = Office.objects.get(name__contains="Sant Boi")
    advisor = User.objects.get(email="tecnic.santboi@xarxa-oae.example")
    marta = Person.objects.get(email="marta.vila@example.org")
    citizen = User.objects.get(email="emprenedora@example.org")
    added = False
    if not ToolResult.objects.filter(person=marta, tool="legal_form").exists():
        results.keep(actor=advisor, tool="legal_form", data=ADVICE, person=marta)
        added = True
    if not ToolResult.objects.filter(owner=citizen, title=CANVAS["title"]).exists():
        canvas = results.keep_mine(user=citizen, tool="canvas", data=CANVAS)
        results.send_to_office(
            user=citizen,
            result=canvas,
            office=sant_boi,
            message="Voldria parlar-ne amb algú de l'oficina abans de llogar el local.",
        )
        added = True
    return added
