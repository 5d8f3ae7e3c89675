"""What keeps a submission's code in its place: the sandbox (bubblewrap), the memory cgroup
and the resource limits. What they protect and what they do not: autograder/THREAT_MODEL.md."""
