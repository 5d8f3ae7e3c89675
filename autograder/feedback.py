"""Feedback without the hidden tests (nbgrader shows them: its issue #917).

Removing the hidden region from the source is not enough: a failed hidden assert prints a
traceback quoting the hidden line. So the error output of a cell that had hidden tests is
replaced by a plain sentence, unless the error is the public format check's own message.
"""

from __future__ import annotations

from nbgrader.preprocessors import ClearHiddenTests
from traitlets import Bool

PUBLIC_ERRORS = {"AnswerFormatError"}  # raised by course_tools.assert_format: safe to show
HIDDEN_FAILED = "Not right yet. (The checks that decide the grade are not shown.)"


class HideHiddenTests(ClearHiddenTests):
    show_hidden_tests = Bool(False, help="Show hidden tests and their errors in feedback").tag(config=True)
    enforce_metadata = Bool(False).tag(config=True)

    def preprocess_cell(self, cell, resources, cell_index):
        if self.show_hidden_tests or cell.cell_type != "code":
            return cell, resources
        if self._remove_hidden_test_region(cell):
            cell.outputs = [self._safe(o) for o in cell.get("outputs", [])]
        return cell, resources

    @staticmethod
    def _safe(output):
        if output.get("output_type") != "error":
            return output
        if output.get("ename") in PUBLIC_ERRORS:
            output["traceback"] = [f"{output['ename']}: {output.get('evalue', '')}"]
            return output
        output["ename"], output["evalue"], output["traceback"] = "Result", HIDDEN_FAILED, [HIDDEN_FAILED]
        return output
