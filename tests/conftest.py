"""Fixtures shared by several test files."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def demo_class(tmp_path_factory):
    """One run of `make demo-class` (autograder.demo_class) for the whole session: it grades
    a class with nbgrader end to end, which takes a few minutes."""
    from autograder import demo_class

    return demo_class.run(ROOT, tmp_path_factory.mktemp("demo-class"), timeout=5)
