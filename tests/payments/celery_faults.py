"""The Celery app of the worker processes that test_runs_workers.py starts: the project's
app (``config.celery``), consuming the queue named by ``LEASE_TEST_QUEUE`` (so that no
other test's worker takes these messages), with faults injected into chunk processing:

- ``LEASE_TEST_CHUNK_SECONDS``: every chunk sleeps this long inside its writing
  transaction, after its claim (a slow chunk: a worker can be killed mid-chunk, and the
  lease must be renewed to survive it);
- ``LEASE_TEST_KILL_CHUNK``: the chunk with this number kills the process processing it
  with SIGKILL, on every attempt.

Test code only; production workers run ``celery -A config worker``."""

import os
import signal
import time

from celery.signals import task_prerun

from config.celery import app

app.conf.task_default_queue = os.environ.get("LEASE_TEST_QUEUE", "celery")

_installed = []


@task_prerun.connect
def _inject_faults(**kwargs):
    """Wrap the chunk computation once per process (Django is set up by now)."""
    if _installed:
        return
    from payments.services import runs

    real = runs._compute_and_write

    def faulty(chunk, **kw):
        if os.environ.get("LEASE_TEST_KILL_CHUNK") == str(chunk.number):
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(float(os.environ.get("LEASE_TEST_CHUNK_SECONDS", "0")))
        return real(chunk, **kw)

    runs._compute_and_write = faulty
    _installed.append(faulty)


__all__ = ["app"]
