"""The flake8 adapter (`flake8 --select ASL`): a thin shell over the same checker the CLI uses.

It rebuilds the source from the `lines` flake8 hands over (so stdin and BOMs behave as flake8
has them), reads the same `[tool.async-lint]` configuration, and leaves `# noqa` to flake8.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from async_lint import __version__
from async_lint.config import Config, ConfigError, find_config
from async_lint.engine.checker import SYNTAX_ERROR, build_rule_set, check_text
from async_lint.engine.discovery import module_name_for
from async_lint.engine.project_index import ProjectIndex, project_layout
from async_lint.engine.runner import RunSettings, enabled_for_file
from async_lint.selection import enabled_codes


@functools.lru_cache(maxsize=256)
def _config_for_directory(directory: Path) -> Config:
    return find_config(directory)


@functools.lru_cache(maxsize=16)
def _project_for_root(root: Path, src: tuple[str, ...], cache_dir: str) -> ProjectIndex:
    """One project index per process and project: modules are summarised as imports reach
    them, each once, from the summary cache on disk when unchanged."""
    layout = project_layout(root, src, [root])
    return ProjectIndex(layout.roots, layout.boundaries, root / cache_dir)


class Plugin:
    name = "async-lint"
    version = __version__

    def __init__(self, tree: ast.AST, lines: list[str], filename: str) -> None:
        self.lines = lines
        self.filename = filename

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        path = Path(self.filename)
        directory = path.parent if self.filename not in ("stdin", "-") else Path.cwd()
        try:
            config = _config_for_directory(directory.resolve())
            enabled = enabled_codes(config.select, config.extend_select, config.ignore)
        except ConfigError as error:
            yield 1, 0, f"ASL003 async-lint configuration error: {error}", type(self)
            return
        settings = RunSettings(enabled, config.rule_options, config.root, config.per_file_ignores)
        codes = enabled_for_file(path, settings)
        module_name, is_package = module_name_for(path.absolute())
        text = "".join(self.lines)
        diagnostics = check_text(
            text,
            self.filename,
            build_rule_set(codes, config.rule_options),
            module_name=module_name,
            is_package=is_package,
            apply_noqa=False,  # flake8 applies `# noqa` itself
            project=_project_for_root(config.root, config.src, config.cache_dir),
            path=path.absolute() if self.filename not in ("stdin", "-") else None,
        )
        for diagnostic in diagnostics:
            if diagnostic.code == SYNTAX_ERROR:
                continue  # flake8 reports E999 for a file that does not parse
            message = diagnostic.message
            if diagnostic.fix is not None:
                message += f" (fix: {diagnostic.fix.message})"
            yield diagnostic.start.row, diagnostic.start.column - 1, f"{diagnostic.code} {message}", type(self)
