from django.db import models


class Heartbeat(models.Model):
    """The last moment something was seen alive: one row per name ("worker": the worker's
    every-minute run). In the database, so every web server behind a load balancer reads
    the same beat, whichever server's worker wrote it (core/health.py)."""

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
