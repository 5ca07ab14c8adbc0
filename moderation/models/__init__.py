"""Moderation: the published grounds, what citizens post (items, their versions and authors),
what the detectors found, the decisions moderators make, blocks, notes, reconsiderations, the
word lists and reply templates editors keep, and the outbox of actions for the platforms. Each
concept is a module of this package; every model is imported here so Django registers it and
callers import from ``moderation.models``."""

from moderation.models.base import AppendOnlyModel as AppendOnlyModel
from moderation.models.blocks import Block as Block
from moderation.models.catalogue import ReplyTemplate as ReplyTemplate
from moderation.models.catalogue import Word as Word
from moderation.models.connections import ChannelConnection as ChannelConnection
from moderation.models.decisions import Decision as Decision
from moderation.models.decisions import PoliceReportChecklist as PoliceReportChecklist
from moderation.models.decisions import Reconsideration as Reconsideration
from moderation.models.grounds import Ground as Ground
from moderation.models.items import OPEN_ITEMS as OPEN_ITEMS
from moderation.models.items import OPEN_STATES as OPEN_STATES
from moderation.models.items import DetectorHit as DetectorHit
from moderation.models.items import Item as Item
from moderation.models.items import ItemVersion as ItemVersion
from moderation.models.items import PlatformAccount as PlatformAccount
from moderation.models.month_figures import ItemMonthFigures as ItemMonthFigures
from moderation.models.notes import Note as Note
from moderation.models.platform_actions import PlatformAction as PlatformAction
from moderation.models.reconsideration_request import (
    ReconsiderationRequest as ReconsiderationRequest,
)
from moderation.models.threats import EscalationContact as EscalationContact
from moderation.models.threats import ThreatTerm as ThreatTerm
from moderation.models.threats import UrgentAlert as UrgentAlert
from moderation.models.webhook_delivery import WebhookDelivery as WebhookDelivery
from moderation.models.webhook_delivery import WebhookSource as WebhookSource
