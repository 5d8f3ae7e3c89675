"""Graded questions: a bank item as a question of a graded notebook, in one place.

- ``kinds``: one class per kind of answer (letter, citations, number, essay): the cells it
  writes, the format check students and grader share, the right answer, the marking;
- ``answers``: the named answers, for questions whose answer follows from each student's facts;
- ``course_tools``: the student module, released beside every notebook (standard library only);
- ``bundle``: what is released beside a notebook (that module, the citation parser, the data);
- ``metadata``: the ``course`` metadata of notebooks and cells, its schema, reader and writer.

Nothing is imported here: hidden tests import ``exercises.graded.answers`` in students'
kernels, and the grader imports ``course_tools`` alone.
"""
