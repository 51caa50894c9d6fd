"""Warm a freshly loaded app before it serves anyone (gunicorn's master calls this before it
forks the workers, ``config/gunicorn.py``): import every view through the URL configuration
and compile every template into the cached template loader, which the workers then share.
Nothing here touches the database, and any connection opened is closed before the fork."""

from __future__ import annotations

import time
from pathlib import Path

from django.db import connections
from django.forms.renderers import get_default_renderer
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver


def _template_names(engine) -> set[str]:
    """Every template the engine's loaders can find, as names relative to their folders."""
    names = set()
    for loader in engine.engine.template_loaders:
        for inner in getattr(loader, "loaders", [loader]):
            for folder in inner.get_dirs():
                root = Path(folder)
                if root.is_dir():
                    names.update(
                        str(path.relative_to(root))
                        for path in root.rglob("*")
                        if path.suffix in (".html", ".txt") and path.is_file()
                    )
    return names


def warm() -> tuple[float, int]:
    """(seconds taken, templates compiled)."""
    started = time.perf_counter()
    # Reversing a URL first fills the resolver's tables, which imports every urls module and
    # so every view.
    get_resolver().reverse_dict  # noqa: B018
    compiled = 0
    # The pages' engines, and the one the forms' widgets render with (its own, for Django's
    # widget templates).
    renderer = get_default_renderer()
    every = [(engine, "") for engine in engines.all()]
    if hasattr(renderer, "engine"):
        every.append((renderer.engine, "django/forms/"))
    for engine, prefix in every:
        if not hasattr(engine, "engine"):  # only Django's own template engine caches
            continue
        for name in sorted(_template_names(engine)):
            if not name.startswith(prefix):
                continue
            try:
                engine.get_template(name)
            except (TemplateDoesNotExist, TemplateSyntaxError):
                continue  # a fragment not meant to stand alone: compiled where it is used
            compiled += 1
    connections.close_all()
    return time.perf_counter() - started, compiled
