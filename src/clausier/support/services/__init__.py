"""Every write of support, one module per topic; these are its public names."""

from clausier.support.services.inbound import Outcome, open_from_email, receive_email
from clausier.support.services.on_call import (
    acknowledge_page,
    add_override,
    escalate_page,
    page_ticket,
    set_shift,
)
from clausier.support.services.penalties import assess_penalty
from clausier.support.services.tickets import (
    apply_action,
    assign,
    confirm_by_email,
    end_force_majeure,
    open_ticket,
    post_message,
    qualify,
    start_force_majeure,
)
from clausier.support.services.work import (
    add_time_entry,
    bill_time,
    classify_excluded,
    log_call,
    record_warning,
    set_hourly_rate,
)

__all__ = [
    "Outcome",
    "acknowledge_page",
    "add_override",
    "add_time_entry",
    "apply_action",
    "assess_penalty",
    "assign",
    "bill_time",
    "classify_excluded",
    "confirm_by_email",
    "end_force_majeure",
    "escalate_page",
    "log_call",
    "open_from_email",
    "open_ticket",
    "page_ticket",
    "post_message",
    "qualify",
    "receive_email",
    "record_warning",
    "set_hourly_rate",
    "set_shift",
    "start_force_majeure",
]
