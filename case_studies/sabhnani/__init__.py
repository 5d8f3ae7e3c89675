"""United States v. Sabhnani (Box 9): what each victim was owed under Box 7's restitution rule."""

from case_studies.sabhnani.model import Restitution, default_inputs, restitution, validate

__all__ = ["Restitution", "default_inputs", "restitution", "validate", "RestitutionExplorer"]


def __getattr__(name):
    # The widget needs anywidget; the model must not.
    if name == "RestitutionExplorer":
        from case_studies.sabhnani.widget import RestitutionExplorer

        return RestitutionExplorer
    raise AttributeError(name)
