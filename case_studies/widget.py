"""The common base of the case-study widgets: shared browser helpers joined to each case's script."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import anywidget

from case_studies.common import STATIC


def passed_on(doc: Mapping[str, Any], *names: str) -> dict[str, Any]:
    """The entries of a case's data file the browser reads as they are, for a widget's spec."""
    return {name: doc[name] for name in names}


class CaseWidget(anywidget.AnyWidget):
    """An AnyWidget whose front end is ``static/common.js`` followed by ``static/<script_file>``.

    The interaction runs in the browser, so the widget responds on the static site
    (no kernel) exactly as it does in JupyterLab.
    """

    script_file: ClassVar[str]
    style_file: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "script_file" not in cls.__dict__:
            return  # traitlets' own subclasses (add_traits) must keep their trait descriptors
        # One ES module per widget: anywidget loads a single module, with no imports of ours.
        cls._esm = (STATIC / "common.js").read_text(encoding="utf-8") + "\n" + (STATIC / cls.script_file).read_text(encoding="utf-8")
        cls._css = (STATIC / "common.css").read_text(encoding="utf-8") + "\n" + (STATIC / cls.style_file).read_text(encoding="utf-8")
