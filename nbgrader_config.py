"""nbgrader configuration of the course (docs/grading.md explains every line).

nbgrader only LOGS an exception raised here and then runs with its defaults, so this file holds
plain values and nothing that can fail; tests/test_nbgrader_config.py loads it and checks them.
If it were ever skipped, grade() refuses to score during autograde and the instructor's
reference submission loses its full marks, which `make demo-class` reports as a failure.
"""

import os

c = get_config()  # noqa: F821 - injected by traitlets

# Assignments are written once in solutions/ and released into exercises/ by
# `nbgrader generate_assignment`; submitted/, autograded/ and feedback/ are nbgrader's own
# working folders under the root (git-ignored). `make demo-class` points the root elsewhere.
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# The release keeps the quotes of an answer cell and puts this placeholder between them.
c.ClearSolutions.code_stub = {"python": '"""Write your answer here."""'}

# Saved widget state can hold a solution typed into a widget: drop it from the release.
c.GenerateAssignment.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.InstantiateTests",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearSolutions",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.CheckCellMetadata",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.CheckCellMetadata",
    "autograder.nbgrader_scoring.ClearWidgetState",
]

# The points that count are computed outside the student's kernel, after it has run and
# before nbgrader saves the grades.
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "autograder.nbgrader_scoring.ScoreOutsideKernel",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# A deleted test cell is put back, so its item is graded (0 points, with the reason) instead
# of silently waiting for a manual grade.
c.OverwriteCells.add_missing_cells = True
