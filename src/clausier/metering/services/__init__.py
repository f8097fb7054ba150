"""Every write of metering, one module per topic; these are its public names."""

from clausier.metering.services.catalog import add_meter_price, create_meter
from clausier.metering.services.credits import (
    draw_credit,
    grant_credit,
    set_low_balance_threshold,
)
from clausier.metering.services.ingest import IngestResult, Rejected, ingest
from clausier.metering.services.subscriptions import (
    change_status,
    end_order_subscription,
    start_subscription,
)

__all__ = [
    "IngestResult",
    "Rejected",
    "add_meter_price",
    "change_status",
    "create_meter",
    "draw_credit",
    "end_order_subscription",
    "grant_credit",
    "ingest",
    "set_low_balance_threshold",
    "start_subscription",
]
