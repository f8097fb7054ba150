"""Every write of contracts, one module per topic; these are its public names."""

from clausier.contracts.services.archives import (
    deliver_archive,
    record_archive_request,
    request_archive_online,
)
from clausier.contracts.services.breaches import record_breach, record_remedy
from clausier.contracts.services.claims import (
    decide_claim,
    record_claim,
    record_claim_cap,
    remeasure_claim,
)
from clausier.contracts.services.confidentiality import set_confidentiality
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
from clausier.contracts.services.insolvency import (
    record_insolvency_answer,
    record_insolvency_notice,
    terminate_for_insolvency,
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
from clausier.contracts.services.restores import (
    finish_restore,
    refuse_restore,
    request_restore,
)
from clausier.contracts.services.revisions import (
    answer_price_revision,
    propose_price_revision,
)
from clausier.contracts.services.standing import (
    end_for_withdrawal,
    resume_for_client,
    suspend_for_client,
)

__all__ = [
    "advance",
    "answer_price_revision",
    "decide_claim",
    "decline_nda",
    "deliver_archive",
    "end_for_withdrawal",
    "end_force_majeure",
    "finish_restore",
    "give_notice_online",
    "offers_nda",
    "open_contract",
    "open_for_order",
    "propose_price_revision",
    "record_archive_request",
    "record_breach",
    "record_claim",
    "record_claim_cap",
    "record_fee_invoice",
    "record_force_majeure",
    "record_insolvency_answer",
    "record_insolvency_notice",
    "record_notice",
    "record_remedy",
    "record_renewal_letter",
    "record_signed_nda",
    "record_transfer",
    "refuse_restore",
    "register_domain",
    "release_if_expired",
    "remeasure_claim",
    "renew_if_due",
    "request_archive_online",
    "request_nda",
    "request_restore",
    "resume_for_client",
    "set_confidentiality",
    "sign_nda",
    "suspend_for_client",
    "terminate",
    "terminate_for_force_majeure",
    "terminate_for_insolvency",
]
