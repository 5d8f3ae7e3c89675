"""United States v. Sabhnani (Box 9): what each victim was owed under Box 7's restitution rule.

The model only: the widget, RestitutionExplorer, is in ``case_studies.sabhnani.widget``, which imports
anywidget, several times the cost of the model, for the pages and notebooks that show it.
"""

from case_studies.sabhnani.model import Restitution, default_inputs, restitution, validate

__all__ = ["Restitution", "default_inputs", "restitution", "validate"]

