"""What the detectors find in an item's text, the priority and grounds it suggests, and the
automation it triggers (hiding a personal identity number and answering its author)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import system_user
from core.dispatch import dispatch_on_commit
from moderation.alerts import urgent_due
from moderation.capabilities import platform_supports
from moderation.choices import DecisionAction, DetectorKind, ItemState, PlatformActionKind
from moderation.classifiers import texts_detect
from moderation.models import DetectorHit, Ground, Item, ItemVersion, ReplyTemplate
from moderation.selectors import threat_lexicon, word_lists
from moderation.services.claims import _effective_state
from moderation.services.workflow import _decision_apply
from moderation.tasks import urgent_items_alert

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
    found = texts_detect(texts, words=word_lists(), lexicon=threat_lexicon())
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


@dataclass(frozen=True)
class Findings:
    """What the detectors found in one text and what it makes of the item: its priority, the
    grounds it suggests, whether it is urgent (a ground obliges removal) and whether it is
    sensitive (it shows an identity number: registered as such, and automation hides it)."""

    hits: list[DetectorHit]
    grounds: set[Ground]
    priority: int

    @property
    def urgent(self) -> bool:
        return any(g.mandatory_removal for g in self.grounds)

    @property
    def sensitive(self) -> bool:
        return any(hit.detector in IDENTITY_DETECTORS for hit in self.hits)

    def rank(self, item: Item, now: datetime) -> None:
        """Give ``item`` the priority; an urgent one is due at once."""
        item.priority = self.priority
        if self.urgent:
            item.due_at = min(item.due_at, urgent_due(now))


def texts_assess(texts: Sequence[str]) -> list[Findings]:
    """The first step of every write of an item's text, batch intake and later edits alike:
    what the detectors find in each text (the hits not yet stored nor given their version)."""
    findings = []
    for hits in _detectors_run(texts):
        grounds = {hit.ground for hit in hits if hit.ground is not None}
        priority = sum(DETECTOR_WEIGHTS[DetectorKind(k)] for k in {hit.detector for hit in hits})
        if any(g.mandatory_removal for g in grounds):
            priority += MANDATORY_BONUS
        findings.append(Findings(hits, grounds, priority))
    return findings


def hits_store(found: Iterable[tuple[ItemVersion, Findings]]) -> None:
    """Store the hits of each version's findings, in one statement."""
    hits = []
    for version, findings in found:
        for hit in findings.hits:
            hit.version = version
        hits.extend(findings.hits)
    DetectorHit.objects.bulk_create(hits)


def findings_act(found: Sequence[tuple[Item, Findings]], *, actor: User) -> None:
    """The last step, once the items are stored: automation on each sensitive item, and one
    alert about the urgent ones."""
    for item, findings in found:
        _automation_run(item, findings, actor=actor)
    urgent = [item.pk for item, findings in found if findings.urgent]
    if urgent:
        dispatch_on_commit(urgent_items_alert, urgent)


def _automation_run(item: Item, findings: Findings, *, actor: User) -> None:
    """Hide an item that shows a personal identity number, where the channel can, and answer its
    author with the Servicecenter template. Automation never removes."""
    if not findings.sensitive:
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
