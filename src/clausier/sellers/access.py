"""Who may open a back-office screen or call the API: the seller, then the permission.

Back-office: the seller in the URL, then the permission.

Every view is wrapped by :func:`staff_view`: it resolves ``staff_scope`` from the ``slug`` of
the URL (another seller's slug is a 404, as is anything the user is not staff of), then
checks the view's permission (403 with a page naming the role and what it may not do).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from clausier.sellers.domain import OWNER, PERMISSIONS
from clausier.sellers.models import Role
from clausier.sellers.selectors import StaffScope, staff_scope

# What each permission lets a person do, in the words of the 403 page.
PERMISSION_LABELS = {
    "seller.view": gettext_lazy("consulter ce vendeur"),
    "clients.view": gettext_lazy("consulter les clients"),
    "clients.edit": gettext_lazy("créer ou modifier des clients et leurs contacts"),
    "terms.view": gettext_lazy("consulter les CGV"),
    "terms.edit": gettext_lazy("rédiger et publier des versions des CGV"),
    "acceptances.record": gettext_lazy("enregistrer l'acceptation des CGV par un client"),
    "audit.view": gettext_lazy("consulter le journal d'audit"),
    "api_tokens.manage": gettext_lazy("gérer les jetons d'API"),
    "catalog.view": gettext_lazy("consulter le catalogue"),
    "catalog.edit": gettext_lazy("modifier le catalogue et ses prix"),
    "quotes.view": gettext_lazy("consulter les devis"),
    "quotes.edit": gettext_lazy("rédiger, envoyer, réviser ou retirer des devis"),
    "quotes.record_acceptance": gettext_lazy(
        "enregistrer l'acceptation d'un devis reçue par e-mail ou par courrier"
    ),
    "orders.view": gettext_lazy("consulter les commandes"),
    "orders.edit": gettext_lazy(
        "enregistrer un acompte ou un paiement, démarrer les travaux ou activer le service"
    ),
    "orders.cancel": gettext_lazy("annuler une commande"),
    "invoices.view": gettext_lazy("consulter les factures et les avoirs"),
    "invoices.edit": gettext_lazy(
        "rédiger ou émettre des factures, créer des avoirs ou enregistrer des paiements"
    ),
    "invoices.send": gettext_lazy("renvoyer une facture au client"),
    "support.view": gettext_lazy("consulter les tickets du support"),
    "support.edit": gettext_lazy(
        "répondre aux tickets, les qualifier, les classer et saisir le temps passé"
    ),
    "webhooks.view": gettext_lazy("consulter les webhooks et leur journal d'envoi"),
    "webhooks.retry": gettext_lazy("renvoyer un webhook"),
    "webhooks.manage": gettext_lazy("gérer les destinations de webhooks et leurs secrets"),
    "inbox.view": gettext_lazy("consulter les messages reçus aux adresses de support"),
    "inbox.reparse": gettext_lazy("relire un message reçu"),
    "settings.edit": gettext_lazy(
        "modifier les paramètres du vendeur (identité, TVA, banque, logo, numérotation)"
    ),
}


def require(scope: StaffScope, permission: str) -> None:
    """403 unless the scope's role holds ``permission``; the message says who and what."""
    if not scope.can(permission):
        raise PermissionDenied(
            _("Votre rôle chez %(seller)s (%(role)s) ne permet pas de %(action)s.")
            % {
                "seller": scope.seller,
                "role": Role(scope.role).label,
                "action": PERMISSION_LABELS[permission],
            }
        )


type StaffView = Callable[..., HttpResponse]


def staff_view(permission: str = "seller.view") -> Callable[[StaffView], StaffView]:
    """Wrap a view taking ``(request, scope, ...)`` behind login, scope and ``permission``."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")

    def decorator(view: StaffView) -> StaffView:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            scope = staff_scope(user=request.user, seller_slug=slug)
            require(scope, permission)
            return view(request, scope, *args, **kwargs)

        return wrapper

    return decorator


def staff_action(permission: str) -> Callable[[StaffView], StaffView]:
    """:func:`staff_view` for a view that writes: any method but POST is refused first (405)."""
    guard = staff_view(permission)

    def decorator(view: StaffView) -> StaffView:
        return require_POST(guard(view))

    return decorator


def render_staff(
    request: HttpRequest,
    scope: StaffScope,
    template: str,
    context: dict | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """``render`` with what every back-office page shows: the seller, the role and what it
    may do (``can.clients_edit``...), so that templates hide the controls a role lacks."""
    base = {
        "scope": scope,
        "seller": scope.seller,
        "role_label": Role(scope.role).label,
        "can": {name.replace(".", "_"): scope.can(name) for name in PERMISSIONS},
    }
    return render(request, template, base | (context or {}), status=status)


def api_scope(request: HttpRequest) -> StaffScope:
    """The API token's seller as a staff scope: a token acts with the owner's reach (the
    token is set on the request by the API's authentication)."""
    return StaffScope(user=None, seller=request.auth.seller, role=OWNER)  # type: ignore[attr-defined]
