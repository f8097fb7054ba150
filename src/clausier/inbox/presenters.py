"""What the screens show of a received message besides its fields."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from clausier.inbox import loops, transitions
from clausier.inbox.models import InboundMessage, MessageStatus

STATUS_BADGES = {
    MessageStatus.STORED: "soon",
    MessageStatus.PARSED: "ok",
    MessageStatus.FAILED: "late",
}
# Why a message is automatic, in words (codes of clausier.inbox.loops).
REASONS = {
    loops.LOOP: _("boucle : notre propre message revenu"),
    loops.BOUNCE: _("avis de non-remise (RFC 3464)"),
    loops.AUTO_SUBMITTED: _("réponse automatique (Auto-Submitted)"),
    loops.PRECEDENCE: _("envoi en nombre (Precedence)"),
    loops.X_AUTOREPLY: _("réponse automatique (X-Autoreply)"),
    loops.X_AUTORESPOND: _("réponse automatique (X-Autorespond)"),
    loops.AUTO_RESPONSE_SUPPRESS: _("message sans réponse attendue (X-Auto-Response-Suppress)"),
    loops.NULL_SENDER: _("expéditeur vide (Return-Path: <>)"),
    loops.MAILER_DAEMON: _("envoyé par un serveur de messagerie (MAILER-DAEMON, postmaster)"),
    loops.LIST: _("liste de diffusion (List-Id)"),
}


def decorated(message: InboundMessage) -> InboundMessage:
    """Its badge, the reason it is automatic in words, and whether staff may parse it again
    (the state table's ``allowed_actions``)."""
    message.badge = STATUS_BADGES.get(message.status, "neutral")
    message.reason_words = REASONS.get(message.automatic_reason, message.automatic_reason)
    message.can_reparse = transitions.REPARSE in transitions.allowed_actions(message)
    return message
