"""Every write to the channel register: channels, audience facts, the relay rota and the
Tillbakablick plan, and the reminders and alerts that keep the weeks filled."""

from collections.abc import Iterable
from datetime import date
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import permission_require
from channels_app.choices import ArchivePhotoStatus, RelayWeekStatus
from channels_app.models import (
    ACTIVE_RELAY_STATUSES,
    ArchivePhoto,
    AudienceFact,
    Channel,
    PageLink,
    PageSection,
    RelayWeek,
)
from channels_app.selectors import (
    archive_plan_upcoming,
    editor_emails,
    relay_rota_upcoming,
    relay_weeks_to_remind,
)
from channels_app.weeks import next_monday, week_monday
from core.actors import model_save
from core.exceptions import ApplicationError
from core.seedpage import INTRODUCTION, bullets, paragraph

M = TypeVar("M", bound=models.Model)

RELAY_GAP_WEEKS = 4


def _assign(obj: models.Model, fields: dict[str, Any]) -> None:
    editable = {f.name for f in obj._meta.concrete_fields if f.editable and not f.primary_key}
    unknown = sorted(set(fields) - editable)
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(unknown))
    for name, value in fields.items():
        setattr(obj, name, value)


def _save(obj: M, *, actor: User) -> M:
    """Validate (fields, clean(), constraints) and save with the actor in the history; a
    constraint that a concurrent write broke after validation is reported the same way."""
    obj.full_clean()
    try:
        with transaction.atomic():
            model_save(obj, actor)
    except IntegrityError as exc:
        obj.validate_constraints()
        raise ValidationError(_("The change conflicts with another one; try again.")) from exc
    return obj


def _create(model: type[M], *, actor: User, fields: dict[str, Any]) -> M:
    permission_require(actor, f"{model._meta.app_label}.add_{model._meta.model_name}")
    obj = model()
    _assign(obj, fields)
    return _save(obj, actor=actor)


def _update(obj: M, *, actor: User, fields: dict[str, Any]) -> M:
    permission_require(actor, f"{obj._meta.app_label}.change_{obj._meta.model_name}")
    _assign(obj, fields)
    return _save(obj, actor=actor)


# Channels ----------------------------------------------------------------------------------


def channel_create(*, actor: User, **fields: Any) -> Channel:
    return _create(Channel, actor=actor, fields=fields)


def channel_update(*, channel: Channel, actor: User, **fields: Any) -> Channel:
    return _update(channel, actor=actor, fields=fields)


# Audience facts ----------------------------------------------------------------------------


def audience_fact_create(*, actor: User, **fields: Any) -> AudienceFact:
    return _create(AudienceFact, actor=actor, fields=fields)


def audience_fact_update(*, fact: AudienceFact, actor: User, **fields: Any) -> AudienceFact:
    return _update(fact, actor=actor, fields=fields)


# The public page ---------------------------------------------------------------------------


def page_section_update(*, section: PageSection, actor: User, **fields: Any) -> PageSection:
    """Change a section's heading or texts; its key (its place on the page) stays."""
    fields.pop("key", None)
    return _update(section, actor=actor, fields=fields)


def page_link_create(*, actor: User, **fields: Any) -> PageLink:
    return _create(PageLink, actor=actor, fields=fields)


def page_link_update(*, page_link: PageLink, actor: User, **fields: Any) -> PageLink:
    return _update(page_link, actor=actor, fields=fields)


# Relay rota --------------------------------------------------------------------------------

HOST_FIELDS = ("host_name", "host_title", "host_unit", "host_email", "topic")


def relay_week_book(
    *,
    channel: Channel,
    iso_year: int,
    iso_week: int,
    host_name: str,
    host_email: str,
    actor: User,
    host_title: str = "",
    host_unit: str = "",
    topic: str = "",
    status: str = RelayWeekStatus.PROPOSED,
) -> RelayWeek:
    """Book a host for a week; the week must exist and have no other active host."""
    permission_require(actor, "channels_app.add_relayweek")
    week = RelayWeek(
        channel=channel,
        iso_year=iso_year,
        iso_week=iso_week,
        host_name=host_name,
        host_email=host_email,
        host_title=host_title,
        host_unit=host_unit,
        topic=topic,
        status=status,
    )
    return _save(week, actor=actor)


