from typing import Any

import factory

from accounts.services import system_user
from channels_app.choices import ChannelPlatform, ChannelRole
from podcasts import services
from podcasts.models import Episode, Show
from tests.factories import ChannelFactory
from tests.podcasts import fixtures


class PodcastChannelFactory(ChannelFactory):
    platform = ChannelPlatform.PODCAST
    role = ChannelRole.PODCAST
    name = factory.Sequence(lambda n: f"Podd {n}")
    slug = factory.Sequence(lambda n: f"podcast-podd-{n}")


class ShowFactory(factory.django.DjangoModelFactory[Show]):
    class Meta:
        model = Show

    channel = factory.SubFactory(PodcastChannelFactory)
    title = factory.Sequence(lambda n: f"Podden {n}")
    slug = factory.Sequence(lambda n: f"podden-{n}")
    description = "En podd från Örebro kommun om hur det är att jobba i kommunen."
    owner_email = "podd@orebro.se"
    apple_category = "Government"
    apple_podcasts_url = "https://podcasts.apple.com/se/podcast/id1"
    spotify_url = "https://open.spotify.com/show/abc"
    artwork = factory.LazyFunction(fixtures.artwork)
    artwork_alt = "Logotyp för podden"


GUEST = {"name": "Sara Ek", "job_title": "Lokalvårdare", "unit": "Servicenämnden"}


class EpisodeFactory(factory.Factory[Episode]):
    """An episode made through the services (the files are read and checked); published unless
    ``publish=False``."""

    class Meta:
        model = Episode

    show = factory.SubFactory(ShowFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Lokalvårdaren som älskar måndagar {n}")
    description = "Vi pratar med en medarbetare om hennes yrke."
    audio = factory.LazyFunction(fixtures.audio)
    transcript = factory.LazyFunction(fixtures.transcript)

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Episode:
        publish = kwargs.pop("publish", True)
        guests = kwargs.pop("guests", [GUEST])
        actor = system_user()
        episode = services.episode_create(actor=actor, guests=guests, **kwargs)
        if publish:
            episode = services.episode_publish(episode=episode, actor=actor)
        return episode
