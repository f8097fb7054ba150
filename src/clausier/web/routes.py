"""The domains' screen URLs, by one convention: a view is named by its URL, and the URL name is
the view's name (``quote + "accept/email/"`` is ``quote_accept_email``)."""

from __future__ import annotations

from types import ModuleType

from django.urls import URLPattern, path


def view(route: str, views: ModuleType, name: str) -> URLPattern:
    """``route``, served by the view ``name`` of ``views``, named alike."""
    return path(route, getattr(views, name), name=name)


def actions(views: ModuleType, base: str, noun: str, *segments: str) -> list[URLPattern]:
    """``base + segment + "/"`` for each segment, served by the view ``<noun>_<segment>`` of
    ``views`` (``-`` and ``/`` read as ``_``)."""
    return [
        view(f"{base}{segment}/", views, f"{noun}_{segment.replace('-', '_').replace('/', '_')}")
        for segment in segments
    ]
