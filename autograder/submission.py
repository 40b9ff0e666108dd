"""Read a homework notebook without running it: its graded items and the answers to them.

One reader serves three callers, so they cannot disagree: the nbgrader preprocessor that
records the points (`nbgrader_scoring`), the preview of a whole class (`preview`), and
`grade()` in a learner's kernel (which reads the kernel's input history the same way).

The rules, in docs/grading.md: an item is declared by the last statement of its test cell,
`grade(answer_q1, rubric=..., question=..., points=...)` with literal arguments. Its answer is
the last binding of `answer_q1` in the code cells above the test cell, and counts only when it
is text in quotes (a string literal, or string literals joined with +) in a cell that holds
nothing but such answers. Nothing is executed, so no object, patch or print can change it.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from .homework import CHOICE, FREE_TEXT, ORDER, Item, Outcome, evaluate, not_scored

GRADERS = {"grade": FREE_TEXT, "check_choice": CHOICE, "check_order": ORDER}
_REQUIRED = {
    FREE_TEXT: {"rubric", "question", "points"},
    CHOICE: {"options", "points"},
    ORDER: {"options", "points"},
}
_ALLOWED = {
    FREE_TEXT: _REQUIRED[FREE_TEXT],
    CHOICE: {"options", "points", "key"},
    ORDER: {"options", "points", "key"},
}


class ItemError(ValueError):
    """A test cell that calls one of our graders but cannot be read: an authoring mistake."""


@dataclass(frozen=True)
class Cell:
    """What the reader needs of a notebook cell."""

    cell_type: str
    source: str
    grade_id: str | None = None
    locked: bool = False  # nbgrader restores it from the source: the assignment's own text


@dataclass(frozen=True)
class Answer:
    """The statically read answer to one variable: its text, or why there is none."""

    text: str | None
    status: str = "scored"
    detail: str = ""


def parse_test_cell(source: str, grade_id: str = "", points: float | None = None) -> Item | None:
    """The item a test cell grades, or None when its last statement is not a call to
    grade / check_choice / check_order. `points` (the cell's nbgrader points) must agree."""
    tree = _read_cell(source).tree
    if tree is None or not tree.body:
        return None
    last = tree.body[-1]
    if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)):
        return None
    call = last.value
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    kind = GRADERS.get(name)
    if kind is None:
        return None
    where = f"test cell {grade_id or '?'}"
    if len(call.args) != 1 or not isinstance(call.args[0], ast.Name):
        raise ItemError(
            f"{where}: {name}() needs the answer variable as its only positional argument"
        )
    kwargs = {}
    for keyword in call.keywords:
        try:
            kwargs[keyword.arg] = ast.literal_eval(keyword.value)
        except (ValueError, TypeError, SyntaxError) as exc:
            raise ItemError(f"{where}: {keyword.arg}= must be a literal") from exc
    if not _REQUIRED[kind] <= kwargs.keys() <= _ALLOWED[kind]:
        raise ItemError(f"{where}: {name}() takes {sorted(_ALLOWED[kind])}, got {sorted(kwargs)}")
    if points is not None and float(points) != float(kwargs["points"]):
        raise ItemError(f"{where}: points={kwargs['points']} but the cell is worth {points}")
    return Item(
        kind=kind,
        variable=call.args[0].id,
        points=float(kwargs["points"]),
        rubric=kwargs.get("rubric", ""),
        question=kwargs.get("question", ""),
        options=kwargs.get("options", ""),
        key=kwargs.get("key"),
        grade_id=grade_id,
    )


def find_answer(sources: Iterable[str], variable: str) -> Answer:
    """The answer `variable` holds after running `sources` top to bottom, read statically."""
    answer = Answer(None, "missing_answer")
    broken = None
    for source in sources:
        cell = _read_cell(source)
        if cell.tree is None:
            if variable in source:
                broken = cell.error
            continue
        bindings = cell.bindings.get(variable)
        if bindings:
            answer = _read_binding(cell.tree, bindings[-1])
            broken = None
    if answer.status == "missing_answer" and broken:
        return Answer(None, "syntax_error", broken)
    return answer


