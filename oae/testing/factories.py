"""factory_boy factories shared by every domain's tests."""

from decimal import Decimal

import factory
from allauth.account.models import EmailAddress

from oae.accounts.models import User
from oae.network.models import Membership, Municipality, Office, OfficeRole, OfficeStatus

TEST_PASSWORD = "correct-horse-battery-staple-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["ine_code"]

    ine_code = factory.Sequence(lambda n: f"08{500 + n % 500:03d}")  # 08500–08999, 5 digits
    name = factory.Sequence(lambda n: f"Municipi {n}")
    comarca = "Barcelonès"
    population = 50000
    population_year = 2021
    latitude = Decimal("41.400000")
    longitude = Decimal("2.150000")


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"OAE {n}")
    address = "Plaça de la Vila, 1"
    postal_code = "08001"
    phone = "+34 934 02 70 00"
    email = factory.Sequence(lambda n: f"oae{n}@example.org")
    status = OfficeStatus.OPEN
    languages = factory.LazyFunction(lambda: ["ca", "es"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    office = factory.SubFactory(OfficeFactory)
    role = OfficeRole.ADVISOR
