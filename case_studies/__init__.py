"""Case studies from the module as models (facts, data, calculations) and widgets.

Each case has a model module, which imports no widget library and validates its
inputs, and a widget module presenting it with an ``anywidget.AnyWidget`` whose
interaction runs in the browser, so it keeps working on the static site.  The
facts live in ``case_studies/data/`` with the module paragraph or Box each comes
from; every other number is a labelled teaching assumption the reader can change.

- ``case_studies.sabhnani``: restitution explorer (Box 9, with Box 7's rule);
- ``case_studies.savannakhet``: a testimony as a journey through the Protocol (Box 8);
- ``case_studies.little_rose_shelter``: a service planner (Box 17, Box 10, article 6(3)-(4)).
"""

from case_studies.common import InputError

__all__ = ["InputError"]
