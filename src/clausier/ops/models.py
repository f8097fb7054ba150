from django.db import models


class ScheduledRun(models.Model):
    """One periodic job enqueued for one slot of its period (``ops.schedule.SCHEDULE``): the
    run key. Its unique constraint is what lets two schedulers run by mistake: the second
    insert for a slot fails, and that scheduler enqueues nothing."""

    job = models.CharField(max_length=100)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="ops_scheduled_run_once")
        ]
        indexes = [models.Index(fields=["slot"])]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot.isoformat()}"
