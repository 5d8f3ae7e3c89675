"""The course runner: `python -m autograder` releases, grades, exports and reports.

It drives nbgrader's own machinery (GenerateAssignment, Autograde, GenerateFeedback and the
Gradebook) with the course's configuration, and adds what nbgrader lacks: grading in
parallel across processes or on a Dask cluster, each student's own facts, LMS zip intake,
feedback without hidden tests, a grades table that keeps hand-entered grades, and a
per-provision report. Student code runs in a sandbox within limits, and every submission,
however broken or hostile, ends in one row with a status a lecturer understands
(autograder/THREAT_MODEL.md).
"""
