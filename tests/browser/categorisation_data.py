"""The real data behind the categorisation walk: the Hampshire and Surrey primary schools of the
GIAS download of 20 April 2022 on the register, the board's default rules adopted, and a
headteacher of a real Hampshire school whose 2018/19 KS2 results put it in a category of concern.

Only the 2018/19 KS2 file for Hampshire (850) is uploaded in the walk: its own year's results, and
the 2016/17 and 2017/18 headline columns the file repeats (prior-year columns), and no Ofsted
data. In 2018/19 Vigo Primary School (115970) then has 30% of pupils at the
expected standard in reading, writing and maths against England's 65% (35 points below: 3
points), reading progress -5.3 and maths -6.2 (below the former floor of -5: 3 points each) and
writing -5.7 (below the former coasting level of -3.5 only: 1 point): 10 points, which is
Intensive support (10 or more) in the medium support band (9 to 11), and the former KS2 floor
trigger fires (under 65% with progress below the floor); tests/categorisation/
test_default_rules_real_schools.py checks it by hand with three years of data. With the file's
prior-year columns one other Hampshire school (Ecchinswell and Sydmonton, 116285) is in
Intensive support too.
"""

from __future__ import annotations

from categorisation.default_rules import default_rules_load
from partnership.models import Role
from schools.gias_import import gias_import
from schools.models import School
from tests.conftest import SHARED_DATA
from tests.factories import MembershipFactory, RoleAssignmentFactory, UserFactory

GIAS_2022 = SHARED_DATA / "gias" / "gias_20220420_hampshire850_surrey936_primaryphase.csv"
KS2_2019 = SHARED_DATA / "ks2" / "2018-2019_850_ks2final.csv"

VIGO = ("Vigo Primary School", 115970)
# Another real Hampshire school, in no category of concern, that the headteacher must not see.
HYTHE = ("Hythe Primary School", 115916)
HEAD_EMAIL = "head.vigo@example.org"

# What the default rules make of the 2018/19 KS2 file, found by running them (and checked
# against the hand-worked schools above): schools by computed category. Surrey's schools, the
# Hampshire schools without 2018/19 results and the four made-up schools of the `world` fixture
# have insufficient data.
COMPUTED = {
    "1: Universal support": 230,
    "2: Monitor": 49,
    "3: Focused support": 9,
    "4: Intensive support": 2,
    "Insufficient data": 442,
}
SCHOOLS = sum(COMPUTED.values())


def hampshire_register_create(world) -> School:
    """The real register with the default rules adopted; Vigo Primary joins the world's
    Andover Cluster (North Alliance). Returns Vigo Primary School."""
    result = gias_import(data=GIAS_2022.read_bytes())
    assert not result.errors, result.errors[:3]
    default_rules_load()
    vigo = School.objects.get(urn=VIGO[1])
    MembershipFactory(school=vigo, cluster=world.cluster_a1)
    return vigo


def vigo_headteacher_create(vigo: School):
    """The headteacher persona of Vigo Primary School."""
    user = UserFactory(email=HEAD_EMAIL)
    RoleAssignmentFactory(user=user, role=Role.HEADTEACHER, school=vigo)
    return user
