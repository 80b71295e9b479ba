"""The 14 police.uk street-level crime types, as published in the archive files and the API.

The archive spells them out ("Violence and sexual offences"); the API uses slugs
("violent-crime"). Both spellings live here so that an ingest of the archive and a fetch from
the API store the same words.
"""

from __future__ import annotations

# Archive name -> API slug, in the order police.uk lists them.
CRIME_TYPE_SLUGS: dict[str, str] = {
    "Anti-social behaviour": "anti-social-behaviour",
    "Bicycle theft": "bicycle-theft",
    "Burglary": "burglary",
    "Criminal damage and arson": "criminal-damage-arson",
    "Drugs": "drugs",
    "Other theft": "other-theft",
    "Possession of weapons": "possession-of-weapons",
    "Public order": "public-order",
    "Robbery": "robbery",
    "Shoplifting": "shoplifting",
    "Theft from the person": "theft-from-the-person",
    "Vehicle crime": "vehicle-crime",
    "Violence and sexual offences": "violent-crime",
    "Other crime": "other-crime",
}

CRIME_TYPES: tuple[str, ...] = tuple(CRIME_TYPE_SLUGS)
CRIME_TYPE_BY_SLUG: dict[str, str] = {slug: name for name, slug in CRIME_TYPE_SLUGS.items()}


def crime_type_from_slug(slug: str) -> str:
    """The archive spelling of an API category slug; unknown slugs are returned unchanged so that
    the ingest rejects them with the rest of the file's bad rows rather than here."""
    return CRIME_TYPE_BY_SLUG.get(slug, slug)
