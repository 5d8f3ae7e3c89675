"""Little Rose Shelter (Box 17): plan services for a profile and see which obligations they meet.

The model only: the widget, ServicePlanner, is in ``case_studies.little_rose_shelter.widget``, which imports
anywidget, several times the cost of the model, for the pages and notebooks that show it.
"""

from case_studies.little_rose_shelter.model import coverage, default_profile, programme, rows

__all__ = ["coverage", "default_profile", "programme", "rows"]

