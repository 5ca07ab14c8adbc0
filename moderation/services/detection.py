"""What the detectors find in an item's text, the priority and grounds it suggests, and the
automation it triggers (hiding a personal identity number and answering its author)."""

from collections.abc import Sequence

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import system_user
from moderation import detectors
from moderation.capabilities import platform_supports
from moderation.choices import DecisionAction, DetectorKind, ItemState, PlatformActionKind
from moderation.classifiers import texts_detect
from moderation.models import DetectorHit, Ground, Item, ReplyTemplate, Word
from moderation.selectors import threat_lexicon
from moderation.services.claims import _effective_state
from moderation.services.workflow import _decision_apply

PERSONAL_NUMBER_TEMPLATE = "personnummer"


MANDATORY_BONUS = 100


DETECTOR_WEIGHTS = {
    DetectorKind.THREAT: 80,
    DetectorKind.INCITEMENT: 70,
    DetectorKind.HARASSMENT: 30,
    DetectorKind.PERSONAL_NUMBER: 60,
    DetectorKind.COORDINATION_NUMBER: 60,
    DetectorKind.BANNED_WORD: 40,
    DetectorKind.SUSPECT_WORD: 15,
    DetectorKind.PHONE: 10,
    DetectorKind.EMAIL: 10,
    DetectorKind.LINK: 10,
}


IDENTITY_DETECTORS = {DetectorKind.PERSONAL_NUMBER, DetectorKind.COORDINATION_NUMBER}


def _detectors_run(texts: Sequence[str]) -> list[list[DetectorHit]]:
    """Every detector on each text: the hits, not yet stored nor given their version."""
    words = [
        detectors.WordEntry(w.list, w.term, w.ground.code if w.ground else None)
        for w in Word.objects.filter(is_active=True).select_related("ground")
    ]
    found = texts_detect(texts, words=words, lexicon=threat_lexicon())
    codes = {hit.ground_code for hits in found for hit in hits} - {None}
    grounds = {g.code: g for g in Ground.objects.filter(code__in=codes)} if codes else {}
    return [
        [
            DetectorHit(
                detector=hit.detector,
                matched=hit.matched[:500],
                start=hit.start,
                end=hit.end,
                detail=hit.detail[:255],
                ground=grounds.get(hit.ground_code or ""),
            )
            for hit in hits
        ]
        for hits in found
    ]


def _priority(hits: Sequence[DetectorHit]) -> tuple[int, set[Ground]]:
    """The priority the hits give an item, and the grounds they suggest."""
    grounds = {hit.ground for hit in hits if hit.ground is not None}
    priority = sum(DETECTOR_WEIGHTS[DetectorKind(k)] for k in {hit.detector for hit in hits})
    if any(g.mandatory_removal for g in grounds):
        priority += MANDATORY_BONUS
    return priority, grounds


def _automation_run(item: Item, hits: Sequence[DetectorHit], *, actor: User) -> None:
    """Hide an item that shows a personal identity number, where the channel can, and answer its
    author with the Servicecenter template. Automation never removes."""
    if not any(hit.detector in IDENTITY_DETECTORS for hit in hits):
        return
    if item.platform_deleted or _effective_state(item) != ItemState.NEW:
        return
    system = system_user()
    sensitive = list(Ground.objects.filter(code="sensitive-information"))
    reason = _("Automatic: the text contains a personal identity number.")
    platform = item.channel.platform
    if platform_supports(platform=platform, action=PlatformActionKind.HIDE, kind=item.kind):
        _decision_apply(item, DecisionAction.HIDE, sensitive, reason, actor=system, automated=True)
    template = ReplyTemplate.objects.filter(code=PERSONAL_NUMBER_TEMPLATE, is_active=True).first()
    already = item.decisions.filter(action=DecisionAction.REPLY, automated=True).exists()
    can_reply = platform_supports(
        platform=platform, action=PlatformActionKind.REPLY, kind=item.kind
    )
    if template and not already and can_reply:
        _decision_apply(
            item,
            DecisionAction.REPLY,
            [],
            reason,
            actor=system,
            automated=True,
            reply_template=template,
        )
