"""gunicorn's master warms the app before it forks the workers (``config/gunicorn.py``):
every template compiled into the cached loader the workers inherit, every view imported, and
no database connection left open to be shared by the forked workers."""

from django.db import connection
from django.forms.renderers import get_default_renderer
from django.template import engines

from config.warm import _template_names, warm


def _cached_loader():
    (loader,) = engines["django"].engine.template_loaders
    return loader


def test_every_template_is_compiled_before_the_first_request(db):
    loader = _cached_loader()
    loader.reset()
    assert "board/dashboard/dashboard.html" not in loader.get_template_cache
    _seconds, compiled = warm()
    names = _template_names(engines["django"])
    ours = {name for name in names if name.split("/")[0] in {"board", "schools", "clusters"}}
    assert len(ours) > 50
    assert ours <= set(loader.get_template_cache)  # the product's own pages, every one
    assert compiled >= len(ours)
    # and the widgets' templates, in the form renderer's own engine
    (widgets,) = get_default_renderer().engine.engine.template_loaders
    assert "django/forms/widgets/select.html" in widgets.get_template_cache


def test_no_connection_is_left_open_for_the_workers_to_share(transactional_db):
    connection.ensure_connection()
    warm()
    assert connection.connection is None
