"""`--show-settings` and `--show-files`: what a run would use, and which files it would check,
without checking anything.

The settings print as a `[tool.async-lint]` table with every value resolved (the defaults
filled in, the command line applied, the rules a selection enables spelt out), so it can be
read, diffed or pasted back into a pyproject.toml."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from async_lint.config import SECTION, Config, format_version
from async_lint.engine.discovery import SourceFile
from async_lint.engine.run_settings import RunSettings


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(key)} = {_toml(item)}" for key, item in value.items()) + " }" if value else "{}"
    if isinstance(value, Iterable):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(value)


def settings_text(config: Config, settings: RunSettings) -> str:
    options = settings.options
    target = options.python
    rows: list[tuple[str, object]] = [
        ("select", list(config.select)),
        ("extend-select", list(config.extend_select)),
        ("ignore", list(config.ignore)),
        ("exclude", list(config.exclude)),
        ("extend-exclude", list(config.extend_exclude)),
        ("per-file-ignores", {pattern: list(codes) for pattern, codes in settings.per_file_ignores}),
        ("src", list(config.src)),
        ("respect-gitignore", config.respect_gitignore),
        ("cache-dir", str(settings.cache_dir) if settings.cache_dir is not None else "(off: --no-cache)"),
        ("max-file-size", settings.max_file_size),
        ("blocking-calls", dict(options.blocking_calls)),
        ("allow-blocking", sorted(options.allow_blocking)),
        ("route-decorators", sorted(options.route_decorators)),
    ]
    source = str(config.config_file) if config.config_file is not None else "none: the defaults"
    lines = [
        f"# configuration file: {source}",
        f"# paths are relative to: {config.root}",
        f"# rules enabled: {', '.join(sorted(settings.enabled))}",
        f"# target Python: {format_version(target)} (a fix that needs a newer one is only suggested)"
        if target is not None
        else "# target Python: unknown (every fix applies)",
        f"[tool.{SECTION}]",
        *(f"{key} = {_toml(value)}" for key, value in rows),
    ]
    if target is not None:
        lines.append(f'target-version = "py{target[0]}{target[1]}"')
    return "\n".join(lines) + "\n"


def files_text(files: Iterable[SourceFile], missing: Iterable[Path]) -> str:
    """Each file a run would check, absolute and sorted (as `ruff check --show-files` prints them)."""
    listed = sorted(str(file.path.absolute()) for file in files)
    listed += [f"{path} (does not exist)" for path in missing]
    return "".join(f"{line}\n" for line in listed)
