"""The widget loaders are copied from node_modules and configured for sub-path hosting."""

import importlib.util
import re
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("offline_assets", ROOT / "_ext" / "offline_assets.py")
offline_assets = importlib.util.module_from_spec(spec)
spec.loader.exec_module(offline_assets)


def test_stage_copies_loaders_fonts_and_config(tmp_path):
    written = offline_assets.stage(tmp_path)
    names = {p.relative_to(tmp_path).as_posix() for p in written}
    dist = offline_assets.HTML_MANAGER
    assert {"require.js", "config.js", "anywidget/dist/index.js", f"{dist}/embed-amd.js"} <= names
    assert any(n.endswith(".woff2") and n.startswith(dist) for n in names)
    config = (tmp_path / "config.js").read_text()
    # URLs come from the script's own src, never from the domain root.
    assert "document.currentScript.src" in config
    assert not re.search(r"[\"']/\w", config)
    assert 'anywidget: "anywidget/dist/index"' in config


def test_myst_nb_loads_local_copies_in_order():
    paths = list(offline_assets.ipywidgets_js())
    assert paths[0].endswith("config.js") and paths[1].endswith("require.js")
    assert paths[2].endswith("embed-amd.js")
    assert not any("://" in p or p.startswith("/") for p in paths)
    fallback = offline_assets.ipywidgets_js()[paths[2]]["data-jupyter-widgets-cdn"]
    assert "://" not in fallback


def test_missing_node_modules_says_run_npm_ci(tmp_path, monkeypatch):
    monkeypatch.setattr(offline_assets, "NODE_MODULES", tmp_path / "node_modules")
    with pytest.raises(ExtensionError, match="npm ci"):
        offline_assets.stage(tmp_path / "out")