def grade_item(
    item: Item, sources_before: Sequence[str], *, test_deleted: bool = False, given: str = ""
) -> Outcome:
    """The outcome of one item, given the code cells above its test cell and the
    assignment's own text (`given`, whose copied sentences are not scored)."""
    if test_deleted:
        return not_scored(item, "test_deleted")
    answer = find_answer(sources_before, item.variable)
    if answer.text is None:
        return not_scored(item, answer.status, answer.detail)
    if answer.status != "scored":
        return not_scored(item, answer.status, answer.detail, answer=answer.text)
    return evaluate(item, answer.text, given)


def given_text(cells: Sequence[Cell]) -> str:
    """The assignment's own text: its locked markdown cells (intro, questions, options)."""
    return "\n\n".join(c.source for c in cells if c.cell_type == "markdown" and c.locked)


def reference_items(cells: Sequence[dict]) -> list[Item]:
    """The graded items of an assignment's source notebook (nbformat cells), in order."""
    items = []
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"):
            item = parse_test_cell(
                _text(cell.get("source", "")), meta.get("grade_id", ""), meta.get("points")
            )
            if item is not None:
                items.append(item)
    return items


def grade_submission(cells: Sequence[dict], source_cells: Sequence[dict]) -> list[Outcome]:
    """Grade a submitted notebook's cells against its source notebook, without a kernel.

    Mirrors what nbgrader's autograde does to a submission before our preprocessor reads it:
    a grade id used twice keeps only its last cell (DeduplicateIds), known cells get their
    source cell type back and locked cells (tests) their source text (OverwriteCells), and a
    test cell that is missing scores 0.
    """
    reference = {}
    for cell in source_cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade_id"):
            locked = meta.get("locked", False) or (meta.get("grade") and not meta.get("solution"))
            reference[meta["grade_id"]] = (
                cell.get("cell_type"),
                _text(cell.get("source", "")),
                bool(locked),
            )
    last_index = {}
    for index, cell in enumerate(cells):
        grade_id = _grade_id(cell)
        if grade_id:
            last_index[grade_id] = index
    restored = []
    for index, cell in enumerate(cells):
        grade_id = _grade_id(cell)
        cell_type, source = cell.get("cell_type", ""), _text(cell.get("source", ""))
        locked = False
        if grade_id and last_index[grade_id] == index and grade_id in reference:
            ref_type, ref_source, locked = reference[grade_id]
            cell_type, source = ref_type, (ref_source if locked else source)
        else:
            grade_id = None
        restored.append(Cell(cell_type, source, grade_id, locked))
    return grade_cells(restored, reference_items(source_cells))


def grade_cells(cells: Sequence[Cell], items: Sequence[Item]) -> list[Outcome]:
    """Grade `items` against cells that already passed nbgrader's sanitizing."""
    position = {cell.grade_id: i for i, cell in enumerate(cells) if cell.grade_id}
    given = given_text(cells)
    outcomes = []
    for item in items:
        index = position.get(item.grade_id)
        if index is None:
            outcomes.append(grade_item(item, (), test_deleted=True))
            continue
        before = [c.source for c in cells[:index] if c.cell_type == "code"]
        outcomes.append(grade_item(item, before, given=given))
    return outcomes


