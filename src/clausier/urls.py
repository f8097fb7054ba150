from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from clausier.web import views as web_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", web_views.healthz, name="healthz"),
]
urlpatterns += i18n_patterns(
    path("", web_views.home, name="home"),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
