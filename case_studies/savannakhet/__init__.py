"""The Savannakhet testimony (Box 8): a journey through the Protocol, stage by stage."""

from case_studies.savannakhet.model import compare, compensation, stages

__all__ = ["compare", "compensation", "stages", "TestimonyJourney"]


def __getattr__(name):
    # The widget needs anywidget; the model must not.
    if name == "TestimonyJourney":
        from case_studies.savannakhet.widget import TestimonyJourney

        return TestimonyJourney
    raise AttributeError(name)
