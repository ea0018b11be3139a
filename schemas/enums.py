"""Every closed set of values in eventwire, as str enums (their values are what the warehouse stores)."""
from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    RU = "ru"
    EN = "en"
    OTHER = "other"


class BodySource(StrEnum):
    """Where an article's body came from, in the order of CONTRACT.md."""
    FULL_TEXT = "full_text"    # yandex:full-text, content:encoded, Atom content
    PAGE = "page"              # main text of the linked page
    SUMMARY = "summary"        # description / summary
    NONE = "none"              # nothing usable


class FetchStatus(StrEnum):
    OK = "ok"
    NOT_MODIFIED = "not_modified"
    FAILED = "failed"


class MeetingKind(StrEnum):
    SUMMIT = "summit"
    MEETING = "meeting"
    TALKS = "talks"
    SESSION = "session"
    CONFERENCE = "conference"
    FORUM = "forum"
    VISIT = "visit"
    CALL = "call"


class MeetingStatus(StrEnum):
    PAST = "past"
    ONGOING = "ongoing"
    PLANNED = "planned"


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class ParticipantType(StrEnum):
    PERSON = "person"
    COUNTRY = "country"
    INSTITUTION = "institution"


class EventType(StrEnum):
    """What an event (CONTRACT.md, "Events across articles and languages") is."""
    MEETING = "meeting"
    MECHANISM = "mechanism"


class MechanismStatus(StrEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"
    ESTABLISHED = "established"
    EXISTING = "existing"


class InstitutionKind(StrEnum):
    INTERNATIONAL = "international"    # intergovernmental organisations (ООН, ОДКБ, ШОС)
    STATE = "state"                    # ministries, councils, parliaments, agencies, courts
    MILITARY = "military"              # armed forces, named units, border troops
    COMPANY = "company"
    FINANCIAL = "financial"            # banks, funds
    NGO = "ngo"
    EDUCATION = "education"            # universities, institutes, academies
    MEDIA = "media"
    PARTY = "party"
    OTHER = "other"
