"""Small factory-boy factories for the register, the tiers and people."""

import factory

from clusters.models import Cluster, ClusterMembership
from partnership.models import Alliance, Partnership, Role, RoleAssignment, User
from schools.models import Phase, School, Status, Trust, TypeGroup


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    # Fixed names (no apostrophes to escape in HTML), so page assertions are deterministic.
    first_name = factory.Iterator(["Amira", "Ben", "Chloe", "Dev", "Ellen", "Femi", "Grace"])
    last_name = factory.Iterator(["Patel", "Jones", "Okafor", "Hughes", "Nowak", "Taylor"])
    password = factory.django.Password("correct horse battery staple")


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trust

    name = factory.Sequence(lambda n: f"TRUST {n}")
    trust_type = Trust.TrustType.MULTI_ACADEMY


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: 900000 + n)
    name = factory.Sequence(lambda n: f"School {n} Primary")
    la_code = "850"
    la_name = "Hampshire"
    establishment_type = "Community school"
    type_group = TypeGroup.LA_MAINTAINED
    phase = Phase.PRIMARY
    gias_phase = "Primary"
    status = Status.OPEN
    statutory_low_age = 4
    statutory_high_age = 11
    number_of_pupils = 210
    postcode = factory.Sequence(lambda n: f"SO{n % 50} 1AA")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = "Hampshire School Improvement Partnership"
    la_codes = ["850"]


class AllianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alliance

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Alliance {n}")


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    alliance = factory.SubFactory(AllianceFactory)
    name = factory.Sequence(lambda n: f"Cluster {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterMembership

    school = factory.SubFactory(SchoolFactory)
    cluster = factory.SubFactory(ClusterFactory)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.OFFICER
