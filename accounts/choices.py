from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EDITOR = "editor", _("Web editor")
    MODERATOR = "moderator", _("Moderator")
    REGISTRAR = "registrar", _("Registrar")
    ADMINISTRATOR = "administrator", _("Administrator")
    PRIVACY_OFFICER = "privacy_officer", _("Data protection officer")


class Scope(models.TextChoices):
    CHANNELS_READ = "channels:read", _("Read the channel register")
    CHANNELS_WRITE = "channels:write", _("Change the channel register")
    PODCASTS_READ = "podcasts:read", _("Read podcasts")
    PODCASTS_WRITE = "podcasts:write", _("Change and publish podcasts")
    MODERATION_INGEST = "moderation:ingest", _("Push platform content into the queue")
    MODERATION_OWN = "moderation:own", _("Push the channels' own posts and replies")
    MODERATION_READ = "moderation:read", _("Read the moderation queue")
    RECORDS_READ = "records:read", _("Read the public-records register")
    RECORDS_WRITE = "records:write", _("Register public records")
    PRIVACY_WRITE = "privacy:write", _("Handle requests about personal data")
