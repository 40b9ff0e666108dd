"""nbgrader preprocessors that make homework grading tamper-proof (see docs/grading.md).

`ScoreOutsideKernel` runs during `nbgrader autograde`, after the student's notebook has been
executed and before nbgrader saves the grades. For every test cell that calls one of our
graders it reads the answer out of the notebook's cells as text (`autograder.submission`),
scores it here, in the nbgrader process, and replaces the test cell's outputs with the
feedback and the points. Whatever the student's code did in its kernel (patching the scorer or
builtins, importing a look-alike package from the submission folder, returning objects whose
methods lie, printing a fake score) only changed outputs that are thrown away.

`ClearWidgetState` runs during `nbgrader generate_assignment`: saved widget state can hold
text typed into a widget, such as a model answer, and nbgrader copies it into the release.
"""

from __future__ import annotations

from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor, OverwriteCells

from .submission import Cell, given_text, grade_item, parse_test_cell

# Where the instructor report finds an item's verdict in an autograded notebook.
OUTCOME_MIMETYPE = "application/vnd.ml-judgment.outcome+json"


class ScoreOutsideKernel(NbGraderPreprocessor):
    """Replace the outputs of our test cells with points computed from the notebook's text."""

    def preprocess(self, nb, resources):
        notice = OverwriteCells(parent=self).missing_cell_notification
        given = given_text(
            [Cell(c.cell_type, c.source, locked=utils.is_locked(c)) for c in nb.cells]
        )
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or not utils.is_grade(cell) or utils.is_solution(cell):
                continue
            meta = cell.metadata.nbgrader
            item = parse_test_cell(cell.source, meta["grade_id"], meta["points"])
            if item is None:
                continue
            # nbgrader put a deleted test cell back (OverwriteCells.add_missing_cells).
            deleted = cell.source.startswith("# " + notice.format(cell_id=meta["grade_id"]))
            before = [c.source for c in nb.cells[:index] if c.cell_type == "code"]
            outcome = grade_item(item, before, test_deleted=deleted, given=given)
            cell.outputs = [
                new_output("stream", name="stdout", text=outcome.feedback() + "\n"),
                new_output(
                    "execute_result",
                    data={"text/plain": repr(outcome.points), OUTCOME_MIMETYPE: outcome.to_dict()},
                    execution_count=cell.get("execution_count"),
                ),
            ]
            self.log.info(
                "%s: %s / %s points (%s)",
                meta["grade_id"],
                outcome.points,
                item.points,
                outcome.status,
            )
        return nb, resources


class ClearWidgetState(NbGraderPreprocessor):
    """Drop the notebook's saved widget state from the release."""

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        return nb, resources
