"""Where the site starts: the home page and where a login lands. A shell, like ``urls.py``: it
may read any domain. (The health checks are ``ops.views``.)"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from clausier.customers.selectors import is_portal_user
from clausier.sellers.selectors import is_staff_anywhere


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Sends staff to the back-office and client contacts to their portal."""
    if is_staff_anywhere(user=request.user):
        return redirect("backoffice:index")
    if is_portal_user(user=request.user):
        return redirect("portal:home")
    return render(request, "web/no_access.html", status=403)
