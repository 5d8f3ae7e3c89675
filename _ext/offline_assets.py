"""Serve the widget manager and its loaders from the site itself (stub; see issue 3)."""


def setup(app):
    return {"parallel_read_safe": True, "parallel_write_safe": True}
