"""Command line: `python -m autograder SUBCOMMAND ...`, also installed as `ml-judgment`.

Each subcommand lives in its own module, which provides `add_arguments(parser)` and
`run(args) -> int`; register it in SUBCOMMANDS with a one-line help.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "score": ("autograder.batch", "score JSONL answers: one JSON line out for each line in"),
    "explain": ("autograder.explain", "print a readable report for one answer"),
    "preview": (
        "autograder.preview",
        "grade submitted homework notebooks statically, without starting kernels",
    ),
    "exercises": ("autograder.exercises_cli", "list the practice exercises"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        module = importlib.import_module(module_name)
        sub = commands.add_parser(name, help=help_text, description=module.__doc__)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
