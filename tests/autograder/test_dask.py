"""The same grading on a Dask cluster (a LocalCluster here) gives the same grades."""

from __future__ import annotations

import pytest

from autograder import grading, submissions
from autograder_support import ASSIGNMENT, SEED

distributed = pytest.importorskip("distributed")


def test_dask_cluster_grades_like_the_local_pool(batch, tmp_path):
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    try:
        run = grading.grade(ASSIGNMENT, submissions.find(batch["subs"], ASSIGNMENT), tmp_path / "out",
                            dask_scheduler=cluster.scheduler_address, seed=SEED,
                            settings=batch["settings"], progress=False)
    finally:
        cluster.close()
    assert run.executor == "dask"
    keys = ("score", "max_score", "auto_score", "auto_max_score", "status")
    dask_rows = {r["student_id"]: {k: r[k] for k in keys} for r in run.rows}
    local_rows = {s: {k: r[k] for k in keys} for s, r in batch["rows"].items()}
    assert dask_rows == local_rows
