"""Prepare one benchmark database (run as ``python -m bench.prepare SIZE SEED`` with
DATABASE_URL naming it): migrate, seed, generate and COPY the rows unless the meta table says
they are there, then issue fresh tokens. Prints what the measuring side needs as JSON."""

import json
import os
import sys
import time
from datetime import timedelta
from typing import Any

import django

DETAIL_ITEMS = 200


def _plan(size: int) -> "object":
    from django.conf import settings
    from django.db.models import Max

    from accounts.services import system_user
    from bench.generate import Plan
    from channels_app.models import Channel
    from moderation.models import Decision, Ground, Item, PlatformAccount
    from records.models import Record

    channels = list(
        Channel.objects.filter(platform__in=["facebook", "instagram", "youtube", "linkedin"])
        .order_by("pk")
        .values_list("pk", "platform", "name")
    )

    def offset(model: Any) -> int:
        return int(model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    return Plan(
        channels=channels,
        item_offset=max(offset(Item), offset(Record)),
        record_offset=offset(Record),
        author_offset=offset(PlatformAccount),
        decision_offset=offset(Decision),
        moderator_id=system_user().pk,
        grounds=list(Ground.objects.filter(parent=None).values_list("pk", flat=True)),
        series_prefix=settings.RECORDS_SERIES_PREFIX,
    )


def _podcast_show(episodes: int = 1000) -> str:
    """A show with ``episodes`` published episodes, for the feed figure."""
    from django.utils import timezone

    from channels_app.models import Channel
    from podcasts.choices import EpisodeStatus, ShowStatus
    from podcasts.models import Episode, Show

    slug = "bench-tusen-avsnitt"
    show = Show.objects.filter(slug=slug).first()
    if show is None:
        show = Show(
            slug=slug,
            title="Kommunpodden – tusen avsnitt",
            description="Samtal om Örebro kommun: skolan, vården, trafiken och kulturen.",
            channel=Channel.objects.get_or_create(
                slug=slug,
                defaults={"platform": "podcast", "name": "Kommunpodden", "role": "official"},
            )[0],
            apple_category="Government",
            status=ShowStatus.ACTIVE,
            owner_email="podd@orebro.se",
        )
        show.save()
    if show.episodes.count() < episodes:
        now = timezone.now()
        show.episodes.all().delete()
        Episode.objects.bulk_create(
            Episode(
                show=show,
                number=n,
                title=f"Avsnitt {n}: om {topic}",
                description=f"Vi pratar om {topic} i Örebro kommun.",
                status=EpisodeStatus.PUBLISHED,
                publish_at=now - timedelta(days=episodes - n),
                published_at=now - timedelta(days=episodes - n),
                audio=f"podcasts/bench/avsnitt-{n}.mp3",
                audio_type="audio/mpeg",
                audio_size=30_000_000,
                audio_duration=1800,
                audio_bitrate=128,
                transcript=f"podcasts/bench/avsnitt-{n}.vtt",
            )
            for n, topic in (
                (n, ("skolan", "trafiken", "biblioteket", "äldreomsorgen")[n % 4])
                for n in range(1, episodes + 1)
            )
        )
    return slug


def main() -> None:
    size, seed = int(sys.argv[1]), int(sys.argv[2])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Max, Min

    from accounts.models import IntegrationClient
    from accounts.services import integration_client_create, system_user
    from bench import generate
    from moderation.models import Item
    from moderation.statistics import item_month_figures_refresh

    url = os.environ["DATABASE_URL"]
    out: dict[str, object] = {"size": size, "generated": False}
    call_command("migrate", verbosity=0, interactive=False)
    if not generate.meta_matches(url, size, seed):
        call_command("seed", verbosity=0)
        started = time.perf_counter()
        loaded = generate.load(url, _plan(size), size, seed)  # type: ignore[arg-type]
        with connection.cursor() as cursor:
            # As autovacuum would after the load: the visibility map lets the metrics' and the
            # queue's covering indexes answer without reading the table.
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("DELETE FROM bench_meta")
            cursor.execute(
                "INSERT INTO bench_meta VALUES (%s, %s, %s, now(), %s)",
                [size, seed, generate.GENERATOR_VERSION, time.perf_counter() - started],
            )
        out.update(generated=True, rows=loaded.rows, copy_seconds=loaded.copy_seconds)
    out["show"] = _podcast_show()
    actor = system_user()
    # The beat task's work in production: the closed months' item figures (moderation.statistics).
    out["months_computed"] = item_month_figures_refresh(actor=actor)
    name = f"Bench {time.time_ns()}"
    _, token = integration_client_create(
        name=name,
        contact="bench@orebro.se",
        scopes=["moderation:read", "records:read"],
        actor=actor,
        throttle_rate="1000000/min",
    )
    IntegrationClient.objects.filter(name__startswith="Bench ").exclude(name=name).update(
        is_active=False
    )
    # The busiest channel and open state: the queue a moderator works through.
    busiest = (
        Item.objects.filter(external_id__startswith=f"b{seed}-")
        .order_by("channel_id")
        .values_list("channel_id", flat=True)
        .first()
    )
    comments = Item.objects.filter(external_id__startswith=f"b{seed}-", kind="comment")
    # Comments from all over the table, so detail pages are not one hot row.
    span = comments.aggregate(low=Min("pk"), high=Max("pk"))
    step = max(1, (span["high"] - span["low"]) // (4 * DETAIL_ITEMS))
    items = list(
        comments.filter(pk__in=range(span["low"], span["high"] + 1, step))
        .order_by("pk")
        .values_list("pk", flat=True)[:DETAIL_ITEMS]
    )
    # The moderators' item page as a moderator steps through the queue the bench asks for
    # (the busiest channel, state new): every so many of its comments, not one hot row either.
    queue = list(
        comments.filter(channel=busiest, state="new").order_by("pk").values_list("pk", flat=True)
    )
    pages = queue[:: max(1, len(queue) // DETAIL_ITEMS)][:DETAIL_ITEMS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT seconds, generated_at FROM bench_meta")
        seconds, generated_at = cursor.fetchone()
    out.update(
        token=token,
        channel=busiest,
        items=items,
        pages=pages,
        plan=_plan(size).__dict__,
        generation_seconds=round(seconds, 1),
        generated_at=generated_at.isoformat(timespec="seconds"),
    )
    print("BENCH-PREPARED " + json.dumps(out, default=str))


if __name__ == "__main__":
    main()
