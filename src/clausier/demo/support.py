"""The host's support desk (seed 000 art. 9-10): tickets of its clients with their GTI and
GTR clocks running (a critical one just opened, one in progress, one waiting for the client,
one resolved, a critical one answered late with its penalty's credit note), a phone report
awaiting its confirmation by e-mail, and a case excluded from the maintenance with its time
at the rate in force. Written through ``support.services``."""

from __future__ import annotations

from contextlib import suppress
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from clausier.customers.models import Client
from clausier.kernel.errors import Conflict
from clausier.metering.models import Subscription
from clausier.sellers.models import Seller
from clausier.support import services
from clausier.support.models import Ticket

# The host's price list gives no hourly rate for work outside the maintenance: the demo's own.
DEMO_RATE = (Decimal("95.00"), "Grille tarifaire support (démo)")


def paas_support(seller: Seller) -> None:
    if Ticket.objects.filter(seller=seller).exists():
        return
    agent = get_user_model().objects.filter(username="cc-support").first()
    clients = list(Client.objects.filter(seller=seller).order_by("pk"))
    if not clients:
        return
    company = next((c for c in clients if c.is_professional), clients[0])
    subscription = Subscription.objects.filter(seller=seller, client=company).first()
    now = timezone.now()

    def open_(subject, description, minutes_ago, **kwargs):
        return services.open_ticket(
            seller=seller,
            client=kwargs.pop("client", company),
            subscription=kwargs.pop("subscription", subscription),
            subject=subject,
            description=description,
            channel=kwargs.pop("channel", "portal"),
            opened_at=now - timedelta(minutes=minutes_ago),
            by=None,
            **kwargs,
        )

    open_(
        "Base PostgreSQL injoignable",
        "Toutes les requêtes échouent depuis quelques minutes (connexion refusée).",
        12,
        severity="critical",
    )
    busy = open_("Déploiement bloqué", "Le build reste « en attente » depuis ce matin.", 70)
    services.post_message(
        ticket=busy,
        author="agent",
        body="Nous regardons la file de builds de votre application.",
        by=agent,
        at=now - timedelta(minutes=55),
    )
    services.apply_action(ticket=busy, action="start", by=agent, at=now - timedelta(minutes=50))

    waiting = open_("Certificat TLS non renouvelé", "Le certificat expire dans 3 jours.", 150)
    services.apply_action(
        ticket=waiting, action="acknowledge", by=agent, at=now - timedelta(minutes=140)
    )
    services.post_message(
        ticket=waiting,
        author="agent",
        body="Pouvez-vous nous confirmer le nom de domaine concerné ?",
        by=agent,
        at=now - timedelta(minutes=120),
    )
    services.apply_action(
        ticket=waiting, action="wait_client", by=agent, at=now - timedelta(minutes=119)
    )

    done = open_("Erreur 502 sur l'API", "Erreurs 502 intermittentes.", 60 * 26)
    services.post_message(
        ticket=done,
        author="agent",
        body="Une instance était saturée ; nous l'avons redémarrée.",
        by=agent,
        at=now - timedelta(minutes=60 * 25 + 20),
    )
    services.apply_action(
        ticket=done, action="resolve", by=agent, at=now - timedelta(minutes=60 * 24)
    )

    # A critical outage answered late (GTI 30 min, GTR 1 h, art. 10.1.3): its penalty (75 % of
    # the mean monthly consumption, art. 10.1.4) credited on the company's latest invoice.
    late = open_(
        "Application indisponible",
        "L'application renvoie une erreur 503 sur toutes les pages.",
        60 * 30,
        severity="critical",
    )
    services.apply_action(
        ticket=late, action="acknowledge", by=agent, at=now - timedelta(minutes=60 * 28)
    )
    services.apply_action(
        ticket=late, action="resolve", by=agent, at=now - timedelta(minutes=60 * 25)
    )
    # No issued invoice of the company to carry the credit note yet: no penalty in the demo.
    with suppress(Conflict):
        services.assess_penalty(ticket=late, by=agent, now=now)

    phoned = open_(
        "Lenteurs signalées par téléphone",
        "Le client signale des temps de réponse de plus de 5 s.",
        25,
        channel="phone",
    )
    services.log_call(
        seller=seller,
        ticket=phoned,
        number="+33 2 40 00 00 00",
        called_at=now - timedelta(minutes=26),
        summary="Lenteurs sur l'application depuis 9 h ; e-mail de confirmation demandé.",
        by=agent,
    )

    services.set_hourly_rate(
        seller=seller,
        effective_from=date(now.year, 1, 1),
        amount_ht=DEMO_RATE[0],
        source=DEMO_RATE[1],
        by=None,
    )
    excluded = open_(
        "Configuration modifiée par un prestataire",
        "Un prestataire du client a modifié la configuration réseau.",
        60 * 5,
    )
    services.classify_excluded(ticket=excluded, exclusion=3, by=agent)
    services.add_time_entry(
        ticket=excluded,
        started=now - timedelta(minutes=60 * 4),
        minutes=45,
        description="Restauration de la configuration réseau",
        by=agent,
    )
