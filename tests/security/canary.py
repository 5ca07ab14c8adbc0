"""The canary of issue 13: one unique word planted through the real paths (a webhook delivery
and a platform edit, the ingest API, a note, an amendment, a registration and a registrar's
correction) into every content-bearing column, then marked secret; and the read paths to look
for it in, enumerated from the URL conf rather than listed, so that a new URL pattern or content
model fails the test until it is covered."""

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from moderation.models import Item, Word
from moderation.services import catalogue_entry_save
from privacy.services import subject_request_create
from records.models import Record
from tests.factories import ChannelFactory
from tests.moderation.platforms.recorded import meta_post, payload_json
from tests.security.canary_media import media_plant

# One word (so the suspect-word detector copies it whole into its hit), found nowhere else.
CANARY = "Kanariefagel5d2e7aInnehall"
PART = "5d2e7aInnehall"
SEARCHES = (f"q={PART}", f"search={PART}")  # the admin's and the API's (and autocomplete's term)
FACEBOOK_PAGE = "104857600000001"
AUTHOR_ID = "6001234567890"  # the platform id of the webhook comment's author

# Every column of every model that holds a citizen's content: the canary is planted in each
# (the test checks it got there) and must show in no read path once the entry is secret.
CONTENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "records.Record": ("subject", "public_subject", "text", "raw_payload", "counterparty_name"),
    "records.HistoricalRecord": ("subject", "public_subject"),
    "records.RecordAmendment": ("text", "raw_payload"),
    "moderation.Item": ("text", "raw_payload"),
    "moderation.ItemVersion": ("text", "raw_payload"),
    "moderation.DetectorHit": ("matched",),
    "moderation.Note": ("text",),
    # The author's name, and free text that quotes the item or names its author.
    "moderation.PlatformAccount": ("name",),
    "moderation.Decision": ("rationale",),
    "moderation.Block": ("rationale",),
    "moderation.HistoricalBlock": ("rationale",),
    "moderation.Reconsideration": ("rationale",),
    "moderation.ReconsiderationRequest": ("reason",),
}
# The other text and JSON columns of those models: metadata, not the citizen's words.
METADATA_COLUMNS: dict[str, tuple[str, ...]] = {
    "records.Record": (
        "number",
        "series_prefix",
        "source_kind",
        "source_id",
        "permalink",
        "direction",
        "counterparty_platform_id",
        "counterparty_handle",
        "sha256",
        "registration_reason",
        "registration_basis",
        "registration_rule",
        "secrecy_provision",
        "legal_hold_reason",
        "status",
        "content_erasure_basis",
        "content_erasure_reference",
        "media",
        "in_reply_to_source_id",
    ),
    "records.HistoricalRecord": (
        "number",
        "series_prefix",
        "source_kind",
        "source_id",
        "direction",
        "sha256",
        "registration_reason",
        "registration_basis",
        "registration_rule",
        "secrecy_provision",
        "legal_hold_reason",
        "status",
        "content_erasure_basis",
        "content_erasure_reference",
        "history_change_reason",
        "history_type",
        "in_reply_to_source_id",
    ),
    "records.RecordAmendment": ("kind", "sha256", "reason"),
    "moderation.Item": (
        "external_id",
        "kind",
        "parent_external_id",
        "thread_external_id",
        "permalink",
        "sha256",
        "state",
        "state_before_claim",
    ),
    "moderation.ItemVersion": ("sha256",),
    "moderation.DetectorHit": ("detector", "detail"),
    "moderation.Note": (),
    "moderation.PlatformAccount": ("platform", "external_id", "profile_url"),
    "moderation.Decision": ("action",),
    "moderation.Block": (),
    "moderation.HistoricalBlock": ("history_change_reason", "history_type"),
    "moderation.Reconsideration": ("outcome",),
    "moderation.ReconsiderationRequest": ("permalink", "contact", "form_nonce"),
}
# Models with text or JSON columns that hold no citizen's content, and why.
NOT_CONTENT: dict[str, str] = {
    "admin.LogEntry": "names and ids of changed rows (an entry's label is its number)",
    "auth.Permission": "code",
    "auth.Group": "role names",
    "contenttypes.ContentType": "code",
    "sessions.Session": "session keys",
    "account.EmailAddress": "staff e-mail",
    "account.EmailConfirmation": "staff e-mail",
    "mfa.Authenticator": "staff second factors",
    "socialaccount.SocialApp": "sign-in configuration",
    "socialaccount.SocialAccount": "staff sign-in",
    "socialaccount.SocialToken": "staff sign-in",
    "django_celery_beat.SolarSchedule": "schedule",
    "django_celery_beat.IntervalSchedule": "schedule",
    "django_celery_beat.ClockedSchedule": "schedule",
    "django_celery_beat.CrontabSchedule": "schedule",
    "django_celery_beat.PeriodicTasks": "schedule",
    "django_celery_beat.PeriodicTask": "schedule",
    "accounts.HistoricalUser": "staff",
    "moderation.WebhookDelivery": (
        "a signed delivery as it arrived, read by no page, API or export; emptied once every "
        "event is in the queue (the lifecycle canary checks it is)"
    ),
    "accounts.User": "staff",
    "accounts.HistoricalIntegrationClient": "integration clients",
    "accounts.IntegrationClient": "integration clients",
    "channels_app.HistoricalChannel": "the channel register: editors' text",
    "channels_app.Channel": "the channel register: editors' text",
    "channels_app.HistoricalAudienceFact": "editors' text",
    "channels_app.AudienceFact": "editors' text",
    "channels_app.HistoricalRelayWeek": "editors' text",
    "channels_app.RelayWeek": "editors' text",
    "channels_app.HistoricalArchivePhoto": "editors' text",
    "channels_app.ArchivePhoto": "editors' text",
    "channels_app.HistoricalPageSection": "the public page: editors' text",
    "channels_app.PageSection": "the public page: editors' text",
    "channels_app.HistoricalPageLink": "the public page: editors' links",
    "channels_app.PageLink": "the public page: editors' links",
    "records.HistoricalRetentionClass": "the information management plan",
    "records.RetentionClass": "the information management plan",
    "records.HistoricalRetentionDefault": "the information management plan",
    "records.RetentionDefault": "the information management plan",
    "records.SeriesCounter": "numbers",
    "records.SecretAccessLog": "who saw what, with the moderator's reason: registrars only",
    "records.HistoricalAccessRequest": "a request for documents, not a document: registrars only",
    "records.AccessRequest": "a request for documents, not a document: registrars only",
    "records.HistoricalDisposalRun": "entries by number and public subject: registrars only",
    "records.DisposalRun": "entries by number and public subject: registrars only",
    "records.ErasureRequest": "a GDPR request and its answer: registrars only",
    "records.FixityAudit": "hashes",
    "records.RecordMedia": (
        "an entry's media files by platform address, type, size, hash and why one was not "
        "fetched, shown only as those facts in the entry's content; the file is in the media "
        "storage (the canary is planted in one: MEDIA_VIEWS reads it), removed by disposal and "
        "erasure (tests/records/test_media.py)"
    ),
    "moderation.HistoricalGround": "the published rules",
    "moderation.Ground": "the published rules",
    "moderation.HistoricalWord": "editors' word lists",
    "moderation.Word": "editors' word lists",
    "moderation.HistoricalReplyTemplate": "editors' replies",
    "moderation.ReplyTemplate": "editors' replies",
    "moderation.HistoricalPoliceReportChecklist": "a checklist",
    "moderation.PoliceReportChecklist": "a checklist",
    "moderation.PlatformAction": "our reply templates and the platform's answers",
    "moderation.ChannelConnection": "tokens (encrypted) and capture errors",
    "moderation.HistoricalThreatTerm": "the threat lexicon",
    "moderation.ThreatTerm": "the threat lexicon",
    "moderation.HistoricalEscalationContact": "staff contacts",
    "moderation.EscalationContact": "staff contacts",
    "moderation.UrgentAlert": "who was alerted, and how the alert went",
    "podcasts.HistoricalShow": "editors' text",
    "podcasts.Show": "editors' text",
    "podcasts.HistoricalEpisode": "editors' text",
    "podcasts.Episode": "editors' text",
    "podcasts.HistoricalEpisodeGuest": "editors' text",
    "podcasts.EpisodeGuest": "editors' text",
    "publishing.HistoricalPost": "the municipality's own posts: editors' text",
    "publishing.Post": "the municipality's own posts: editors' text",
    "publishing.HistoricalPostMedia": "the municipality's own posts: editors' alt text",
    "publishing.PostMedia": "the municipality's own posts: editors' alt text",
    "publishing.HistoricalTwinPlan": "editors' plans",
    "publishing.TwinPlan": "editors' plans",
    "privacy.HistoricalSubjectRequest": (
        "a request about a person's own data, naming the person: the officer and registrars "
        "only; what its pages show of the person's content is scanned (PERSON_VIEWS)"
    ),
    "privacy.SubjectRequest": "a request about a person's own data: the officer and registrars",
    "privacy.PersonSearch": "who searched for whom: the officer and registrars only",
    "privacy.HistoricalRetentionSettings": "periods",
    "privacy.RetentionRun": "a report by id, never by person",
    "privacy.PackageLink": (
        "a token's hash and a file name; the package (binary) is the one the officer previewed "
        "(PERSON_VIEWS), served once by POST to whoever holds the token"
    ),
}
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def text_columns(model: type[models.Model]) -> set[str]:
    return {f.name for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)}


