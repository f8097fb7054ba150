"""The domains' screen URLs, by one convention: a view is named by its URL, and the URL name is
the view's name (``quote + "accept/email/"`` is ``quote_accept_email``)."""

from __future__ import annotations

from types import ModuleType

from django.urls import URLPattern, path


def view(route: str, views: ModuleType, name: str) -> URLPattern:
    """``route``, served by the view ``name`` of ``views``, named alike."""
    return path(route, getattr(views, name), name=name)


def listing(views: ModuleType, route: str, name: str, noun: str) -> list[URLPattern]:
    """A list page ``name`` at ``route``, and the page making a new one (``<noun>_new``)."""
    return [view(route, views, name), *actions(views, route, noun, "new")]


def page(views: ModuleType, route: str, noun: str, *segments: str) -> list[URLPattern]:
    """An object's page ``noun`` at ``route``, and its actions (see :func:`actions`)."""
    return [view(route, views, noun), *actions(views, route, noun, *segments)]


def actions(views: ModuleType, base: str, noun: str, *segments: str) -> list[URLPattern]:
    """``base + segment + "/"`` for each segment, served by the view ``<noun>_<segment>`` of
    ``views`` (``-`` and ``/`` read as ``_``)."""
    return [
        view(f"{base}{segment}/", views, f"{noun}_{segment.replace('-', '_').replace('/', '_')}")
        for segment in segments
    ]
