"""The contracts screens' URLs, mounted by the back-office shell (``backoffice:<name>``) and
the portal shell (``portal:<name>``)."""

from clausier.contracts.ui import backoffice, ndas, portal
from clausier.web.routes import page, view

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
    ),
    view(seller + "ndas/", ndas, "ndas"),
    view(seller + "ndas/new/", ndas, "nda_new"),
    *page(ndas, seller + "ndas/<int:nda_id>/", "nda", "sign", "decline", "file"),
]
portal_patterns = [
    view("contracts/", portal, "contracts"),
    *page(portal, "contracts/<int:contract_id>/", "contract", "terminate", "terminated"),
    view("ndas/", portal, "ndas"),
    view("ndas/request/", portal, "ndas_request"),
    view("ndas/<int:nda_id>/file/", portal, "nda_file"),
]
