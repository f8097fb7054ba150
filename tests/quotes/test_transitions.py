import pytest

from clausier.kernel.errors import InvalidTransition
from clausier.quotes import transitions as t
from clausier.quotes.models import QuoteStatus


def test_the_table_covers_every_status_and_nothing_else():
    assert set(t.TRANSITIONS) == set(QuoteStatus.values)


def test_only_a_sent_quote_ends_and_only_a_draft_is_sent():
    assert t.TRANSITIONS[t.DRAFT] == {t.SENT}
    assert t.TRANSITIONS[t.SENT] == {
        t.ACCEPTED,
        t.REFUSED,
        t.EXPIRED,
        t.WITHDRAWN,
        t.SUPERSEDED,
    }
    final = [s for s in t.TRANSITIONS if s not in {t.DRAFT, t.SENT, t.EXPIRED}]
    assert all(t.TRANSITIONS[s] == frozenset() for s in final)


def test_an_expired_quote_is_accepted_only_on_evidence_dated_in_time():
    # Art. 3: consent given within the validity accepts the quote, even once the expiry task
    # has marked it; nothing else leaves the expired state.
    assert t.TRANSITIONS[t.EXPIRED] == {t.ACCEPTED}
    assert t.CONDITIONS == {(t.EXPIRED, t.ACCEPTED): t.EVIDENCE_DATED_IN_TIME}
    assert not t.can(current=t.EXPIRED, target=t.ACCEPTED)
    assert t.can(current=t.EXPIRED, target=t.ACCEPTED, met={t.EVIDENCE_DATED_IN_TIME})
    with pytest.raises(InvalidTransition, match="possibles : aucun"):
        t.check(label="Devis", current=t.EXPIRED, target=t.ACCEPTED)
    with pytest.raises(InvalidTransition):
        t.check(label="Devis", current=t.EXPIRED, target=t.SENT, met={t.EVIDENCE_DATED_IN_TIME})
    t.check(label="Devis", current=t.EXPIRED, target=t.ACCEPTED, met={t.EVIDENCE_DATED_IN_TIME})


def test_an_invalid_transition_names_the_allowed_ones():
    with pytest.raises(InvalidTransition, match="possibles : sent"):
        t.check(label="Devis", current=t.DRAFT, target=t.ACCEPTED)
