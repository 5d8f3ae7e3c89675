"""Little Rose Shelter (Box 17): plan services for a profile and see which obligations they meet."""

from case_studies.little_rose_shelter.model import coverage, default_profile, programme, rows

__all__ = ["coverage", "default_profile", "programme", "rows", "ServicePlanner"]


def __getattr__(name):
    # The widget needs anywidget; the model must not.
    if name == "ServicePlanner":
        from case_studies.little_rose_shelter.widget import ServicePlanner

        return ServicePlanner
    raise AttributeError(name)
