"""Grade one submission: read it, restore what was tampered with, run it in a sandbox
within its limits, score it by nbgrader's rules and render its feedback.

This is nbgrader's Autograde and GenerateFeedback taken apart, so that a worker process can
stay warm between submissions (one feedback exporter, templates compiled once, the
assignment's notebooks parsed once) and so that every step can fail into a status instead
of an exception: the job carries everything as plain data, the result comes back as plain
data, and only the parent writes to the course's gradebook (`autograder.steps.gradebook.Merger`).
Scores follow nbgrader's own `determine_grade`; restoring follows its OverwriteCells.
"""

from __future__ import annotations

import warnings

from autograder.isolation.limits import Limits
from autograder.job import GradeRecord, GradingJob, GradingResult
from autograder.kernels import KernelPool
from autograder.steps import NOTEBOOK_STEPS, SUBMISSION_STEPS, NotebookWork, SubmissionWork
from autograder.template import AssignmentCache

# What this process keeps between submissions; each goes with the process.
spare_kernels = KernelPool()
assignments = AssignmentCache()


def _zero(result: GradingResult, name: str, released) -> None:
    """A notebook that could not be graded, or is missing: every grade and task cell scores
    zero and waits for no one (as nbgrader's Autograde scores a missing notebook)."""
    for cell in released.cells:
        nbg = cell.metadata.get("nbgrader", {})
        if nbg.get("grade") or nbg.get("task"):
            result.grades.append(GradeRecord(name, nbg["grade_id"], 0.0, float(nbg["points"]), False))


def grade_submission(job: GradingJob) -> GradingResult:
    """Grade one student's submission and make its feedback, through the steps in their order
    (autograder/steps/__init__.py); never raises."""
    warnings.filterwarnings("ignore", module="nbgrader")
    warnings.filterwarnings("ignore", module="nbformat")
    result = GradingResult(job.assignment, job.student_id)
    try:
        sub = SubmissionWork(job, assignments.get(job), Limits(**job.limits), spare_kernels, result)
        for step in SUBMISSION_STEPS:
            step(sub)
        a = sub.assignment
        for name in a.names:
            nb = sub.notebooks.get(name)
            if nb is None:
                _zero(result, name, a.released[name])
                continue
            before = len(result.grades)
            try:
                work = NotebookWork(sub, name, nb)
                for notebook_step in NOTEBOOK_STEPS:
                    notebook_step(work)
            except Exception as e:  # a broken submission must not stop the batch
                del result.grades[before:]
                _zero(result, name, a.released[name])
                result.problems.append(f"could not grade {name}.ipynb ({type(e).__name__}: "
                                       f"{str(e).splitlines()[0][:100] if str(e) else ''})")
    except Exception as e:
        result.error = f"{type(e).__name__}: {e}".splitlines()[0]
    return result
