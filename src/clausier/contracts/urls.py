"""The contracts screens' URLs, mounted by the back-office shell (``backoffice:<name>``) and
the portal shell (``portal:<name>``)."""

from clausier.contracts.ui import backoffice, claims, domains, domains_portal, ndas, portal
from clausier.web.routes import actions, page, view

seller = "<slug:slug>/"
contract = seller + "contracts/<int:contract_id>/"

backoffice_patterns = [
    view(seller + "contracts/", backoffice, "contracts"),
    view(seller + "contracts/renewals/", backoffice, "contract_renewals"),
    view(seller + "contracts/new/", backoffice, "contract_new"),
    *page(
        backoffice,
        contract,
        "contract",
        "notice",
        "breach",
        "remedy",
        "force-majeure",
        "force-majeure/end",
        "force-majeure/terminate",
        "confidentiality",
        "price-revision",
        "price-revision/answer",
        "insolvency",
        "insolvency/answer",
        "insolvency/terminate",
        "claim",
        "archive",
    ),
    view(seller + "contracts/claims/", claims, "claims"),
    *page(claims, seller + "contracts/claims/<int:claim_id>/", "claim", "decide", "recalculate"),
    view(seller + "contracts/archives/", claims, "archives_due"),
    view(seller + "contracts/archives/<int:request_id>/deliver/", claims, "archive_deliver"),
    view(seller + "ndas/", ndas, "ndas"),
    view(seller + "ndas/new/", ndas, "nda_new"),
    *page(ndas, seller + "ndas/<int:nda_id>/", "nda", "sign", "decline", "file"),
    *actions(domains, contract, "contract", "domain", "restore"),
    view(seller + "domains/", domains, "domains"),
    *page(domains, seller + "domains/<int:domain_id>/", "domain", "transfer"),
    view(seller + "restores/", domains, "restores"),
    *actions(domains, seller + "restores/<int:restore_id>/", "restore", "done", "refuse"),
]
portal_patterns = [
    view("contracts/", portal, "contracts"),
    *page(
        portal,
        "contracts/<int:contract_id>/",
        "contract",
        "terminate",
        "terminated",
        "price-accept",
        "price-refuse",
        "archive",
    ),
    view("ndas/", portal, "ndas"),
    view("ndas/request/", portal, "ndas_request"),
    view("ndas/<int:nda_id>/file/", portal, "nda_file"),
    *actions(domains_portal, "contracts/<int:contract_id>/", "contract", "restore"),
    view("domains/", domains_portal, "domains"),
]