def uncovered_models() -> list[str]:
    """Models or columns holding text that neither table above accounts for."""
    missing = []
    for model in apps.get_models():
        label, columns = model._meta.label, text_columns(model)
        if not columns or label in NOT_CONTENT:
            continue
        declared = set(CONTENT_COLUMNS.get(label, ())) | set(METADATA_COLUMNS.get(label, ()))
        missing += [f"{label}.{name}" for name in sorted(columns - declared)]
        if label not in CONTENT_COLUMNS:
            missing.append(label)
    return missing


def columns_without_canary() -> list[str]:
    """The content columns the planting did not reach (the scan would prove nothing there)."""
    missing = []
    for label, columns in CONTENT_COLUMNS.items():
        rows = apps.get_model(label)._default_manager.values_list(*columns)
        for index, name in enumerate(columns):
            if not any(CANARY in json.dumps(row[index], ensure_ascii=False) for row in rows):
                missing.append(f"{label}.{name}")
    return missing


@dataclass
class Planted:
    records: list[Record]
    items: list[Item]
    # Ids of the rows holding the canary, by model label (for the URL patterns taking an id).
    ids: dict[str, list[str]] = field(default_factory=dict)
    channel_slugs: list[str] = field(default_factory=list)
    media: list[tuple[str, str]] = field(default_factory=list)  # stored files: (entry, position)


