"""Every write of contracts, one module per topic; these are its public names."""

from clausier.contracts.services.lifecycle import (
    advance,
    open_contract,
    open_for_order,
    terminate,
)
from clausier.contracts.services.notices import (
    give_notice_online,
    record_notice,
    record_renewal_letter,
)
from clausier.contracts.services.standing import (
    end_for_withdrawal,
    resume_for_client,
    suspend_for_client,
)

__all__ = [
    "advance",
    "end_for_withdrawal",
    "give_notice_online",
    "open_contract",
    "open_for_order",
    "record_notice",
    "record_renewal_letter",
    "resume_for_client",
    "suspend_for_client",
    "terminate",
]
