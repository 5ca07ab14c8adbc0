"""What Apple Podcasts, Spotify and Podcasting 2.0 validators would reject, listed in admin
before an editor publishes. The hard rules are enforced on save; these are the rest."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from podcasts.choices import EpisodeStatus, ShowStatus
from podcasts.models import Episode, Show

APPLE = "Apple Podcasts"
SPOTIFY = "Spotify"
PODCASTING_20 = "Podcasting 2.0"


@dataclass(frozen=True)
class Finding:
    authority: str
    message: str


def show_check(show: Show) -> list[Finding]:
    findings: list[Finding] = []
    if not show.artwork:
        findings.append(Finding(APPLE, _("The show has no artwork (itunes:image is required).")))
    elif not show.artwork_alt:
        findings.append(
            Finding(PODCASTING_20, _("The artwork has no text alternative (podcast:image alt)."))
        )
    if not show.description.strip():
        findings.append(Finding(APPLE, _("The show has no description.")))
    if not show.apple_category:
        findings.append(Finding(APPLE, _("The show has no Apple category.")))
    if not show.owner_email:
        findings.append(
            Finding(SPOTIFY, _("The owner e-mail is missing; Spotify sends its claim code there."))
        )
        findings.append(Finding(PODCASTING_20, _("podcast:locked needs the owner e-mail address.")))
    if show.pk and not show.episodes.filter(status=EpisodeStatus.PUBLISHED).exists():
        findings.append(
            Finding(SPOTIFY, _("Spotify accepts a feed only when it has a published episode."))
        )
    if show.status == ShowStatus.PAUSED and not show.update_frequency_text:
        findings.append(
            Finding(
                PODCASTING_20,
                _("The show is paused; say so to the apps in the publishing rhythm field."),
            )
        )
    return findings


def episode_check(episode: Episode) -> list[Finding]:
    findings = show_check(episode.show)
    if not episode.audio:
        findings.append(Finding(APPLE, _("The episode has no audio file (enclosure).")))
    if not episode.transcript:
        findings.append(
            Finding(
                PODCASTING_20,
                _("The episode has no transcript; it cannot be published (lag (2018:1937))."),
            )
        )
    title = episode.title.casefold()
    if episode.show.title.casefold() in title:
        findings.append(
            Finding(APPLE, _("The title repeats the name of the show; Apple asks you to drop it."))
        )
    if re.search(rf"(avsnitt|del|ep\.?|#)\s*{episode.number}\b", title):
        findings.append(
            Finding(
                APPLE,
                _("The title contains the episode number; Apple shows it from itunes:episode."),
            )
        )
    return findings
