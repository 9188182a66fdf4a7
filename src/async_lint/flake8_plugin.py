"""The flake8 adapter (`flake8 --select ASL`): a thin shell over the same checker the CLI uses.

It rebuilds the source from the `lines` flake8 hands over (so stdin and BOMs behave as flake8
has them), reads the same `[tool.async-lint]` configuration, and leaves `# noqa` to flake8.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from async_lint import __version__
from async_lint.config import Config, ConfigError, RuleOptions, find_config
from async_lint.engine.checker import check_text
from async_lint.engine.collection import collected_after
from async_lint.engine.discovery import module_name_for
from async_lint.analysis.project import project_layout
from async_lint.engine.libcst_fields import install_field_order
from async_lint.engine.project_index import ProjectIndex, current_stamp, user_cache_dir
from async_lint.engine.run_settings import RunSettings, enabled_for_file
from async_lint.engine.source_files import UnreadableSource, check_size
from async_lint.rule_catalog import SYNTAX_ERROR, UNREADABLE_FILE
from async_lint.rules import build_rule_set
from async_lint.selection import enabled_codes


@functools.lru_cache(maxsize=256)
def _config_for_directory(directory: Path) -> Config:
    return find_config(directory)


@functools.lru_cache(maxsize=16)
def _project_for_root(root: Path, src: tuple[str, ...], cache_dir: str) -> ProjectIndex:
    """One project index per process and project: modules are summarised as imports reach
    them, each once, from the summary cache on disk when unchanged."""
    layout = project_layout(root, src, [root])
    install_field_order(user_cache_dir())
    return ProjectIndex.for_run(layout, root / cache_dir)
_DEFAULT_SUGGESTION = "use `await asyncio.to_thread(...)`"


def parse_blocking_calls(value: str) -> tuple[tuple[str, str], ...]:
    """`--async-lint-blocking-calls`: `module.func = suggestion` entries, one per line or
    separated by `;` (a bare `module.func` suggests `await asyncio.to_thread(...)`)."""
    entries = []
    for raw in re.split(r"[;\n]", value):
        name, _, suggestion = raw.partition("=")
        if name.strip():
            entries.append((name.strip(), suggestion.strip() or _DEFAULT_SUGGESTION))
    return tuple(entries)


class Plugin:
    name = "async-lint"
    version = __version__
    blocking_calls: tuple[tuple[str, str], ...] = ()
    """From `--async-lint-blocking-calls`, added to `[tool.async-lint] blocking-calls`."""
    allow_blocking: frozenset[str] = frozenset()
    """From `--async-lint-allow-blocking`, added to `[tool.async-lint] allow-blocking`."""

    def __init__(self, tree: ast.AST, lines: list[str], filename: str) -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, parser: Any) -> None:  # flake8's OptionManager
        parser.add_option(
            "--async-lint-blocking-calls",
            default="",
            parse_from_config=True,
            help="Extra blocking calls for ASL304: `module.func = suggestion` entries separated by "
            "newlines or `;` (added to [tool.async-lint] blocking-calls).",
        )
        parser.add_option(
            "--async-lint-allow-blocking",
            default=[],
            parse_from_config=True,
            comma_separated_list=True,
            help="Qualified names (or prefixes such as os.path) never reported as blocking "
            "(added to [tool.async-lint] allow-blocking).",
        )

    @classmethod
    def parse_options(cls, options: Any) -> None:  # flake8's argparse.Namespace
        cls.blocking_calls = parse_blocking_calls(options.async_lint_blocking_calls or "")
        cls.allow_blocking = frozenset(options.async_lint_allow_blocking or ())

    def _rule_options(self, config: Config) -> RuleOptions:
        base = config.rule_options
        if not self.blocking_calls and not self.allow_blocking:
            return base
        return dataclasses.replace(
            base,
            blocking_calls=tuple(sorted({**dict(base.blocking_calls), **dict(self.blocking_calls)}.items())),
            allow_blocking=base.allow_blocking | self.allow_blocking,
        )

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        path = Path(self.filename)
        directory = path.parent if self.filename not in ("stdin", "-") else Path.cwd()
        try:
            config = _config_for_directory(directory.resolve())
            enabled = enabled_codes(config.select, config.extend_select, config.ignore)
        except ConfigError as error:
            yield 1, 0, f"ASL003 async-lint configuration error: {error}", type(self)
            return
        text = "".join(self.lines)
        try:
            check_size(len(text.encode("utf-8", "surrogateescape")), config.max_file_size)
        except UnreadableSource as error:
            yield 1, 0, f"{UNREADABLE_FILE} {error}", type(self)
            return
        rule_options = self._rule_options(config)
        settings = RunSettings(enabled, rule_options, config.root, config.per_file_ignores, rules=build_rule_set)
        codes = enabled_for_file(path, settings)
        module_name, is_package = module_name_for(path.absolute())
        project = _project_for_root(config.root, config.src, config.cache_dir)
        file = path.absolute() if self.filename not in ("stdin", "-") else None
        with collected_after():
            # flake8 has parsed the file with `ast` already: a summary not in the index yet
            # (as an import of a file checked before) is made from its tree.
            summary = None
            if file is not None and isinstance(self.tree, ast.Module):
                summary = project.summary_of_source(file, text.encode(), current_stamp(file), self.tree)
            diagnostics = check_text(
                text,
                self.filename,
                build_rule_set(codes, rule_options),
                module_name=module_name,
                is_package=is_package,
                apply_noqa=False,  # flake8 applies `# noqa` itself
                project=project,
                path=file,
                summary=summary,
            )
        for diagnostic in diagnostics:
            if diagnostic.code == SYNTAX_ERROR:
                continue  # flake8 reports E999 for a file that does not parse
            message = diagnostic.message
            if diagnostic.fix is not None:
                message += f" ({diagnostic.fix.applicability.label}: {diagnostic.fix.message})"
            yield diagnostic.start.row, diagnostic.start.column - 1, f"{diagnostic.code} {message}", type(self)