def _webhook(client: Client, change: dict[str, Any], run_on_commit: Callable[..., Any]) -> None:
    body = copy.deepcopy(payload_json("meta/facebook_comment_add.json"))
    body["entry"][0]["changes"][0]["value"] = change
    raw = json.dumps(body, ensure_ascii=False).encode()
    with run_on_commit(execute=True):
        response = meta_post(client, raw)
    assert response.status_code == 200, response.content


def _bystander(ingest: APIClient, channel: str) -> Item:
    """Another person's open comment, without the canary."""
    response = ingest.post(
        "/api/v1/moderation/ingest/",
        {
            "items": [
                {
                    "channel": channel,
                    "external_id": "ingest-bystander",
                    "kind": "comment",
                    "event": "created",
                    "occurred_at": (timezone.now() - timedelta(minutes=2)).isoformat(),
                    "text": "Bra initiativ med nya cykelbanor.",
                    "author_id": "b-2",
                    "author_name": "Cecilia",
                }
            ]
        },
        format="json",
    )
    assert response.json()["results"][0]["outcome"] == "created", response.content
    return Item.objects.get(external_id="ingest-bystander")


def _paste(staff: APIClient, item: Item, text: str) -> None:
    """A moderator pastes a comment's words, without quotation marks, into a note on another
    person's comment (records.quoting recognises it)."""
    note = {"item": item.pk, "text": f"Liknar den andra kommentaren: {text}"}
    assert staff.post("/api/v1/moderation/notes/", note).status_code == 201


