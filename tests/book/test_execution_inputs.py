"""Pages that run code are executed again when the code they import changes, even when the
build starts with a fresh Sphinx environment (the execution cache outlives it)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

EXT = Path(__file__).resolve().parents[2] / "_ext"
spec = importlib.util.spec_from_file_location("execution_inputs", EXT / "execution_inputs.py")
execution_inputs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(execution_inputs)


def _build(tmp_path, env):
    app = SimpleNamespace(outdir=str(tmp_path / "_build" / "html"), env=env)
    return execution_inputs._outdated(app, env, set(), set(), set())


def _env():
    return SimpleNamespace(mystnb_config=SimpleNamespace(execution_cache_path=""), found_docs=set())


def test_a_cache_from_other_inputs_is_cleared_even_with_a_fresh_environment(tmp_path, monkeypatch):
    cache = tmp_path / "_build" / ".jupyter_cache"
    cache.mkdir(parents=True)
    (cache / "outputs").write_text("made from yesterday's widget script")
    monkeypatch.setattr(execution_inputs, "fingerprint", lambda: "today")
    _build(tmp_path, _env())  # no record of the inputs: the cache cannot be trusted
    assert not (cache / "outputs").exists()
    assert (cache / "course-inputs").read_text().strip() == "today"

    (cache / "outputs").write_text("made from today's inputs")
    _build(tmp_path, _env())  # a fresh environment, the same inputs: the cache is kept
    assert (cache / "outputs").exists()

    monkeypatch.setattr(execution_inputs, "fingerprint", lambda: "tomorrow")
    _build(tmp_path, _env())  # changed inputs, a fresh environment again: cleared
    assert not (cache / "outputs").exists()
