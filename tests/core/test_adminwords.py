"""Crontab schedules in the admin read in the page's language, days and months included."""

import pytest
from django.utils import translation

from core.adminwords import crontab_description


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("5 7 * * 1-5", "Vid 07:05, måndag till och med fredag"),
        ("0 9 * * 4", "Vid 09:00, bara på torsdag"),
        ("0 3 1 6 *", "juni"),
    ],
)
def test_crontab_schedules_name_days_and_months_in_swedish(expression, words):
    with translation.override("sv"):
        description = crontab_description(expression)
    assert words in description
    for english in ("Monday", "Friday", "Thursday", "June"):
        assert english not in description