def _decide(item: Item, moderator: User, reconsiderer: User) -> None:
    """A moderator hides the item and blocks its author, both with a rationale quoting it; the
    author asks on the public form for reconsideration, quoting it; another moderator answers."""
    staff, other = APIClient(), APIClient()
    staff.force_login(moderator)
    other.force_login(reconsiderer)
    items = f"/api/v1/moderation/items/{item.pk}"
    assert staff.post(f"{items}/claim/").status_code == 200
    decided = staff.post(
        f"{items}/decide/",
        {"action": "hide", "grounds": ["harassment"], "rationale": f"Dold: ”{CANARY}”"},
        format="json",
    )
    assert decided.status_code == 201, decided.content
    blocked = staff.post(
        "/api/v1/moderation/blocks/",
        {
            "author": item.author_id,
            "channel": item.channel_id,
            "grounds": ["harassment"],
            "rationale": f"Skrev {CANARY} igen.",
            "item": item.pk,
        },
        format="json",
    )
    assert blocked.status_code == 201, blocked.content
    public = Client()
    form = public.get("/insyn/omprovning/").content.decode()
    asked = public.post(
        "/insyn/omprovning/",
        {
            "permalink": item.permalink,
            "reason": f"Jag skrev bara {CANARY}.",
            "contact": "",
            "token": form.split('name="token" value="')[1].split('"')[0],
        },
    )
    assert asked.status_code in (200, 302), asked.content
    answered = other.post(
        f"{items}/reconsider/",
        {"decision": decided.json()["id"], "outcome": "upheld", "rationale": f"Om {CANARY}."},
        format="json",
    )
    assert answered.status_code == 201, answered.content


