from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelPlatform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    LINKEDIN = "linkedin", "LinkedIn"
    YOUTUBE = "youtube", "YouTube"
    PODCAST = "podcast", _("Podcast")


class ChannelRole(models.TextChoices):
    OFFICIAL = "official", _("Official account")
    RELAY = "relay", _("Relay account")
    ARCHIVE = "archive", _("Archive account")
    SIGN_LANGUAGE = "sign_language", _("Sign-language account")
    PODCAST = "podcast", _("Podcast")


class ChannelStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


class ChannelRecordsPolicy(models.TextChoices):
    REGISTER_ALL = "register_all", _("Register everything received")
    REGISTER_MODERATED = (
        "register_moderated",
        _("Register what is moderated, keep the rest in order"),
    )
    KEEP_IN_ORDER = "keep_in_order", _("Keep in order (register only what must be)")


class AudienceMetric(models.TextChoices):
    PAST_YEAR = "past_year", _("Used during the past year")
    DAILY = "daily", _("Used daily")
    RANK = "rank", _("Rank among the heaviest users")


class RelayWeekStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class RightsStatus(models.TextChoices):
    PUBLIC_DOMAIN = "public_domain", _("Public domain")
    MUNICIPAL = "municipal", _("Owned by the municipality")
    LICENSED = "licensed", _("Licensed")
    UNKNOWN = "unknown", _("Unknown")


class ArchivePhotoStatus(models.TextChoices):
    DRAFT = "draft", _("Not scheduled")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")


class PageSectionKey(models.TextChoices):
    """The public page's sections, in the page's order; the channels of a platform follow the
    section of the same key."""

    INTRODUCTION = "introduction", _("Introduction")
    RULES = "rules", _("Rules for what we remove")
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    LINKEDIN = "linkedin", "LinkedIn"
    YOUTUBE = "youtube", "YouTube"
    PODCAST = "podcast", _("Podcasts")
    PERSONAL_DATA = "personal_data", _("Personal data")
    QUESTIONS = "questions", _("Questions")
