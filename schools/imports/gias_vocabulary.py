"""The vocabulary of GIAS establishment downloads: column names, and what their values mean
in the register (type group, academy, status, phase, trust type).

Values are matched after folding case and punctuation, so the 2015 EduBase wording ("Free Schools
- 16-19", "All Through") matches today's GIAS wording ("Free schools 16 to 19", "All-through").
"""

from __future__ import annotations

import re

from schools.models import Phase, Status, Trust, TypeGroup

URN, NAME, TYPE, STATUS = (
    "URN",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
)
LA_CODE, LA_NAME, PHASE = "LA (code)", "LA (name)", "PhaseOfEducation (name)"
REQUIRED = [URN, NAME, TYPE, STATUS, LA_CODE, LA_NAME, PHASE]
TRUST, TRUST_FLAG, LINKS = "Trusts (name)", "TrustSchoolFlag (name)", "Linked establishments"
LOW_AGE, HIGH_AGE = "StatutoryLowAge", "StatutoryHighAge"

# Optional GIAS text columns and the School field each one fills.
TEXT_COLUMNS = {
    "EstablishmentNumber": "establishment_number",
    "Postcode": "postcode",
    "Town": "town",
    "DistrictAdministrative (name)": "district",
    "OfstedRating (name)": "ofsted_rating",
}
NUMBER_COLUMNS = {
    LOW_AGE: "statutory_low_age",
    HIGH_AGE: "statutory_high_age",
    "NumberOfPupils": "number_of_pupils",
    "Easting": "easting",
    "Northing": "northing",
}
DATE_COLUMNS = {
    "OpenDate": "open_date",
    "CloseDate": "close_date",
    "OfstedLastInsp": "ofsted_last_inspection",
    "LastChangedDate": "gias_last_changed",
}
# DfE's codes for a suppressed or not-applicable number (EduBase writes "x" for a tiny school):
# a missing value, not a malformed one.
SUPPRESSED = ["x", "c", "z", "u", "supp"]
NUMBER_LIMITS = {
    "statutory_low_age": 99,
    "statutory_high_age": 99,
    "number_of_pupils": 10**6,
    # The British National Grid: eastings under 700 km, northings under 1,300 km.
    "easting": 700_000,
    "northing": 1_300_000,
}

_LA, _ACADEMY, _FREE = TypeGroup.LA_MAINTAINED, TypeGroup.ACADEMY, TypeGroup.FREE_SCHOOL
_SPECIAL, _AP, _NURSERY = TypeGroup.SPECIAL, TypeGroup.ALTERNATIVE_PROVISION, TypeGroup.NURSERY

# State-funded establishment types as DfE counts them ("Schools, pupils and their
# characteristics": LA-maintained schools, academies and free schools of every kind, LA-maintained
# special schools), with our type group and whether concerns go to DfE (Dorset report 1.6).
STATE_FUNDED_TYPES: dict[str, tuple[str, bool]] = {
    "Community school": (_LA, False),
    "Voluntary aided school": (_LA, False),
    "Voluntary controlled school": (_LA, False),
    "Foundation school": (_LA, False),
    "Local authority nursery school": (_NURSERY, False),
    "LA nursery school": (_NURSERY, False),
    "Pupil referral unit": (_AP, False),
    "Community special school": (_SPECIAL, False),
    "Foundation special school": (_SPECIAL, False),
    "Academy converter": (_ACADEMY, True),
    "Academy sponsor led": (_ACADEMY, True),
    "Academy 16-19 converter": (_ACADEMY, True),
    "Academy 16 to 19 sponsor led": (_ACADEMY, True),
    "Academy secure 16 to 19": (_ACADEMY, True),
    "City technology college": (_ACADEMY, True),
    "Free schools": (_FREE, True),
    "Free schools 16 to 19": (_FREE, True),
    "University technical college": (_FREE, True),
    "Studio schools": (_FREE, True),
    "Academy special converter": (_SPECIAL, True),
    "Academy special sponsor led": (_SPECIAL, True),
    "Free schools special": (_SPECIAL, True),
    "Academy alternative provision converter": (_AP, True),
    "Academy alternative provision sponsor led": (_AP, True),
    "Free schools alternative provision": (_AP, True),
}
# Known GIAS types that are not state-funded schools: counted as skipped, never imported.
SKIPPED_TYPES = [
    "Other independent school",
    "Other independent special school",
    "Non-maintained special school",
    "Children's centre",
    "Children's centre linked site",
    "Further education",
    "Sixth form centres",
    "Higher education institutions",
    "Special post 16 institution",
    "Miscellaneous",
    "Secure units",
    "Offshore schools",
    "British schools overseas",
    "Welsh establishment",
    "Service children's education",
    "Institution funded by other government department",
    "Online provider",
]
STATUSES = {
    "Open": Status.OPEN,
    "Open, but proposed to close": Status.PROPOSED_TO_CLOSE,
    "Proposed to open": Status.PROPOSED_TO_OPEN,
    "Closed": Status.CLOSED,
}
PHASES = {
    "Not applicable": Phase.NOT_APPLICABLE,
    "Nursery": Phase.NURSERY,
    "Primary": Phase.PRIMARY,
    "Middle deemed primary": Phase.MIDDLE,
    "Secondary": Phase.SECONDARY,
    "Middle deemed secondary": Phase.MIDDLE,
    "16 plus": Phase.SIXTEEN_PLUS,
    "All-through": Phase.ALL_THROUGH,
}
TRUST_FLAGS = {
    "Supported by a multi-academy trust": Trust.TrustType.MULTI_ACADEMY,
    "Supported by a single-academy trust": Trust.TrustType.SINGLE_ACADEMY,
    "Supported by a trust": Trust.TrustType.FOUNDATION,
    # EduBase (before 2017) wording
    "Linked to a multi-academy trust": Trust.TrustType.MULTI_ACADEMY,
    "Linked to a trust/single academy trust": Trust.TrustType.SINGLE_ACADEMY,
}
# Longest text each School field holds, checked before anything is written.
MAX_LENGTHS = {
    "name": 255,
    "la_code": 3,
    "la_name": 100,
    "establishment_type": 100,
    "gias_phase": 50,
    "establishment_number": 10,
    "postcode": 10,
    "town": 100,
    "district": 100,
    "ofsted_rating": 50,
    "trust_name": 255,
}
# Every column the reader uses; others are ignored, wherever they are.
WANTED = [*REQUIRED, *TEXT_COLUMNS, *NUMBER_COLUMNS, *DATE_COLUMNS, TRUST, TRUST_FLAG, LINKS]


def fold(text: str) -> str:
    """Case and punctuation fold, so 'Free Schools - 16-19' matches 'Free schools 16 to 19'."""
    words = re.sub(r"[^a-z0-9]+", " ", str(text).lower()).split()
    return " ".join(word for word in words if word != "to")


def _folded(table: dict) -> dict:
    return {fold(name): value for name, value in table.items()}


# Skipped types have an empty type group; an unknown type is missing from the table.
GROUP_TABLE = {fold(n): v[0].value for n, v in STATE_FUNDED_TYPES.items()} | {
    fold(name): "" for name in SKIPPED_TYPES
}
ACADEMY_TABLE = {key: False for key in GROUP_TABLE} | {
    fold(n): v[1] for n, v in STATE_FUNDED_TYPES.items()
}
STATUS_TABLE = {key: status.value for key, status in _folded(STATUSES).items()}
PHASE_TABLE = {key: phase.value for key, phase in _folded(PHASES).items()}
FLAG_TABLE = {key: kind.value for key, kind in _folded(TRUST_FLAGS).items()}
