"""Pydantic records: the one definition of every record and enum of eventwire.

Imports nothing but pydantic and the standard library. `feeds`, `extraction`,
`warehouse` and `flows` all build on these.
"""
from schemas.enums import (
    BodySource,
    DatePrecision,
    EventType,
    FetchStatus,
    InstitutionKind,
    Language,
    MechanismStatus,
    MeetingKind,
    MeetingStatus,
    ParticipantType,
)
from schemas.feeds import Article, Feed, FeedItem, FetchResult, ParsedFeed
from schemas.ids import content_hash, stable_id, text_fingerprint
from schemas.names import Entity, EntityType, Place, PlaceFeature
from schemas.records import (
    Extraction,
    Institution,
    InstitutionMention,
    Mechanism,
    Meeting,
    Participant,
    Reject,
)

__all__ = [
    "Article", "BodySource", "Entity", "EntityType", "EventType", "Place", "PlaceFeature", "DatePrecision", "Extraction", "Feed", "FeedItem", "FetchResult",
    "FetchStatus", "Institution", "InstitutionKind", "InstitutionMention", "Language", "Mechanism",
    "MechanismStatus", "Meeting", "MeetingKind", "MeetingStatus", "ParsedFeed", "Participant",
    "ParticipantType", "Reject", "content_hash", "stable_id", "text_fingerprint",
]
