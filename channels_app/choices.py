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
