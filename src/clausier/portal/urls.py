from django.urls import path

from clausier.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("accept/", views.accept, name="accept"),
    path("terms/<int:version_id>/", views.terms, name="terms"),
    path("profile/", views.profile, name="profile"),
    path("logo/", views.logo, name="logo"),
]
