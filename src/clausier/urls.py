from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from clausier import entry
from clausier.api.urls import urlpatterns as api_urlpatterns
from clausier.ops import views as ops
from clausier.payments.urls import webhook_patterns
from clausier.portal.accounts import account_patterns

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("metrics", ops.prometheus, name="metrics"),
    *api_urlpatterns,
    *webhook_patterns,
]
urlpatterns += i18n_patterns(
    path("", entry.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("start/", entry.after_login, name="after_login"),
    # Password reset and change on the product's pages (a portal login created without a
    # password starts here).
    path("account/", include(account_patterns)),
    # The second factor: its code after the password, its enrolment, the account's page.
    path("account/security/", include("clausier.security.urls")),
    path("backoffice/", include("clausier.backoffice.urls")),
    path("portal/", include("clausier.portal.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
