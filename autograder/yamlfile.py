"""Read a YAML data file (rubrics, rules, exercises) with errors that name the file."""

from __future__ import annotations

from pathlib import Path


def read_yaml(path: Path, error: type[Exception]):
    """Parsed content of `path`; raise `error` naming the file when it cannot be read or parsed."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot be read: {exc}") from exc
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise error(f"{path}: not valid YAML: {exc}") from exc
