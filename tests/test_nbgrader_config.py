"""nbgrader_config.py: it loads, and it puts our grading where nbgrader will run it.

nbgrader only logs an exception raised in its config file and carries on with defaults, so
these checks are what catches a broken config before a class is graded with it.
"""

from pathlib import Path

import nbformat
from nbgrader.converters import Autograde, GenerateAssignment
from traitlets.config.loader import PyFileConfigLoader
from traitlets.utils.importstring import import_item

from autograder.homework import PLACEHOLDER
from autograder.nbgrader_scoring import ClearWidgetState, ScoreOutsideKernel

ROOT = Path(__file__).resolve().parent.parent


def _config():
    return PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()


def _default(cls, trait: str) -> list:
    return list(cls.class_traits()[trait].make_dynamic_default())


def test_the_config_loads_and_sets_the_course_directories():
    config = _config()
    assert config.CourseDirectory.root == str(ROOT)
    assert config.CourseDirectory.source_directory == "solutions"
    assert config.CourseDirectory.release_directory == "exercises"
    assert "db_url" not in config.CourseDirectory, "the gradebook must follow the root"


def test_scoring_runs_after_the_kernel_and_before_grades_are_saved():
    configured = [import_item(name) for name in _config().Autograde.autograde_preprocessors]
    default = _default(Autograde, "autograde_preprocessors")
    assert ScoreOutsideKernel in configured
    expected = list(default)
    expected.insert(
        default.index(import_item("nbgrader.preprocessors.SaveAutoGrades")), ScoreOutsideKernel
    )
    assert configured == expected, "nbgrader's defaults changed: update nbgrader_config.py"


def test_the_release_drops_widget_state_and_keeps_nbgraders_steps():
    configured = [import_item(name) for name in _config().GenerateAssignment.preprocessors]
    assert configured == [*_default(GenerateAssignment, "preprocessors"), ClearWidgetState]


def test_the_released_placeholder_is_the_one_the_grader_recognizes():
    assert _config().ClearSolutions.code_stub == {"python": f'"""{PLACEHOLDER}"""'}


def test_deleted_test_cells_are_put_back_to_be_graded():
    assert _config().OverwriteCells.add_missing_cells is True


def test_clear_widget_state_removes_saved_widget_values():
    nb = nbformat.v4.new_notebook(metadata={"widgets": {"state": {"x": {"value": "model"}}}})
    nb, _ = ClearWidgetState().preprocess(nb, {})
    assert "widgets" not in nb.metadata
