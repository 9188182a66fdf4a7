"""`[tool.async-lint]` in pyproject.toml -> one frozen `Config`.

Every key is checked: an unknown key, or a value of the wrong type, is a `ConfigError` that
names the file and the key (the CLI turns it into exit status 2).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from async_lint.rule_catalog import RULES

SECTION = "async-lint"
MISSPELT_SECTIONS = ("async_lint", "asynclint", "async-linter", "async_linter")
"""Tables someone meaning `[tool.async-lint]` writes: an error, not silently the defaults."""
DEFAULT_MAX_FILE_SIZE = 1024 * 1024
"""Bytes; larger files are not checked (reported as ASL002): LibCST needs several hundred times
a file's size in memory, and generated data modules of megabytes are not worth it."""
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


BLOCKING_FAMILIES = ("http", "file-io", "subprocess", "other")
"""The `family` values a configured package may name (the rule it is reported under: ASL301,
ASL302, ASL303, ASL304)."""


@dataclass(frozen=True)
class BlockingPackageOption:
    """One `[tool.async-lint.blocking-packages.<name>]` table: receiver types on which every
    public method blocks except the listed pure ones."""

    name: str
    replacement: str
    """What to use instead, as the message shows it."""
    types: tuple[tuple[str, tuple[str, ...]], ...]
    """(qualified type name, its pure methods), sorted."""
    family: str = "other"


@dataclass(frozen=True)
class RuleOptions:
    """The part of the configuration that rules read."""

    blocking_calls: tuple[tuple[str, str], ...] = ()
    """Extra blocking calls: (qualified name, what to use instead)."""
    blocking_packages: tuple[BlockingPackageOption, ...] = ()
    """Extra sync I/O packages, by their receiver types."""
    allow_blocking: frozenset[str] = frozenset()
    """Qualified names never reported as blocking."""
    route_decorators: frozenset[str] = frozenset()
    """Extra decorators (qualified names, or `*.attr` patterns) that make a web route handler."""
    python: PythonVersion | None = None
    """The oldest Python the checked code must run on (`target-version`, else the `[project]
    requires-python` of the configuration's pyproject.toml, or of the closest one when there is
    no configuration; `--target-version` overrides); None when unknown. A fix that needs a newer
    Python is only suggested, and the rules choose what they write by it (`asyncio.TaskGroup`
    from 3.11)."""


PythonVersion = tuple[int, int]
_TARGET_VERSION = re.compile(r"py3(\d{1,2})")


def parse_target_version(text: str) -> PythonVersion:
    """`py39` -> (3, 9); ValueError for anything else."""
    match = _TARGET_VERSION.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"expected a Python version such as \"py39\", got {text!r}")
    return (3, int(match.group(1)))


