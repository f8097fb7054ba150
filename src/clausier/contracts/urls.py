"""The contracts screens' URLs, mounted by the back-office shell (``backoffice:<name>``) and
the portal shell (``portal:<name>``)."""

from clausier.contracts.ui import backoffice, domains, domains_portal, portal
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
    ),
    *actions(domains, contract, "contract", "domain", "restore"),
    view(seller + "domains/", domains, "domains"),
    *page(domains, seller + "domains/<int:domain_id>/", "domain", "transfer"),
    view(seller + "restores/", domains, "restores"),
    *actions(domains, seller + "restores/<int:restore_id>/", "restore", "done", "refuse"),
]
portal_patterns = [
    view("contracts/", portal, "contracts"),
    *page(portal, "contracts/<int:contract_id>/", "contract", "terminate", "terminated"),
    *actions(domains_portal, "contracts/<int:contract_id>/", "contract", "restore"),
    view("domains/", domains_portal, "domains"),
]