def relay_week_update(*, relay_week: RelayWeek, actor: User, **fields: Any) -> RelayWeek:
    return _update(relay_week, actor=actor, fields=fields)


def _relay_status_set(
    relay_week: RelayWeek, status: str, allowed_from: Iterable[str], actor: User
) -> RelayWeek:
    permission_require(actor, "channels_app.change_relayweek")
    if relay_week.status not in allowed_from:
        raise ApplicationError(
            _("A week with the status “%(status)s” cannot be changed this way.")
            % {"status": relay_week.get_status_display()},
            code="invalid_state",
        )
    relay_week.status = status
    return _save(relay_week, actor=actor)


def relay_week_confirm(*, relay_week: RelayWeek, actor: User) -> RelayWeek:
    return _relay_status_set(
        relay_week, RelayWeekStatus.CONFIRMED, [RelayWeekStatus.PROPOSED], actor
    )


def relay_week_cancel(*, relay_week: RelayWeek, actor: User) -> RelayWeek:
    return _relay_status_set(
        relay_week,
        RelayWeekStatus.CANCELLED,
        ACTIVE_RELAY_STATUSES,
        actor,
    )


@transaction.atomic
def relay_week_swap(*, relay_week: RelayWeek, other: RelayWeek, actor: User) -> RelayWeek:
    """The two hosts trade weeks: each booking keeps its week and takes the other's host,
    topic and status, so the one-host-a-week constraint holds at every step."""
    permission_require(actor, "channels_app.change_relayweek")
    first, second = (
        RelayWeek.objects.select_for_update().select_related("channel").get(pk=pk)
        for pk in (relay_week.pk, other.pk)
    )
    if first.pk == second.pk:
        raise ValidationError({"other": _("Choose another week to swap with.")})
    if first.channel_id != second.channel_id:
        raise ValidationError({"other": _("Both weeks must be on the same channel.")})
    if first.status not in ACTIVE_RELAY_STATUSES or second.status not in ACTIVE_RELAY_STATUSES:
        raise ApplicationError(
            _("Only proposed or confirmed weeks can be swapped."), code="invalid_state"
        )
    swapped = ("status", "reminded_at", *HOST_FIELDS)
    values = {name: getattr(first, name) for name in swapped}
    for name in swapped:
        setattr(first, name, getattr(second, name))
        setattr(second, name, values[name])
    _save(first, actor=actor)
    _save(second, actor=actor)
    relay_week.refresh_from_db()
    other.refresh_from_db()
    return relay_week


def relay_weeks_complete(*, today: date, actor: User) -> int:
    """Mark confirmed weeks that have ended as done; returns how many."""
    permission_require(actor, "channels_app.change_relayweek")
    this_year, this_week, _day = today.isocalendar()
    ended = RelayWeek.objects.filter(status=RelayWeekStatus.CONFIRMED).filter(
        models.Q(iso_year__lt=this_year) | models.Q(iso_year=this_year, iso_week__lt=this_week)
    )
    count = 0
    for week in ended.select_related("channel"):
        week.status = RelayWeekStatus.DONE
        _save(week, actor=actor)
        count += 1
    return count


def posting_rules() -> dict[str, Any]:
    """The published rules for what may be posted, as the page words them."""
    return {
        "lead": paragraph(INTRODUCTION, "Med stöd av kommunens riktlinjer"),
        "grounds": bullets(INTRODUCTION),
        "blocking": paragraph(INTRODUCTION, "Utöver att ta bort innehåll"),
        "public_records": paragraph(INTRODUCTION, "Innehåll som andra delar"),
        "secrecy": paragraph(INTRODUCTION, "Sociala medier ska inte användas"),
    }


def _mail(template: str, subject: str, context: dict[str, Any], to: list[str]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            subject=str(subject),
            message=render_to_string(template, context),
            from_email=None,
            recipient_list=to,
        )


def _gaps_mail(template: str, subject: str, gaps: list[tuple[Channel, int, int]]) -> None:
    """Tell every web editor about empty weeks, if there are any."""
    recipients = editor_emails()
    if gaps and recipients:
        context = {
            "gaps": [(c, y, w, week_monday(y, w)) for c, y, w in gaps],
            "site": settings.SITE_URL,
        }
        _mail(template, subject, context, recipients)


