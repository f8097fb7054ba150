"""Every write of contracts, one module per topic; these are its public names."""

from clausier.contracts.services.breaches import record_breach, record_remedy
from clausier.contracts.services.domains import (
    record_fee_invoice,
    record_transfer,
    register_domain,
    release_if_expired,
    renew_if_due,
)
from clausier.contracts.services.force_majeure import (
    end_force_majeure,
    record_force_majeure,
    terminate_for_force_majeure,
)
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
from clausier.contracts.services.restores import (
    finish_restore,
    refuse_restore,
    request_restore,
)
from clausier.contracts.services.standing import (
    end_for_withdrawal,
    resume_for_client,
    suspend_for_client,
)

__all__ = [
    "advance",
    "end_for_withdrawal",
    "end_force_majeure",
    "finish_restore",
    "give_notice_online",
    "open_contract",
    "open_for_order",
    "record_breach",
    "record_fee_invoice",
    "record_force_majeure",
    "record_notice",
    "record_remedy",
    "record_renewal_letter",
    "record_transfer",
    "refuse_restore",
    "register_domain",
    "release_if_expired",
    "renew_if_due",
    "request_restore",
    "resume_for_client",
    "suspend_for_client",
    "terminate",
    "terminate_for_force_majeure",
]
