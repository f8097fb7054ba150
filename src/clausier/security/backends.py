"""The lockout's authentication backend, first in ``AUTHENTICATION_BACKENDS``: it refuses a
locked username and address before the password is checked. A check made without a request
(a program's ``authenticate()``, no one typing at a login page) has nothing to throttle."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
