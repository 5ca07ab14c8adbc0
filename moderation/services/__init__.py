"""Every write in moderation, one module per concept: intake of platform content (intake),
what the detectors find and the automation it triggers (detection), handing items to the
register (capture), claims, the decision workflow (workflow) and decisions, blocks,
reconsideration, notes and checklists, the logged content reveal (content), what editors keep
in admin (catalogue), and the scheduled sweeps (housekeeping). Callers import from
``moderation.services``."""

from moderation.services.blocks import block_create as block_create
from moderation.services.blocks import block_lift as block_lift
from moderation.services.catalogue import catalogue_entry_save as catalogue_entry_save
from moderation.services.claims import CLAIM_DURATION as CLAIM_DURATION
from moderation.services.claims import item_claim as item_claim
from moderation.services.claims import item_release as item_release
from moderation.services.content import item_content_reveal as item_content_reveal
from moderation.services.decisions import BULK_LIMIT as BULK_LIMIT
from moderation.services.decisions import item_decide as item_decide
from moderation.services.decisions import items_decide_bulk as items_decide_bulk
from moderation.services.detection import DETECTOR_WEIGHTS as DETECTOR_WEIGHTS
from moderation.services.detection import IDENTITY_DETECTORS as IDENTITY_DETECTORS
from moderation.services.detection import MANDATORY_BONUS as MANDATORY_BONUS
from moderation.services.detection import PERSONAL_NUMBER_TEMPLATE as PERSONAL_NUMBER_TEMPLATE
from moderation.services.housekeeping import DUE_ALERT_WINDOW as DUE_ALERT_WINDOW
from moderation.services.housekeeping import blocks_expired_lift as blocks_expired_lift
from moderation.services.housekeeping import claims_expired_release as claims_expired_release
from moderation.services.housekeeping import items_due_alert as items_due_alert
from moderation.services.intake import MAX_TEXT_LENGTH as MAX_TEXT_LENGTH
from moderation.services.intake import IntakeResult as IntakeResult
from moderation.services.intake import content_hash as content_hash
from moderation.services.intake import intake_validate as intake_validate
from moderation.services.intake import moderation_item_intake as moderation_item_intake
from moderation.services.intake import moderation_items_intake as moderation_items_intake
from moderation.services.intake import moderation_items_receive as moderation_items_receive
from moderation.services.notes import note_create as note_create
from moderation.services.notes import police_checklist_update as police_checklist_update
from moderation.services.reconsideration import decision_reconsider as decision_reconsider
from moderation.services.workflow import PLATFORM_ACTION_FOR as PLATFORM_ACTION_FOR
from moderation.services.workflow import WORKFLOW as WORKFLOW
from moderation.services.workflow import Step as Step
from moderation.services.workflow import grounds_resolve as grounds_resolve
