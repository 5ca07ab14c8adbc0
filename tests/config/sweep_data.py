"""A row in every admin-registered table, so that every change, history and delete page can be
opened: the seed fills most; the rest are made here, through the services where one makes it."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils import timezone
from django_celery_beat.models import (
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
)

from accounts.models import User
from accounts.services import integration_client_create, system_user
from channels_app.models import Channel
from moderation.models import (
    ChannelConnection,
    Decision,
    EscalationContact,
    Item,
    PlatformAction,
    PoliceReportChecklist,
    UrgentAlert,
)
from podcasts.models import Show
from records import services as records_services
from records.models import DisposalRun, Record, SecretAccessLog
from tests.channels_app.factories import ArchivePhotoFactory, RelayWeekFactory
from tests.podcasts.factories import EpisodeFactory


def every_model_filled() -> None:
    actor = system_user()
    person = User.objects.filter(is_superuser=True).first() or actor
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    Authenticator.objects.create(user=person, type=Authenticator.Type.RECOVERY_CODES, data={})
    interval = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    CrontabSchedule.objects.create(minute="0", hour="7", timezone="Europe/Stockholm")
    PeriodicTask.objects.create(name="Fixitetskontroll", task="records.tasks.fixity_audit",
                                interval=interval)  # fmt: skip
    integration_client_create(name="Ärendesystemet", contact="it@orebro.se",
                              scopes=["records:read"], actor=actor)  # fmt: skip

    relay = Channel.objects.get(slug="instagram-orebrokommun")
    archive = Channel.objects.get(slug="instagram-tborebro")
    RelayWeekFactory(channel=relay)
    ArchivePhotoFactory(channel=archive)
    EpisodeFactory(show=Show.objects.earliest("pk"))

    record = Record.objects.earliest("pk")
    records_services.access_request_create(scope="Kommentarer på Facebook i november",
                                           actor=actor, records=[record])  # fmt: skip
    DisposalRun.objects.create(cutoff=timezone.localdate(), created_by=actor)  # none due yet
    records_services.erasure_request_answer(requester="Anna Andersson",
                                            description="Min kommentar", records=[record],
                                            actor=actor)  # fmt: skip
    records_services.fixity_audit_run(actor=actor)
    SecretAccessLog.objects.create(record=record, user=person)

    decision = Decision.objects.earliest("pk")
    item = Item.objects.earliest("pk")
    EscalationContact.objects.create(name="Säkerhetschefen", email="sakerhet@orebro.se")
    UrgentAlert.objects.create(item=item, level=1, sent_by=actor, recipients="sakerhet@orebro.se")
    PlatformAction.objects.create(decision=decision, channel=item.channel, action="hide",
                                  target_external_id=item.external_id)  # fmt: skip
    expires = timezone.now() + timedelta(days=30)
    ChannelConnection.objects.create(channel=item.channel, token_expires_at=expires)
    PoliceReportChecklist.objects.create(decision=decision)
