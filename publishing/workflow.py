"""The post's way from draft to the platform, as one table: each step, the states it starts
from, the state it leads to and the permission it needs. The services read it; nothing else
decides which step is allowed."""

from dataclasses import dataclass

from publishing.choices import PostStatus

S = PostStatus


@dataclass(frozen=True)
class Step:
    sources: frozenset[str]
    target: str
    permission: str


STEPS: dict[str, Step] = {
    "submit": Step(frozenset({S.DRAFT}), S.IN_REVIEW, "publishing.change_post"),
    # Back to the author: a rejected review, or a change after approval (approval is cleared).
    "reopen": Step(
        frozenset({S.IN_REVIEW, S.APPROVED, S.SCHEDULED, S.FAILED}),
        S.DRAFT,
        "publishing.change_post",
    ),
    # Approved posts with a planned time are scheduled at once (see post_approve).
    "approve": Step(frozenset({S.IN_REVIEW}), S.APPROVED, "publishing.approve_post"),
    "schedule": Step(frozenset({S.APPROVED, S.FAILED}), S.SCHEDULED, "publishing.publish_post"),
    # Publish now: queued for the sender at once.
    "publish": Step(
        frozenset({S.APPROVED, S.SCHEDULED, S.FAILED}), S.SCHEDULED, "publishing.publish_post"
    ),
    "withdraw": Step(
        frozenset({S.DRAFT, S.IN_REVIEW, S.APPROVED, S.SCHEDULED, S.FAILED}),
        S.WITHDRAWN,
        "publishing.publish_post",
    ),
}
EDITABLE = frozenset({S.DRAFT})
