"""What the library raises when the lecturer has something to fix.

The message is the whole of what the lecturer reads: which file or option, what is wrong, how
to fix it. Only the command line (``autograder/cli.py``) turns it into an exit status.
"""


class CourseError(Exception):
    """A problem in what the lecturer gave (a folder, a file, an option), not a bug."""
