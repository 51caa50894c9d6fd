"""gunicorn's settings for the production layout (``docker-compose.yml``'s ``web`` service, and
``make loadtest``, which serves the national data set the same way). Options given on the
command line win over these.

The app is loaded once, in gunicorn's master process, and warmed there before the workers are
forked (``config.warm``): every view imported and every template compiled, so that no worker
pays for them on its first request of each page; then frozen out of the garbage collector's
sight (``when_ready``). Measured on the national data set before this,
a worker's first request of a page took 240-900 ms against 30-100 ms after it; with three
workers and a dozen pages those first requests were most of the slowest twentieth of a minute
under load.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Three sync workers for two cores: the pages are short, and PostgreSQL and the Celery worker
# share the machine. WEB_CONCURRENCY (gunicorn's own variable) sets another number.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 120  # the reverse proxy allows as long (README: Running the production layout)
accesslog = "-"
preload_app = True


def when_ready(server):
    """In the master, after the app is loaded and before the workers are forked: warm it, then
    move everything it holds out of the garbage collector's sight (``gc.freeze``, as Python's
    documentation advises before forking). A worker's full collection otherwise walked every
    object of Django and the app, 100-150 ms, in whichever request set it off: a page that
    takes 30 ms was now and then 160-240 ms. Frozen, it walks only what the worker made."""
    from config.warm import warm

    seconds, templates = warm()
    gc.collect()
    gc.freeze()
    server.log.info(
        "Warmed the app: %d templates compiled in %.1f s; %d objects frozen",
        templates,
        seconds,
        gc.get_freeze_count(),
    )
