"""One module per command of ``python -m autograder``, each with ``main(args) -> exit status``.

``autograder/cli.py`` only parses the command line; what a command does is here, and the
grading it starts is the pipeline in ``autograder/steps/``.
"""
