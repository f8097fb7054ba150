"""``clausier serve``: the application under gunicorn, the way production runs it."""

from __future__ import annotations

import copy
import logging
import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from gunicorn.app.base import BaseApplication


def cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def child_exit(server, worker) -> None:
    """A worker gone: its live gauges leave the metrics (prometheus multiprocess mode)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def _leave_now(code: int) -> None:
    """End the process without the interpreter's teardown: unloading Django's hundreds of
    modules takes seconds on a busy machine, and nothing is left to do once the logs are
    flushed (connections are closed by the server, files by the OS)."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def worker_exit(server, worker) -> None:
    """A worker asked to stop (shutdown, reload, ``--max-requests``) has finished its
    requests: it leaves at once. A worker that failed to boot leaves as gunicorn says, so that
    its exit code still stops the master."""
    connections.close_all()
    if worker.booted and not worker.alive:
        _leave_now(0)


def gunicorn_logging() -> dict:
    """Django's LOGGING, with gunicorn's own loggers writing through the same handler (JSON
    lines in production). gunicorn's access log is left off: clausier.access writes one
    line per request, with its request id."""
    config = copy.deepcopy(settings.LOGGING)
    for name, level in (("gunicorn.error", "INFO"), ("gunicorn.access", "WARNING")):
        config.setdefault("loggers", {})[name] = {
            "handlers": ["console"],
            "level": level,
            "propagate": False,
        }
    return config


def metrics_directory() -> Path:
    """The folder the workers share their metrics in (PROMETHEUS_MULTIPROC_DIR, by default
    ``$CLAUSIER_VAR_DIR/metrics``), emptied of a previous run's files."""
    if "prometheus_client" in sys.modules:
        raise CommandError(
            "prometheus_client was imported before PROMETHEUS_MULTIPROC_DIR was set: the "
            "workers' metrics would not be shared. Import it lazily (clausier.ops.metrics)."
        )
    folder = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or Path(settings.VAR_DIR) / "metrics")
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    return folder


class Command(BaseCommand):
    help = (
        "Serve clausier with gunicorn: N worker processes (default: one per CPU core), static "
        "files by WhiteNoise, a graceful stop on SIGTERM (requests under way are finished). "
        "Refuses to start on a settings error; in production (DJANGO_DEBUG=0) it also runs "
        "Django's deployment checks and needs `clausier collectstatic` done."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=os.environ.get("CLAUSIER_BIND", "127.0.0.1:8000"),
            help="HOST:PORT or unix:PATH to listen on (default $CLAUSIER_BIND or 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY") or cpu_count()),
            help="worker processes (default $WEB_CONCURRENCY, else the number of CPU cores)",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=30,
            help="seconds a silent worker is given before it is killed and restarted (30)",
        )
        parser.add_argument(
            "--graceful-timeout",
            type=int,
            default=30,
            help="seconds the workers have to finish their requests after SIGTERM (30)",
        )
        parser.add_argument(
            "--keep-alive", type=int, default=5, help="seconds a keep-alive connection waits (5)"
        )
        parser.add_argument(
            "--max-requests",
            type=int,
            default=0,
            help="restart a worker after this many requests, 0 never (a leak's safety net)",
        )

    def handle(self, *args, **options):
        if options["workers"] < 1:
            raise CommandError("--workers: at least 1")
        self.check_production()
        folder = metrics_directory()
        connections.close_all()  # the workers are forked: none inherits a connection
        config = {
            "bind": [options["bind"]],
            "workers": options["workers"],
            "worker_class": "sync",
            "timeout": options["timeout"],
            "graceful_timeout": options["graceful_timeout"],
            "keepalive": options["keep_alive"],
            "max_requests": options["max_requests"],
            "max_requests_jitter": options["max_requests"] // 10,
            "child_exit": child_exit,
            "worker_exit": worker_exit,
            "logconfig_dict": gunicorn_logging(),
            "proc_name": "clausier",
            "forwarded_allow_ips": ",".join(settings.TRUSTED_PROXIES),
        }
        self.stdout.write(
            f"clausier serve: {options['workers']} worker(s) on {options['bind']}, "
            f"metrics shared in {folder}"
        )
        self.stdout.flush()
        try:
            Server(config).run()
        except SystemExit as stop:
            # The arbiter has stopped every worker and logged its last line.
            if isinstance(stop.code, str):
                sys.stderr.write(stop.code + "\n")
            _leave_now(stop.code if isinstance(stop.code, int) else int(stop.code is not None))

    def check_production(self) -> None:
        if settings.DEBUG:
            return
        call_command("check", deploy=True, fail_level="ERROR", stdout=self.stderr)
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if not manifest.exists():
            raise CommandError(
                f"{manifest} is missing: run `clausier collectstatic --no-input` before "
                "serving with DJANGO_DEBUG=0 (the pages' CSS and scripts come from it)."
            )


class Server(BaseApplication):
    """gunicorn's arbiter with ``config`` as its settings and Django's WSGI application,
    loaded in each worker after the fork."""

    def __init__(self, config: dict) -> None:
        self.config = config
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.config.items():
            self.cfg.set(key, value)
        if "control_socket_disable" in self.cfg.settings:
            # gunicorn's control socket (a file in $HOME) is not used: signals drive it.
            self.cfg.set("control_socket_disable", True)

    def load(self):
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()
