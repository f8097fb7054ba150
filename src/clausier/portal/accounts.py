"""A login's password: first login, reset by e-mail and change, as product pages (Django's
auth views on clausier's templates). The reset e-mail is written in the client's language and
signed with its seller's name; a staff member gets it in the language of the request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils import translation

from clausier.customers.selectors import contact_of, document_language

TEMPLATES = "portal/account/"


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, whose e-mail speaks the client's language and names its seller."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        contact = contact_of(user=context["user"])
        language = translation.get_language()
        if contact is not None:
            language = document_language(client=contact.client)
            context = context | {"seller": contact.client.seller, "contact": contact}
        context = context | {"product_name": "clausier"}
        with translation.override(language):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


account_patterns = [
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            template_name=TEMPLATES + "password_reset_form.html",
            email_template_name=TEMPLATES + "password_reset_email.txt",
            subject_template_name=TEMPLATES + "password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(
            template_name=TEMPLATES + "password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name=TEMPLATES + "password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name=TEMPLATES + "password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(
            template_name=TEMPLATES + "password_change_form.html"
        ),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name=TEMPLATES + "password_change_done.html"
        ),
        name="password_change_done",
    ),
]