def format_version(version: PythonVersion) -> str:
    return f"{version[0]}.{version[1]}"


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
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    rule_options: RuleOptions = field(default_factory=RuleOptions)

    def fingerprint(self) -> str:
        """A hash of everything that can change a file's findings (for the cache key)."""
        payload = json.dumps(
            [
                sorted(self.rule_options.blocking_calls),
                [repr(option) for option in self.rule_options.blocking_packages],
                sorted(self.rule_options.allow_blocking),
                sorted(self.rule_options.route_decorators),
                list(self.src),
                self.rule_options.python,
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


def _blocking_packages(file: Path, value: object) -> tuple[BlockingPackageOption, ...]:
    """`[tool.async-lint.blocking-packages.<name>]` tables: `replacement` (a string), `types`
    (a table of qualified type name = list of pure method names), optional `family`."""
    key = "blocking-packages"
    where = f"{file}: [tool.{SECTION}] {key}"
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of package tables, got {value!r}")
    found: list[BlockingPackageOption] = []
    for name, table in sorted(value.items()):
        here = f"{where}.{name}"
        if not isinstance(table, dict):
            raise ConfigError(f"{here}: expected a table with `replacement` and `types`, got {table!r}")
        unknown = sorted(set(table) - {"replacement", "types", "family"})
        if unknown:
            raise ConfigError(f"{here}: unknown key {unknown[0]!r} (expected `replacement`, `types`, `family`)")
        replacement = table.get("replacement")
        if not isinstance(replacement, str) or not replacement.strip():
            raise ConfigError(f"{here}.replacement: expected the advice to show, as a string, got {replacement!r}")
        family = table.get("family", "other")
        if family not in BLOCKING_FAMILIES:
            raise ConfigError(f"{here}.family: expected one of {', '.join(repr(f) for f in BLOCKING_FAMILIES)}, got {family!r}")
        types = table.get("types")
        if not isinstance(types, dict) or not types:
            raise ConfigError(f'{here}.types: expected a table of "module.Type" = [pure methods], got {types!r}')
        parsed: list[tuple[str, tuple[str, ...]]] = []
        for type_name, pure in sorted(types.items()):
            if "." not in type_name or any(not part.isidentifier() for part in type_name.split(".")):
                raise ConfigError(f"{here}.types: {type_name!r} is not a qualified name such as \"mydb.Client\"")
            parsed.append((type_name, tuple(sorted(_expect_str_list(file, f"{key}.{name}.types.{type_name!r}", pure)))))
        found.append(BlockingPackageOption(name, replacement, tuple(parsed), family))
    return tuple(found)


def _per_file_ignores(file: Path, value: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    key = "per-file-ignores"
    if not isinstance(value, dict):
        raise ConfigError(f"{file}: [tool.{SECTION}] {key}: expected a table of pattern = [codes], got {value!r}")
    return tuple(
        (pattern, _expect_codes(file, f"{key}.{pattern!r}", _expect_str_list(file, f"{key}.{pattern!r}", codes)))
        for pattern, codes in value.items()
    )


def check_codes(codes: tuple[str, ...], where: str) -> tuple[str, ...]:
    """`codes` when each is a rule code, a prefix of some, or `ALL`; else a ConfigError that
    says `where` (an empty string would be a prefix of every code: it is an error too)."""
    for code in codes:
        prefix = code.strip().upper()
        if not prefix:
            raise ConfigError(f"{where}: an empty rule code (it would match every rule)")
        if prefix != "ALL" and not any(known.startswith(prefix) for known in RULES):
            raise ConfigError(f"{where}: unknown rule code or prefix {code.strip()!r} (see `async-lint rules`)")
    return codes


def _expect_codes(file: Path, key: str, codes: tuple[str, ...]) -> tuple[str, ...]:
    return check_codes(codes, f"{file}: [tool.{SECTION}] {key}")


_LIST_KEYS = ("select", "extend-select", "ignore", "exclude", "extend-exclude", "src", "allow-blocking", "route-decorators")
_CODE_KEYS = ("select", "extend-select", "ignore")
KNOWN_KEYS = frozenset(
    (*_LIST_KEYS, "per-file-ignores", "blocking-calls", "blocking-packages", "respect-gitignore", "cache-dir", "max-file-size", "target-version")
)


def oldest_python(requires_python: object) -> tuple[int, int] | None:
    """The lowest `X.Y` a `requires-python` specifier allows (`">=3.10,<4"` -> (3, 10))."""
    if not isinstance(requires_python, str):
        return None
    found = [(int(m[1]), int(m[2])) for m in re.finditer(r"(?:>=|~=|==|>)\s*(\d+)\.(\d+)", requires_python)]
    return min(found) if found else None


def config_from_table(table: dict[str, object], file: Path, python: tuple[int, int] | None = None) -> Config:
    """Validate a `[tool.async-lint]` table into a Config rooted at the file's directory;
    `python` is what the same file's `[project] requires-python` allows (the target when the
    table names no `target-version`)."""
    for key in table:
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"{file}: [tool.{SECTION}] unknown key {key!r}{hint}")
    lists = {key.replace("-", "_"): _expect_str_list(file, key, table[key]) for key in _LIST_KEYS if key in table}
    for key in _CODE_KEYS:
        if key.replace("-", "_") in lists:
            _expect_codes(file, key, lists[key.replace("-", "_")])
    kwargs: dict[str, object] = {}
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
    if "max-file-size" in table:
        value = table["max-file-size"]
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ConfigError(f"{file}: [tool.{SECTION}] max-file-size: expected a positive number of bytes, got {value!r}")
        kwargs["max_file_size"] = value
    blocking = _expect_str_table(file, "blocking-calls", table.get("blocking-calls", {}))
    kwargs["rule_options"] = RuleOptions(
        blocking_calls=tuple(sorted(blocking.items())),
        blocking_packages=_blocking_packages(file, table.get("blocking-packages", {})),
        allow_blocking=frozenset(lists.get("allow_blocking", ())),
        route_decorators=frozenset(lists.get("route_decorators", ())),
        python=_target_version(file, table.get("target-version"), python),
    )
    return Config(root=file.parent.resolve(), config_file=file, **kwargs)  # type: ignore[arg-type]


def _target_version(file: Path, value: object, python: PythonVersion | None) -> PythonVersion | None:
    if value is None:
        return python
    if not isinstance(value, str):
        raise ConfigError(f'{file}: [tool.{SECTION}] target-version: expected a string such as "py39", got {value!r}')
    try:
        return parse_target_version(value)
    except ValueError as error:
        raise ConfigError(f"{file}: [tool.{SECTION}] target-version: {error}") from error


def _requires_python(data: dict[str, object]) -> str | None:
    project = data.get("project")
    value = project.get("requires-python") if isinstance(project, dict) else None
    return value if isinstance(value, str) else None


def read_config_file(file: Path) -> Config:
    """Read an explicit config file (a pyproject.toml, or a TOML file holding the table at the
    top level or under [tool.async-lint])."""
    try:
        raw = file.read_bytes()
    except OSError as error:
        raise ConfigError(f"{file}: cannot read the configuration: {error.strerror or error}") from error
    data = _parse_toml(file, raw)
    _reject_misspelt_section(file, data)
    tool = data.get("tool")
    if isinstance(tool, dict) and SECTION in tool:
        table = tool[SECTION]
    elif file.name == "pyproject.toml":
        table = {}
    else:
        table = data
    if not isinstance(table, dict):
        raise ConfigError(f"{file}: [tool.{SECTION}] must be a table")
    return config_from_table(table, file, oldest_python(_requires_python(data)))


def _parse_toml(file: Path, raw: bytes) -> dict[str, object]:
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{file}: not valid TOML: {error}") from error
    except RecursionError as error:  # tomllib is recursive: `x = [[[...]]]` thousands deep
        raise ConfigError(f"{file}: not valid TOML: nested too deeply") from error


def _reject_misspelt_section(file: Path, data: dict[str, object]) -> None:
    tool = data.get("tool")
    if not isinstance(tool, dict) or SECTION in tool:
        return
    for name in MISSPELT_SECTIONS:
        if name in tool:
            raise ConfigError(f"{file}: [tool.{name}] is not read: async-lint's table is [tool.{SECTION}]")


def _pyproject(file: Path) -> dict[str, object] | None:
    """A pyproject.toml's data; None when it cannot be read (a ConfigError when it is not valid
    TOML, or has the table under a misspelt name)."""
    try:
        raw = file.read_bytes()
    except OSError:
        return None
    data = _parse_toml(file, raw)
    _reject_misspelt_section(file, data)
    return data


def _has_table(data: dict[str, object]) -> bool:
    tool = data.get("tool")
    return isinstance(tool, dict) and SECTION in tool


def has_section(file: Path) -> bool:
    """Whether a pyproject.toml has a [tool.async-lint] table (a ConfigError when it is not
    valid TOML, or has the table under a misspelt name)."""
    data = _pyproject(file)
    return data is not None and _has_table(data)


def find_config(start: Path) -> Config:
    """The nearest pyproject.toml with a [tool.async-lint] table, walking up from `start`;
    else the defaults (rooted at the working directory), targeting the nearest pyproject.toml's
    `requires-python`."""
    return ConfigResolver().for_directory(start)


class ConfigResolver:
    """The configuration of each directory, as ruff chooses it: the closest pyproject.toml with a
    [tool.async-lint] table in the directory or above it (else the defaults, rooted at the working
    directory, targeting the `requires-python` of the closest pyproject.toml that has one), or
    one `fixed` configuration for every file (`--config`). Remembered per directory, so walking
    a tree reads each pyproject.toml once. `adjust` (the command line's settings) is applied to
    every configuration it gives."""

    def __init__(self, fixed: Config | None = None, adjust: Callable[[Config], Config] | None = None) -> None:
        self._adjust = adjust
        self.fixed = self._adjusted(fixed) if fixed is not None else None
        self._by_directory: dict[Path, Config] = {}
        self._by_start: dict[str, Config] = {}
        """The same, by the absolute path as given (before resolving it: once per directory of
        files)."""
        self._defaults: dict[PythonVersion | None, Config] = {}

    def _adjusted(self, config: Config) -> Config:
        return self._adjust(config) if self._adjust is not None else config

    def for_directory(self, start: Path) -> Config:
        if self.fixed is not None:
            return self.fixed
        key = os.path.abspath(start)
        known = self._by_start.get(key)
        if known is None:
            known = self._by_start[key] = self._for_resolved(start.resolve())
        return known

    def _for_resolved(self, start: Path) -> Config:
        directory = start if start.is_dir() or not start.exists() else start.parent
        unresolved: list[Path] = []
        config: Config | None = None
        requires_python: str | None = None
        for candidate in (directory, *directory.parents):
            if candidate in self._by_directory:
                config = self._by_directory[candidate]
                if config.config_file is None and requires_python is not None:
                    config = None  # the defaults, but targeting a closer `requires-python`
                break
            unresolved.append(candidate)
            file = candidate / "pyproject.toml"
            data = _pyproject(file) if file.is_file() else None
            if data is None:
                continue
            if _has_table(data):
                config = self._adjusted(read_config_file(file))
                break
            requires_python = requires_python or _requires_python(data)
        if config is None:
            config = self._default(oldest_python(requires_python))
        for candidate in unresolved:
            self._by_directory[candidate] = config
        return config

    def _default(self, target: PythonVersion | None) -> Config:
        if target not in self._defaults:
            default = Config(root=Path.cwd().resolve(), rule_options=RuleOptions(python=target))
            self._defaults[target] = self._adjusted(default)
        return self._defaults[target]

    def for_file(self, path: Path) -> Config:
        return self.for_directory(path.parent if not path.is_dir() else path)
