"""The URLs of a client's standing screens (seed 002 art. 6), mounted by the back-office
shell: the client's « Recouvrement » page, its suspension decided and lifted, an
acceleration reverted."""

from clausier.collections.ui import standing
from clausier.web.routes import actions, page

seller = "<slug:slug>/"

backoffice_patterns = [
    *page(
        standing,
        seller + "clients/<int:client_id>/standing/",
        "client_standing",
        "suspend",
        "resume",
    ),
    *actions(standing, seller + "accelerations/<int:acceleration_id>/", "acceleration", "revert"),
]