def plant(
    *,
    editor: User,
    moderator: User,
    registrar: User,
    reconsiderer: User,
    ingest: APIClient,
    run_on_commit: Callable[..., Any],
) -> Planted:
    """Plant the canary through the doors people and platforms use, then mark every entry
    holding it secret (a registrar, through the API)."""
    catalogue_entry_save(entry=Word(list="suspect", term="kanariefagel*"), actor=editor)
    facebook = ChannelFactory.create(
        connected=True, platform="facebook", platform_account_id=FACEBOOK_PAGE
    )
    ingested = ChannelFactory.create(connected=True)
    # A comment delivered by Meta's webhook, then edited on the platform.
    change = payload_json("meta/facebook_comment_add.json")["entry"][0]["changes"][0]["value"]
    change = {**change, "comment_id": "555_canary", "message": f"Om grannen: {CANARY}"}
    change["from"] = {**change["from"], "name": f"Anna {CANARY}"}
    _webhook(Client(), change, run_on_commit)
    edited = {**change, "verb": "edited", "message": f"Ändrat om grannen: {CANARY} igen"}
    _webhook(Client(), edited, run_on_commit)
    # A comment pushed by another municipal system.
    response = ingest.post(
        "/api/v1/moderation/ingest/",
        {
            "items": [
                {
                    "channel": ingested.slug,
                    "external_id": "ingest-canary",
                    "kind": "comment",
                    "event": "created",
                    "occurred_at": (timezone.now() - timedelta(minutes=3)).isoformat(),
                    "text": f"E-tjänsten: {CANARY}",
                    "author_id": "a-1",
                    "author_name": f"Bo {CANARY}",
                    "raw": {"message": CANARY},
                }
            ]
        },
        format="json",
    )
    assert response.json()["results"][0]["outcome"] == "created", response.content
    items = list(Item.objects.filter(text__contains=CANARY).order_by("pk"))
    # A moderator's note quoting it.
    staff = APIClient()
    staff.force_login(moderator)
    for item in items:
        note = staff.post("/api/v1/moderation/notes/", {"item": item.pk, "text": f"”{CANARY}”"})
        assert note.status_code == 201, note.content
    # A note about the webhook comment's author (not on an item) quoting it.
    author_note = {"author": items[0].author_id, "text": f"Skriver ofta om {CANARY}."}
    assert staff.post("/api/v1/moderation/notes/", author_note).status_code == 201
    bystander = _bystander(ingest, ingested.slug)
    _paste(staff, bystander, items[0].text)
    items_api = f"/api/v1/moderation/items/{bystander.pk}"
    assert staff.post(f"{items_api}/claim/").status_code == 200
    rationale = f"Samma ord som den andra: {items[0].text}"
    decided = staff.post(
        f"{items_api}/decide/",
        {"action": "hide", "grounds": ["harassment"], "rationale": rationale},
        format="json",
    )
    assert decided.status_code == 201, decided.content
    _decide(items[0], moderator, reconsiderer)
    # A registrar registers a letter by hand, amends it and corrects its subject.
    registrar_api = APIClient()
    registrar_api.force_login(registrar)
    created = registrar_api.post(
        "/api/v1/records/entries/",
        {
            "channel": ingested.slug,
            "source_id": "brev-canary",
            "document_date": (timezone.now() - timedelta(hours=2)).isoformat(),
            "direction": "incoming",
            "subject": f"Brev om {CANARY}",
            "text": f"Brevet: {CANARY}",
            "raw_payload": {"body": CANARY},
            "reason": "received",
            "counterparty_name": f"Avsändare {CANARY}",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    letter = Record.objects.get(pk=created.json()["id"])
    amended = registrar_api.post(
        f"/api/v1/records/entries/{letter.pk}/amend/",
        {
            "text": f"Rättelse: {CANARY}",
            "raw_payload": {"body": CANARY},
            "reason": "correction",
            "note": "Fel datum i brevet.",
            "occurred_at": timezone.now().isoformat(),
        },
        format="json",
    )
    assert amended.status_code == 201, amended.content
    media = media_plant(letter, registrar, b"\x89PNG\r\n\x1a\n" + CANARY.encode())
    registrar_web = Client()
    registrar_web.force_login(registrar)
    corrected = registrar_web.post(
        reverse("admin:records_record_change", args=[letter.pk]),
        {
            "subject": f"Rättat ämne {CANARY}",
            "public_subject": f"Rättat ämne {CANARY}",
            "legal_hold_reason": "",
            "secrecy_provision": "",
        },
    )
    assert corrected.status_code == 302, corrected.content
    records = [letter, *Record.objects.filter(pk__in=[item.record_id for item in items])]
    for record in records:
        marked = registrar_api.post(
            f"/api/v1/records/entries/{record.pk}/mark-secret/",
            {"provision": "OSL 26 kap. 1 §"},
            format="json",
        )
        assert marked.status_code == 200, marked.content
    _paste(staff, bystander, items[1].text)  # pasted after the marking
    planted = Planted(records=records, items=items, channel_slugs=[facebook.slug, ingested.slug])
    planted.media = [(str(media.record_id), str(media.position))]
    for label in CONTENT_COLUMNS:
        model = apps.get_model(label)
        column = CONTENT_COLUMNS[label][0]
        rows = model._default_manager.filter(**{f"{column}__contains": CANARY})
        pk = "history_id" if label.split(".")[1].startswith("Historical") else "pk"
        planted.ids[label] = [str(value) for value in rows.values_list(pk, flat=True)]
    # The bystander's comment holds no canary; its page shows the notes and the rationale that
    # paste the secret comments.
    planted.ids["moderation.Item"].append(str(bystander.pk))
    # The author asks what is held about them (GDPR art. 15): the request's pages list it.
    subject = subject_request_create(
        case_number="DSO 2026/1",
        kind="access",
        requester="Anna",
        identifiers=[AUTHOR_ID],
        actor=registrar,
    )
    planted.ids["privacy.SubjectRequest"] = [str(subject.pk)]
    return planted


# --- the read paths --------------------------------------------------------------------------

# Named URL patterns that take an argument but no id of a content row, and why; every other
# pattern taking an argument must resolve to a model (its admin or its API view's queryset).
NO_CONTENT_ID: dict[str, str] = {
    "admin:view_on_site": "redirects to a model's public page (none for content models)",
    "admin:app_list": "the app index",
    "admin:password_change": "staff",
    "admin:accounts_user_password_change": "staff",
    "podcasts:show": "podcast pages by slug",
    "podcasts:episode": "podcast pages",
    "podcasts:transcript": "podcast pages",
    "podcasts:feed": "podcast feeds",
    "podcasts:video-feed": "podcast feeds",
    "podcasts:media": "podcast media files",
    "account_confirm_email": "staff sign-in",
    "account_reset_password_from_key": "staff sign-in",
    "socialaccount_connections": "staff sign-in",
    "openid_connect_login": "staff sign-in",
    "openid_connect_callback": "staff sign-in",
    "set_language": "language",
    "admin:moderation_queue_act": "POST only (the step that shows content is tested itself)",
    "privacy:package-link": (
        "a one-time token, no row id: the page shows no content; the package is fetched by POST"
    ),
}
# The views of a stored media file, by entry id and position: read for each planted file.
MEDIA_VIEWS = {"admin:records_record_media": "the register admin's view of a stored file"}
# Models whose rows a URL pattern is for, for the custom views that do not say so themselves.
CUSTOM_VIEW_MODELS = {
    "admin:moderation_queue_item": "moderation.Item",
    "admin:moderation_status": "moderation.Item",
    "admin:moderation_queue_rows": "moderation.Item",
}
# The pages of a request about a person's own data that show what is held about the person:
# each is read for the planted request (naming the canary's author by platform id, so the
# page's own echo of the search holds no canary), with the query it takes.
PERSON_VIEWS = {
    "admin:privacy_search": f"?term={AUTHOR_ID}",
    "admin:privacy_package": "",
    "admin:privacy_correct": "",
}
ID_KWARGS = ("object_id", "pk", "id")


def _patterns(
    resolvers: list[URLPattern | URLResolver],
    namespace: str = "",
    outer: frozenset[str] = frozenset(),
) -> Iterator[tuple[str, URLPattern, frozenset[str]]]:
    """Every named pattern with its full name and the arguments its enclosing includes take."""
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            taken = outer | set(entry.pattern.regex.groupindex)
            yield from _patterns(entry.url_patterns, inner, frozenset(taken))
        elif entry.name:
            yield f"{namespace}{entry.name}", entry, outer


def _model_of(name: str, pattern: URLPattern) -> str | None:
    callback = pattern.callback
    model_admin = getattr(callback, "model_admin", None)
    if model_admin is not None:
        return str(model_admin.model._meta.label)
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return str(queryset.model._meta.label)
    for model in admin.site._registry:  # the admin's own views that do not say (history)
        if name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_"):
            return str(model._meta.label)
    return CUSTOM_VIEW_MODELS.get(name)


POSITIONAL = ("object_id", "version_id")  # django-simple-history's version page


def _arguments(pattern: URLPattern) -> set[str]:
    regex = pattern.pattern.regex
    if regex.groupindex:
        return set(regex.groupindex)
    return set(POSITIONAL[: regex.groups])


def _reverse(name: str, pattern: URLPattern, kwargs: dict[str, str]) -> str:
    if pattern.pattern.regex.groupindex:
        return reverse(name, kwargs=kwargs)
    return reverse(name, args=[kwargs[key] for key in POSITIONAL if key in kwargs])


def _gets(pattern: URLPattern) -> bool:
    actions = getattr(pattern.callback, "actions", None)  # DRF viewset routes
    return actions is None or "get" in actions


def search_markers(planted: Planted) -> list[str]:
    """What a search result for the canary would show of a secret row without showing its
    text: the platform and source ids and the admin addresses of the rows."""
    markers = [item.external_id for item in planted.items]
    markers += [record.source_id for record in planted.records]
    markers += [f"/admin/records/record/{record.pk}/change/" for record in planted.records]
    markers += [f"/admin/moderation/item/queue/{item.pk}/" for item in planted.items]
    return markers


def exports(planted: Planted) -> list[tuple[str, dict[str, Any]]]:
    """The exports and packages a person may ask for (POST): the e-archive package, by API
    and by the register's admin action."""
    ids = [record.pk for record in planted.records]
    return [
        ("/api/v1/records/entries/export/", {"records": ids, "title": "Export"}),
        (
            reverse("admin:records_record_changelist"),
            {"action": "export_package", "_selected_action": ids},
        ),
    ]


@dataclass
class ReadPaths:
    urls: list[str]
    unclassified: list[str]


def read_paths(planted: Planted) -> ReadPaths:
    """Every GET address of the URL conf that can take a content row's id or a search: each
    pattern with an id for every row of its model that holds the canary (history versions
    too), each list with the searches and every filter of its API filter set."""
    urls: list[str] = []  # the rows' own pages first: most leaks would show there
    lists: list[str] = []
    unclassified: list[str] = []
    for name, pattern, outer in _patterns(get_resolver().url_patterns):
        if not _gets(pattern):
            continue
        arguments = (_arguments(pattern) | outer) - {"format"}
        if "format" in _arguments(pattern):
            continue  # the same view as the pattern without the suffix
        if not arguments:
            base = reverse(name)
            if name.startswith("admin:"):
                lists += [base, f"{base}?{SEARCHES[0]}"]
                continue
            lists += [base, *(f"{base}?{search}" for search in SEARCHES)]
            lists += [f"{base}?channel={slug}" for slug in planted.channel_slugs]
            if _model_of(name, pattern) in CONTENT_COLUMNS:  # each filter of a content list
                lists += [f"{base}?{query}" for query in _filter_queries(pattern, planted)]
            continue
        found = _id_urls(name, pattern, arguments, planted)
        if found is None:
            unclassified.append(name)
        urls += found or []
    urls += [*lists, *_autocompletes()]
    return ReadPaths(urls=list(dict.fromkeys(urls)), unclassified=unclassified)


def _id_urls(
    name: str, pattern: URLPattern, arguments: set[str], planted: Planted
) -> list[str] | None:
    """The addresses of a pattern taking an id for the planted rows; None when the pattern
    cannot be classified."""
    if name in NO_CONTENT_ID:
        return []
    if name in MEDIA_VIEWS:
        return [reverse(name, args=[pk, position]) for pk, position in planted.media]
    if name in PERSON_VIEWS:
        return [
            reverse(name, kwargs={"pk": pk}) + PERSON_VIEWS[name]
            for pk in planted.ids["privacy.SubjectRequest"]
        ]
    label = _model_of(name, pattern)
    if label is not None and label not in CONTENT_COLUMNS:
        return []  # a model without content: no row of it holds the canary
    if label is None or not arguments <= {*ID_KWARGS, "version_id"}:
        return None
    (id_kwarg,) = arguments & set(ID_KWARGS)
    urls: list[str] = []
    for pk in planted.ids.get(label, []):
        if "version_id" in arguments:
            versions = apps.get_model(label).history.filter(id=pk)
            urls += [
                _reverse(name, pattern, {id_kwarg: pk, "version_id": str(version)})
                for version in versions.values_list("history_id", flat=True)
            ]
        else:
            urls.append(_reverse(name, pattern, {id_kwarg: pk}))
    return urls


def _filter_queries(pattern: URLPattern, planted: Planted) -> Iterator[str]:
    view = getattr(pattern.callback, "cls", None)
    filterset = getattr(view, "filterset_class", None)
    if filterset is None:
        return
    values = [PART, planted.channel_slugs[0]]
    values += [planted.ids[label][0] for label in ("records.Record", "moderation.Item")]
    for name in filterset.base_filters:
        yield from (f"{name}={value}" for value in values)


def _autocompletes() -> Iterator[str]:
    base = reverse("admin:autocomplete")
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.autocomplete_fields:
            opts = model._meta
            yield (
                f"{base}?app_label={opts.app_label}&model_name={opts.model_name}"
                f"&field_name={name}&term={PART}"
            )
