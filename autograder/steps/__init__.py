"""The steps of grading, in the order a submission goes through them.

In a worker process, for each submission (``autograder/worker.py``):

1. ``intake``   read what was handed in: which notebook is which, and whether it can be read;
2. ``restore``  rebuild the notebook from the assignment: what a student may not change is
                put back, and each change is reported;
3. ``execute``  run it cell by cell in a sandbox within its limits (``autograder/isolation/``);
4. ``mark``     compare each reported answer with the key, outside the student's kernel;
5. ``score``    give each grade cell its points by nbgrader's rule, keeping hand grades;
6. ``inert``    sanitise what the student's notebook holds (scripts, active HTML) before anyone
                opens the autograded notebook or the feedback;
7. ``feedback`` the student's feedback page, without the hidden tests.

In the lecturer's process, for the whole batch (``autograder/grading.py``):

8. ``gradebook`` merge each result into nbgrader's gradebook; write grades.csv;
9. ``report``    how the class did, per question and per provision.
"""

STEPS = ("intake", "restore", "execute", "mark", "score", "inert", "feedback", "gradebook", "report")
