"""Every write of contracts, one module per topic; these are its public names."""

from clausier.contracts.services.breaches import record_breach, record_remedy
from clausier.contracts.services.confidentiality import set_confidentiality
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
from clausier.contracts.services.ndas import (
    decline_nda,
    offers_nda,
    record_signed_nda,
    request_nda,
    sign_nda,
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
    "decline_nda",
    "end_for_withdrawal",
    "end_force_majeure",
    "give_notice_online",
    "offers_nda",
    "open_contract",
    "open_for_order",
    "record_breach",
    "record_force_majeure",
    "record_notice",
    "record_remedy",
    "record_renewal_letter",
    "record_signed_nda",
    "request_nda",
    "resume_for_client",
    "set_confidentiality",
    "sign_nda",
    "suspend_for_client",
    "terminate",
    "terminate_for_force_majeure",
]
