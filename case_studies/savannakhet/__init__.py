"""The Savannakhet testimony (Box 8): a journey through the Protocol, stage by stage.

The model only: the widget, TestimonyJourney, is in ``case_studies.savannakhet.widget``, which imports
anywidget, several times the cost of the model, for the pages and notebooks that show it.
"""

from case_studies.savannakhet.model import compare, compensation, stages

__all__ = ["compare", "compensation", "stages"]

