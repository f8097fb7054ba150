"""The API answers in the language its caller asks for.

The API's paths carry no language prefix, which for the pages means French: an API caller
says its language with ``Accept-Language`` instead (French when it says none or one the
product does not speak). Messages, explanations and dates in the answers follow it, and the
answer says which it is (``Content-Language``, ``Vary: Accept-Language``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

from clausier.api.urls import PREFIX


def _asked(request: HttpRequest) -> str:
    """The language of ``Accept-Language`` the caller prefers (highest ``q`` first, ``q=0``
    meaning "not this one") among those the product speaks, else the default."""
    spoken = dict(settings.LANGUAGES)
    header = request.headers.get("Accept-Language", "")
    for code, quality in parse_accept_lang_header(header):
        if code == "*" or quality <= 0:
            continue
        try:
            language = translation.get_supported_language_variant(code)
        except LookupError:
            continue
        if language in spoken:
            return language
    return settings.LANGUAGE_CODE


class ApiLanguageMiddleware:
    """After ``LocaleMiddleware``: under ``/api/``, the language of ``Accept-Language``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith("/" + PREFIX):
            return self.get_response(request)
        language = _asked(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers["Content-Language"] = language
        return response
