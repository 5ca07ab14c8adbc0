"""Public pages: the register (diarium) and the form to request public documents."""

import math
from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from records.forms import AccessRequestForm, PublicRegisterFilterForm, form_token_issue
from records.models import Record
from records.selectors import record_public_list, record_public_years
from records.services import access_request_submit
from records.throttling import access_request_wait

PAGE_SIZE = 25
# The public page counts matches up to this many: counting every match of a common word in a
# register of a million entries reads them all (bench/results/plans/search_page.txt).
COUNT_LIMIT = 1000


class CappedPaginator(Paginator):
    """Counts at most COUNT_LIMIT + 1 entries (one COUNT over a LIMITed subquery that stops at
    the limit), so the pages run to COUNT_LIMIT and ``capped`` says there are more. The count
    keeps the list's order: PostgreSQL then reads the entries as the page does, walking the
    newest for a common word, taking a rare one's matches from the GIN index, instead of
    reading the table from its oldest rows."""

    @cached_property
    def counted(self) -> int:
        entries = cast(QuerySet[Record], self.object_list)
        return entries[: COUNT_LIMIT + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.counted, COUNT_LIMIT)

    @property
    def capped(self) -> bool:
        return self.counted > COUNT_LIMIT


def public_register(request: HttpRequest) -> HttpResponse:
    years = record_public_years()
    form = PublicRegisterFilterForm(request.GET or None, years=years)
    filters = form.cleaned_data if form.is_valid() else {}
    paginator = CappedPaginator(record_public_list(filters=filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "records/public_register.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@require_http_methods(["GET", "POST"])
def access_request_form(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = AccessRequestForm(request.POST)
        wait = access_request_wait(request)
        if wait is not None:
            # Refused before anything is stored; the form comes back with the text as written.
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Too many requests have been sent from here just now. Your text is kept below: "
                    "send it again in %(minutes)s minutes, or call or write to the registry."
                )
                % {"minutes": max(1, math.ceil(wait / 60))},
            )
            status = 429
        elif form.is_valid():
            try:
                created = access_request_submit(
                    scope=form.cleaned_data["scope"],
                    contact=form.cleaned_data["contact"],
                    form_nonce=form.cleaned_data["token"],
                )
            except ValidationError as error:
                # Refused by the service (a repeated post, an empty scope): nothing was stored.
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Your request %(id)s has been received. It will be handled by %(due)s.")
                    % {"id": created.pk, "due": created.due_on.strftime("%Y-%m-%d")},
                )
                return redirect("records:access-request-received")
    else:
        form = AccessRequestForm(initial={"token": form_token_issue()})
    return render(request, "records/access_request_form.html", {"form": form}, status=status)


def access_request_received(request: HttpRequest) -> HttpResponse:
    return render(request, "records/access_request_received.html")
