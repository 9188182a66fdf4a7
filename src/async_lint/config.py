"""`[tool.async-lint]` in pyproject.toml -> one frozen `Config`.

Every key is checked: an unknown key, or a value of the wrong type, is a `ConfigError` that
names the file and the key (the CLI turns it into exit status 2).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

SECTION = "async-lint"
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".env",
    "env",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".async_lint_cache",
    "__pycache__",
    "__pypackages__",
    "node_modules",
    "build",
    "dist",
    "site-packages",
    "*.egg-info",
)


class ConfigError(Exception):
    """The configuration cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class RuleOptions:
    """The part of the configuration that rules read."""

    blocking_calls: tuple[tuple[str, str], ...] = ()
    """Extra blocking calls: (qualified name, what to use instead)."""
    allow_blocking: frozenset[str] = frozenset()
    """Qualified names never reported as blocking."""
    route_decorators: frozenset[str] = frozenset()
    """Extra decorators (qualified names, or `*.attr` patterns) that make a web route handler."""


@dataclass(frozen=True)
class Config:
    root: Path
    """Directory the configuration applies to (where its pyproject.toml is, else the cwd)."""
    config_file: Path | None = None
    select: tuple[str, ...] = ("ASL",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    src: tuple[str, ...] = ()
    respect_gitignore: bool = True
    cache_dir: str = ".async_lint_cache"
    rule_options: RuleOptions = field(default_factory=RuleOptions)

    def fingerprint(self) -> str:
        """A hash of everything that can change a file's findings (for the cache key)."""
        payload = json.dumps(
            [
                sorted(self.rule_options.blocking_calls),
                sorted(self.rule_options.allow_blocking),
                sorted(self.rule_options.route_decorators),
                list(self.src),
            ]
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _expect_str_list(file: Path, key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{file}: [tool.{SECTION}] {key}: expected a list of strings, got {value!r}")
    return tuple(value)


def _expect_str_table(file: Path, key: str, value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigError(
            f'{file}: [tool.{SECTION}] {key}: expected a table of "name" = "text" entries, got {value!r}'
        )
    return value


def _per_file_ignores(file: Path, value: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    key = "per-file-ignores"
    if not isinstance(value, dict):
        raise ConfigError(f"{file}: [tool.{SECTION}] {key}: expected a table of pattern = [codes], got {value!r}")
    return tuple((pattern, _expect_str_list(file, f"{key}.{pattern!r}", codes)) for pattern, codes in value.items())


_LIST_KEYS = ("select", "extend-select", "ignore", "exclude", "extend-exclude", "src", "allow-blocking", "route-decorators")
KNOWN_KEYS = frozenset(
    (*_LIST_KEYS, "per-file-ignores", "blocking-calls", "respect-gitignore", "cache-dir")
)


def config_from_table(table: dict, file: Path) -> Config:
    """Validate a `[tool.async-lint]` table into a Config rooted at the file's directory."""
    for key in table:
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"{file}: [tool.{SECTION}] unknown key {key!r}{hint}")
    lists = {key.replace("-", "_"): _expect_str_list(file, key, table[key]) for key in _LIST_KEYS if key in table}
    kwargs: dict = {}
    for key in ("select", "extend_select", "ignore", "exclude", "extend_exclude", "src"):
        if key in lists:
            kwargs[key] = lists[key]
    if "per-file-ignores" in table:
        kwargs["per_file_ignores"] = _per_file_ignores(file, table["per-file-ignores"])
    if "respect-gitignore" in table:
        if not isinstance(table["respect-gitignore"], bool):
            raise ConfigError(f"{file}: [tool.{SECTION}] respect-gitignore: expected true or false")
        kwargs["respect_gitignore"] = table["respect-gitignore"]
    if "cache-dir" in table:
        if not isinstance(table["cache-dir"], str):
            raise ConfigError(f"{file}: [tool.{SECTION}] cache-dir: expected a string")
        kwargs["cache_dir"] = table["cache-dir"]
    blocking = _expect_str_table(file, "blocking-calls", table.get("blocking-calls", {}))
    kwargs["rule_options"] = RuleOptions(
        blocking_calls=tuple(sorted(blocking.items())),
        allow_blocking=frozenset(lists.get("allow_blocking", ())),
        route_decorators=frozenset(lists.get("route_decorators", ())),
    )
    return Config(root=file.parent.resolve(), config_file=file, **kwargs)


def read_config_file(file: Path) -> Config:
    """Read an explicit config file (a pyproject.toml, or a TOML file holding the table at the
    top level or under [tool.async-lint])."""
    try:
        raw = file.read_bytes()
    except OSError as error:
        raise ConfigError(f"{file}: cannot read the configuration: {error.strerror or error}") from error
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{file}: not valid TOML: {error}") from error
    tool = data.get("tool")
    if isinstance(tool, dict) and SECTION in tool:
        table = tool[SECTION]
    elif file.name == "pyproject.toml":
        table = {}
    else:
        table = data
    if not isinstance(table, dict):
        raise ConfigError(f"{file}: [tool.{SECTION}] must be a table")
    return config_from_table(table, file)


def has_section(file: Path) -> bool:
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return False
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{file}: not valid TOML: {error}") from error
    tool = data.get("tool")
    return isinstance(tool, dict) and SECTION in tool


def find_config(start: Path) -> Config:
    """The nearest pyproject.toml with a [tool.async-lint] table, walking up from `start`;
    the defaults (rooted at `start`) when there is none."""
    start = start.resolve()
    directory = start if start.is_dir() else start.parent
    for candidate in (directory, *directory.parents):
        file = candidate / "pyproject.toml"
        if file.is_file() and has_section(file):
            return read_config_file(file)
    return Config(root=Path.cwd().resolve())
