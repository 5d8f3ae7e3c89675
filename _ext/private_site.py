"""Keep every page free of third-party requests.

Jupyter Book always loads sphinx-thebe, which writes an unpkg URL into every page and adds
its loader script even with thebe switched off in _config.yml. This site never launches a
remote kernel, so sphinx-thebe's page hooks are removed before any document is read.
"""

from __future__ import annotations


def _drop_thebe(app, config):
    for listeners in app.events.listeners.values():
        listeners[:] = [
            lst for lst in listeners
            if not getattr(lst.handler, "__module__", "").startswith("sphinx_thebe")
        ]


def _no_jekyll(app, exception):
    # GitHub Pages' branch deploys run Jekyll, which hides folders starting with "_" (_static).
    if exception is None and app.builder.format == "html":
        (app.outdir / ".nojekyll").touch()


def setup(app):
    app.connect("config-inited", _drop_thebe, priority=900)
    app.connect("build-finished", _no_jekyll)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