def outcome_in_kernel(item: Item) -> Outcome | None:
    """In an IPython kernel, grade the item the way the autograder will: from the text in the
    cells run so far (`In`), not from the value the test cell received. None outside IPython
    or when the running cell is not a plain test cell."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    history = getattr(shell, "user_ns", {}).get("In") if shell is not None else None
    if not history:
        return None
    try:
        declared = parse_test_cell(history[-1])
    except ItemError:
        return None
    if declared is None or declared.kind != item.kind:
        return None
    return grade_item(
        replace(item, variable=declared.variable), history[:-1], given=_given_text_near_kernel()
    )


def _given_text_near_kernel() -> str:
    """The assignment's text as the kernel can see it: the locked markdown cells of the saved
    notebooks in its working folder (Jupyter starts a kernel in its notebook's folder)."""
    cells = []
    for path in sorted(Path.cwd().glob("*.ipynb")):
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
            cells += [
                Cell(c["cell_type"], _text(c["source"]), locked=True)
                for c in notebook["cells"]
                if _is_locked_text(c)
            ]
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return given_text(cells)


def _is_locked_text(cell: dict) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "markdown" and bool(meta.get("locked"))


def _grade_id(cell: dict) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    if isinstance(meta, dict) and (meta.get("grade") or meta.get("solution") or meta.get("locked")):
        grade_id = meta.get("grade_id")
        return grade_id if isinstance(grade_id, str) else None
    return None


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def _parse(source: str) -> tuple[ast.Module | None, str]:
    """Parse a cell; IPython syntax (magics, !shell) is translated first, as the kernel does."""
    try:
        return ast.parse(source), ""
    except Exception as exc:  # SyntaxError, or ValueError for NUL bytes, RecursionError ...
        error = _describe_error(exc)
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return ast.parse(TransformerManager().transform_cell(source)), ""
    except Exception:
        return None, error


def _describe_error(exc: Exception) -> str:
    if isinstance(exc, SyntaxError) and exc.lineno:
        return f"line {exc.lineno}: {exc.msg}"
    return type(exc).__name__


@dataclass(frozen=True)
class _ParsedCell:
    tree: ast.Module | None
    error: str
    bindings: dict[str, list[ast.AST]]  # name -> the nodes that bind it, in source order


@lru_cache(maxsize=4096)
def _read_cell(source: str) -> _ParsedCell:
    """Parse a cell once: a class hands in the same test cells and many equal answer cells.
    The tree is shared between callers, who only read it."""
    tree, error = _parse(source)
    bindings: dict[str, list[ast.AST]] = {}
    if tree is not None:
        for node in ast.walk(tree):
            for name in _bound_names(node):
                bindings.setdefault(name, []).append(node)
        for nodes in bindings.values():
            nodes.sort(key=lambda n: (n.lineno, n.col_offset))
    return _ParsedCell(tree, error, bindings)


def _bound_names(node: ast.AST) -> tuple[str | None, ...]:
    if isinstance(node, ast.Name):
        return () if isinstance(node.ctx, ast.Load) else (node.id,)
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return tuple(alias.asname or alias.name.split(".")[0] for alias in node.names)
    if isinstance(
        node,
        (
            ast.FunctionDef,
            ast.AsyncFunctionDef,
            ast.ClassDef,
            ast.ExceptHandler,
            ast.MatchAs,
            ast.MatchStar,
        ),
    ):
        return (node.name,)
    return ()


def _read_binding(tree: ast.Module, binding: ast.AST) -> Answer:
    where = (binding.lineno, binding.col_offset)
    statement = next(
        s
        for s in tree.body
        if (s.lineno, s.col_offset) <= where <= (s.end_lineno, s.end_col_offset)
    )
    text = None
    if isinstance(statement, ast.Assign) and binding in statement.targets:
        text = literal_text(statement.value)
    if isinstance(statement, ast.AnnAssign) and binding is statement.target and statement.value:
        text = literal_text(statement.value)
    if text is None:
        return Answer(None, "not_text", f"line {binding.lineno} gives it a value that is not text")
    extra = next((s for s in tree.body if not _is_answer_statement(s)), None)
    if extra is not None:
        return Answer(text, "extra_code", f"line {extra.lineno}: {_describe(extra)}")
    return Answer(text)


def literal_text(node: ast.AST) -> str | None:
    """The text of a string literal or of string literals joined with +, else None."""
    if isinstance(node, ast.Constant) and type(node.value) is str:
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = literal_text(node.left), literal_text(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def _is_answer_statement(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Assign):
        return all(isinstance(t, ast.Name) for t in statement.targets) and (
            literal_text(statement.value) is not None
        )
    if isinstance(statement, ast.AnnAssign):
        return statement.value is not None and literal_text(statement.value) is not None
    return isinstance(statement, ast.Expr) and literal_text(statement.value) is not None


_STATEMENT_NAMES = {
    ast.While: "a while loop",
    ast.For: "a for loop",
    ast.Import: "an import",
    ast.ImportFrom: "an import",
    ast.FunctionDef: "a function definition",
    ast.ClassDef: "a class definition",
    ast.If: "an if statement",
    ast.Try: "a try statement",
    ast.With: "a with statement",
    ast.Expr: "an expression",
    ast.Assign: "an assignment of something other than text",
    ast.AugAssign: "an augmented assignment",
    ast.Delete: "a del statement",
}


def _describe(statement: ast.stmt) -> str:
    return _STATEMENT_NAMES.get(type(statement), type(statement).__name__.lower())
