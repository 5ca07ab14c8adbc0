"""Every viewset of the API is a core.api.viewsets.ServiceViewSet, whose writes go through the
services: no viewset falls back on DRF's ``perform_create``/``perform_update`` (a serializer's
``save``), which would write without the services' permission checks and rules."""

from django.urls import get_resolver
from rest_framework.viewsets import ViewSetMixin

from core.api.viewsets import ServiceViewSet


def viewsets(patterns=None) -> set[type[ServiceViewSet]]:
    found = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if hasattr(pattern, "url_patterns"):
            found |= viewsets(pattern.url_patterns)
        else:
            cls = getattr(pattern.callback, "cls", None)
            if cls is not None and issubclass(cls, ViewSetMixin):
                found.add(cls)
    return found


def test_every_viewset_is_a_service_viewset():
    found = viewsets()
    assert len(found) >= 10
    assert sorted(c.__name__ for c in found if not issubclass(c, ServiceViewSet)) == []


def test_writes_go_through_the_services():
    for cls in viewsets():
        assert cls.perform_create is ServiceViewSet.perform_create, cls.__name__
        assert cls.perform_update is ServiceViewSet.perform_update, cls.__name__