def relay_week_remind(*, relay_week: RelayWeek, actor: User) -> RelayWeek:
    """E-mail the host the week's dates and the rules for what may be posted; once per booking."""
    permission_require(actor, "channels_app.change_relayweek")
    if relay_week.reminded_at is not None:
        return relay_week
    monday = week_monday(relay_week.iso_year, relay_week.iso_week)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your week on %(channel)s: week %(week)s") % {
            "channel": relay_week.channel.name,
            "week": relay_week.iso_week,
        }
    _mail(
        "channels_app/email/relay_reminder.txt",
        subject,
        {"week": relay_week, "monday": monday, "rules": posting_rules()},
        [relay_week.host_email],
    )
    relay_week.reminded_at = timezone.now()
    return _save(relay_week, actor=actor)


def relay_reminders_send(*, today: date, actor: User) -> int:
    """Remind every host booked for the coming week; returns how many were reminded."""
    weeks = relay_weeks_to_remind(monday=next_monday(today))
    for week in weeks:
        relay_week_remind(relay_week=week, actor=actor)
    return len(weeks)


def relay_gaps_alert(*, today: date, actor: User) -> list[tuple[Channel, int, int]]:
    """Tell the editors which of the next four weeks have no host; returns the gaps."""
    permission_require(actor, "channels_app.view_relayweek")
    gaps = [
        (row.channel, year, week)
        for row in relay_rota_upcoming(start=next_monday(today), count=RELAY_GAP_WEEKS)
        for year, week, booking in row.weeks
        if booking is None
    ]
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Relay account: %(count)s weeks without a host") % {"count": len(gaps)}
    _gaps_mail("channels_app/email/relay_gaps.txt", subject, gaps)
    return gaps


# Tillbakablick -----------------------------------------------------------------------------


def archive_photo_create(*, actor: User, **fields: Any) -> ArchivePhoto:
    return _create(ArchivePhoto, actor=actor, fields=fields)


def archive_photo_update(*, photo: ArchivePhoto, actor: User, **fields: Any) -> ArchivePhoto:
    return _update(photo, actor=actor, fields=fields)


def archive_photo_schedule(
    *, photo: ArchivePhoto, planned_year: int, planned_week: int, actor: User
) -> ArchivePhoto:
    """Plan the photo for a week; refused when its rights are unknown or the week is taken."""
    permission_require(actor, "channels_app.change_archivephoto")
    if photo.status == ArchivePhotoStatus.PUBLISHED:
        raise ApplicationError(_("The photo has already been published."), code="invalid_state")
    photo.planned_year = planned_year
    photo.planned_week = planned_week
    photo.status = ArchivePhotoStatus.SCHEDULED
    return _save(photo, actor=actor)


def archive_photo_unschedule(*, photo: ArchivePhoto, actor: User) -> ArchivePhoto:
    permission_require(actor, "channels_app.change_archivephoto")
    if photo.status != ArchivePhotoStatus.SCHEDULED:
        raise ApplicationError(
            _("Only a scheduled photo can be unscheduled."), code="invalid_state"
        )
    photo.planned_year = photo.planned_week = None
    photo.status = ArchivePhotoStatus.DRAFT
    return _save(photo, actor=actor)


def archive_photo_publish(*, photo: ArchivePhoto, published_url: str, actor: User) -> ArchivePhoto:
    """Record that the scheduled photo has been posted, with the post's address."""
    permission_require(actor, "channels_app.change_archivephoto")
    if photo.status != ArchivePhotoStatus.SCHEDULED:
        raise ApplicationError(_("Only a scheduled photo can be published."), code="invalid_state")
    photo.published_url = published_url
    photo.status = ArchivePhotoStatus.PUBLISHED
    return _save(photo, actor=actor)


def archive_gap_alert(*, today: date, actor: User) -> list[tuple[Channel, int, int]]:
    """Tell the editors when an archive account has no photo planned for the coming week."""
    permission_require(actor, "channels_app.view_archivephoto")
    gaps = [
        (row.channel, year, week)
        for row in archive_plan_upcoming(start=next_monday(today), count=1)
        for year, week, photo in row.weeks
        if photo is None
    ]
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Tillbakablick: no photo planned for next week")
    _gaps_mail("channels_app/email/archive_gap.txt", subject, gaps)
    return gaps
