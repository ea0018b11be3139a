"""Names that match across languages: a place on the map, a country by its ISO code, a person or
institution by one id however Russian and English news spell it."""
from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from schemas.base import Record


class PlaceFeature(StrEnum):
    CITY = "city"          # a populated place (GeoNames feature class P)
    REGION = "region"      # a province, oblast, region of a country
    COUNTRY = "country"


class Place(Record):
    """A geocoded place: its English name, GeoNames id, ISO 3166-1 alpha-2 country and coordinates."""
    name: str = Field(min_length=1, description="the place's English name (GeoNames' main name)")
    feature: PlaceFeature
    country_code: str = Field(pattern=r"^[A-Z]{2}$")
    geonames_id: int | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class EntityType(StrEnum):
    PERSON = "person"
    COUNTRY = "country"
    INSTITUTION = "institution"


class Entity(Record):
    """A participant or proposer under one id across languages: `country:KZ`, `person:…`,
    `institution:<institution_id>`; `country_code` is the country it belongs to, if known."""
    entity_id: str = Field(min_length=3)
    entity_type: EntityType
    name: str = Field(min_length=1, description="the canonical display name (English where known)")
    country_code: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
