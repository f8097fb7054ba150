"""Back-office patterns of dunning: the queue and its actions, the formal notices."""

from django.urls import path

from clausier.collections.ui import dunning

seller = "<slug:slug>/"
queue = seller + "dunning/"
notices = seller + "formal-notices/"

backoffice_patterns = [
    path(queue, dunning.dunning_queue, name="dunning_queue"),
    path(queue + "plan/", dunning.dunning_plan, name="dunning_plan"),
    path(queue + "<int:notice_id>/send/", dunning.dunning_send, name="dunning_send"),
    path(queue + "<int:notice_id>/skip/", dunning.dunning_skip, name="dunning_skip"),
    path(
        queue + "<int:notice_id>/formal-notice/",
        dunning.formal_notice_new,
        name="formal_notice_new",
    ),
    path(notices, dunning.formal_notices, name="formal_notices"),
    path(notices + "<int:notice_id>/", dunning.formal_notice, name="formal_notice"),
    path(notices + "<int:notice_id>/pdf/", dunning.formal_notice_pdf, name="formal_notice_pdf"),
]
