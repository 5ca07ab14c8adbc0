"""Reads of the privacy cases."""

from django.db.models import QuerySet

from privacy.models import SubjectRequest


def subject_request_list() -> QuerySet[SubjectRequest]:
    """Every request about a person's own data, newest first (the API shows no related row)."""
    return SubjectRequest.objects.order_by("-pk")
