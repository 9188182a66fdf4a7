"""The `async-lint` command: argument parsing, output and exit codes only."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from pathlib import Path

from async_lint import __version__
from async_lint.add_noqa import add_noqa
from async_lint.config import Config, ConfigError, ConfigResolver, PythonVersion, parse_target_version, read_config_file
from async_lint.diagnostics import Diagnostic, Location
from async_lint.engine.cache_files import prune
from async_lint.engine.discovery import SourceFile, discover, module_name_for
from async_lint.analysis.project import project_layout
from async_lint.engine.interrupts import EXIT_INTERRUPTED, EXIT_TERMINATED, Terminated, termination_as_exception
from async_lint.engine.project_index import ProjectIndex
from async_lint.engine.shards import Shard
from async_lint.engine.run_settings import (
    FileResult,
    FixMode,
    RunSettings,
    usable_jobs,
)
from async_lint.engine.source_files import UnreadableSource, check_size, decode_source
from async_lint.output import FORMATS, renderer
from async_lint.output.progress import Progress
from async_lint.output.streams import PipeSafeWriter, open_report_file, standard_output
from async_lint.output.text import diff_text, fixes_text, statistics_text, summary_text
from async_lint.rule_catalog import INTERNAL_ERROR, RULES
from async_lint.rules import all_rules, build_rule_set
from async_lint.selection import enabled_codes
from async_lint.settings_report import files_text, settings_text
from async_lint.watch import Stamps, stamps, watch

# The rules, the checker and LibCST are imported only when a file has to be checked: a warm
# run, every finding from the run record, never needs them (importing them would be the
# larger part of its time).

project_log = logging.getLogger("async_lint.project")

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def _codes(value: str) -> list[str]:
    return [code.strip() for code in value.split(",") if code.strip()]


def positive_int(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {number}")
    return number


def _patterns(value: str) -> list[str]:
    return [pattern.strip() for pattern in value.split(",") if pattern.strip()]


def _per_file_ignores(value: str) -> list[tuple[str, str]]:
    """`tests/*:ASL300,scripts/*:ASL3` -> [("tests/*", "ASL300"), ("scripts/*", "ASL3")] (ruff's form)."""
    pairs = []
    for item in _patterns(value):
        pattern, separator, code = item.rpartition(":")
        if not separator or not pattern.strip() or not code.strip():
            raise argparse.ArgumentTypeError(f"expected PATTERN:CODE, got {item!r}")
        pairs.append((pattern.strip(), code.strip()))
    return pairs


def _target_version(value: str) -> PythonVersion:
    try:
        return parse_target_version(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def _shard(value: str) -> Shard:
    try:
        return Shard.parse(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="async-lint",
        description="Find async misuse in Python code (unawaited coroutines, asyncio.run in a running "
        "loop, blocking calls in coroutines, sync LangChain/LangGraph calls in async code), and fix it.",
    )
    parser.add_argument("--version", action="version", version=f"async-lint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="check files and directories (default: .)")
    check.add_argument("paths", nargs="*", metavar="PATH")  # strings: `./-` is a file, only `-` is stdin
    check.add_argument("--select", type=_codes, metavar="CODES", help="codes or prefixes to enable (replaces the config's)")
    check.add_argument("--extend-select", type=_codes, default=[], metavar="CODES", help="codes to enable in addition")
    check.add_argument("--ignore", type=_codes, default=[], metavar="CODES", help="codes to disable")
    check.add_argument("--per-file-ignores", type=_per_file_ignores, metavar="PATTERN:CODE,...", help="codes not reported in files matching a pattern (replaces the config's)")
    check.add_argument("--extend-per-file-ignores", type=_per_file_ignores, default=[], metavar="PATTERN:CODE,...", help="per-file ignores in addition")
    check.add_argument("--exclude", type=_patterns, metavar="PATTERNS", help="paths never checked when searching directories (replaces the config's)")
    check.add_argument("--extend-exclude", type=_patterns, default=[], metavar="PATTERNS", help="paths to skip in addition")
    check.add_argument("--target-version", type=_target_version, metavar="pyXY", help="the oldest Python the code runs on (default: from requires-python)")
    check.add_argument("--output-format", "--format", dest="output_format", choices=FORMATS, default="text", help="output format (default: text)")
    check.add_argument("--output-file", type=Path, metavar="FILE", help="write the report here instead of stdout")
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: apply unsafe fixes too")
    check.add_argument("--diff", action="store_true", help="print the fixes as a diff; write nothing")
    check.add_argument("--show-fixes", action="store_true", help="list the fixes: those applied with --fix, else every fix on offer")
    check.add_argument("--exit-non-zero-on-fix", action="store_true", help="with --fix: exit 1 when a file was changed, even if no finding is left")
    check.add_argument("--add-noqa", action="store_true", help="write `# noqa: CODE` on the line of every finding")
    check.add_argument("--watch", action="store_true", help="check again whenever a file changes")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--jobs", "-j", type=positive_int, metavar="N", help="worker processes (default: all cores)")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    check.add_argument("--cache-dir", type=Path, metavar="DIR", help="where the cache lives (default: the config's cache-dir)")
    check.add_argument("--statistics", action="store_true", help="print how many findings of each code")
    check.add_argument("--show-settings", action="store_true", help="print the settings a run would use, and exit")
    check.add_argument("--show-files", action="store_true", help="print the files a run would check, and exit")
    check.add_argument("--config", type=Path, metavar="FILE", help="use this configuration file")
    check.add_argument("--stdin-filename", metavar="NAME", help="read the source from stdin, reporting it as NAME")
    check.add_argument("--force-exclude", action="store_true", help="apply exclude patterns to files named explicitly too")
    check.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary")
    check.add_argument(
        "--explain-unresolved",
        action="store_true",
        help="print (to stderr) the project index's size and every name it could not resolve, with the reason",
    )
    check.add_argument(
        "--shard",
        type=_shard,
        metavar="K/N",
        help="check only the K-th of N parts of the files (deterministic; imports still resolve across the whole tree);"
        " join the parts' SARIF reports with `async-lint merge-sarif`",
    )

    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--output-format", "--format", dest="output_format", choices=("text", "json"), default="text")
    rule = commands.add_parser("rule", help="print a rule's documentation")
    rule.add_argument("code")
    commands.add_parser("server", help="run the language server over stdio (needs the `lsp` extra: pygls)")
    merge = commands.add_parser(
        "merge-sarif", help="join the SARIF reports of `check --shard K/N` runs into the report of one whole run"
    )
    merge.add_argument("reports", nargs="+", type=Path, metavar="REPORT")
    merge.add_argument("--output-file", "-o", type=Path, metavar="FILE", help="write the merged report here instead of stdout")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_ERROR
    if args.command == "rules":
        return _list_rules(args.output_format)
    if args.command == "rule":
        return _show_rule(args.code)
    if args.command == "server":
        return _serve()
    if args.command == "merge-sarif":
        return _merge_sarif(args.reports, args.output_file)
    try:
        with termination_as_exception():
            return _check(args)
    except ConfigError as error:
        print(f"async-lint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("async-lint: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("async-lint: terminated", file=sys.stderr)
        return EXIT_TERMINATED


def _merge_sarif(reports: list[Path], output_file: Path | None) -> int:
    from async_lint.output.sarif_merge import MergeError, merge_sarif

    texts = []
    for report in reports:
        try:
            texts.append(report.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            print(f"async-lint: error: {report}: cannot read: {error}", file=sys.stderr)
            return EXIT_ERROR
    try:
        merged = merge_sarif(texts)
    except MergeError as error:
        print(f"async-lint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    try:
        out_stream = open_report_file(output_file) if output_file else standard_output()
    except OSError as error:
        print(f"async-lint: error: --output-file {output_file}: cannot write: {error.strerror or error}", file=sys.stderr)
        return EXIT_ERROR
    try:
        out_stream.write(merged)
    finally:
        if isinstance(out_stream, PipeSafeWriter):
            out_stream.flush()
        else:
            out_stream.close()
    return EXIT_CLEAN


def _list_rules(output_format: str) -> int:
    rules = all_rules()
    if output_format == "json":
        import json

        data = [
            {"code": code, "name": rule.name, "summary": rule.summary, "opt_in": rule.opt_in is not None, "url": rule.url()}
            for code, rule in rules.items()
        ]
        print(json.dumps(data, indent=2))
        return EXIT_CLEAN
    width = max(len(rule.name) for rule in rules.values())
    for code, rule in rules.items():
        opt_in = " (opt-in: not in the default selection)" if rule.opt_in is not None else ""
        print(f"{code}  {rule.name:<{width}}  {rule.summary}{opt_in}")
    return EXIT_CLEAN


def _show_rule(code: str) -> int:
    from async_lint.docs import rule_markdown

    rules = all_rules()
    key = code.strip().upper()
    if key not in rules:
        by_name = {rule.name: c for c, rule in rules.items()}
        if code in by_name:
            key = by_name[code]
        else:
            print(f"async-lint: error: unknown rule {code!r} (see `async-lint rules`)", file=sys.stderr)
            return EXIT_ERROR
    print(rule_markdown(rules[key]), end="")
    return EXIT_CLEAN


def _serve() -> int:
    try:
        from async_lint.lsp_server import serve
    except ImportError as error:
        print(f"async-lint: error: the language server needs pygls: pip install 'async-lint[lsp]' ({error})", file=sys.stderr)
        return EXIT_ERROR
    serve()
    return EXIT_CLEAN


def _resolver(args: argparse.Namespace) -> ConfigResolver:
    """Each file's configuration: its closest one (as ruff does), or the `--config` file for
    every file; the command line's settings applied to each."""
    fixed = read_config_file(args.config) if args.config is not None else None
    return ConfigResolver(fixed, adjust=lambda config: _with_command_line(config, args))


def _anchor(args: argparse.Namespace) -> Path:
    """Where the configuration of a run on stdin, or of `--show-settings`, is looked for: the
    directory of `--stdin-filename`, else the first path named, else the working directory."""
    if args.stdin_filename is not None:
        return Path(args.stdin_filename).parent
    if args.paths and not _reads_stdin(args):
        return Path(args.paths[0])
    return Path.cwd()


_EXCLUSIVE = ("fix", "diff", "add_noqa", "watch", "show_settings", "show_files")
"""Modes of `check` that cannot be combined (but `--fix --watch` can)."""


def _usage_problem(args: argparse.Namespace) -> str | None:
    chosen = [name for name in _EXCLUSIVE if getattr(args, name)]
    if len(chosen) > 1 and set(chosen) != {"fix", "watch"}:
        return "these cannot be combined: " + ", ".join(f"--{name.replace('_', '-')}" for name in chosen)
    if (args.watch or args.add_noqa) and _reads_stdin(args):
        return "--watch and --add-noqa check files, not stdin"
    return None


def _reads_stdin(args: argparse.Namespace) -> bool:
    return args.stdin_filename is not None or args.paths == ["-"]


def _with_command_line(config: Config, args: argparse.Namespace) -> Config:
    """The configuration with the command line's settings applied (patterns relative to the
    configuration's directory, as in its file)."""
    per_file_ignores = config.per_file_ignores if args.per_file_ignores is None else _grouped(args.per_file_ignores)
    rule_options = config.rule_options
    if args.target_version is not None:
        rule_options = dataclasses.replace(rule_options, python=args.target_version)
    return dataclasses.replace(
        config,
        exclude=config.exclude if args.exclude is None else tuple(args.exclude),
        extend_exclude=(*config.extend_exclude, *args.extend_exclude),
        per_file_ignores=(*per_file_ignores, *_grouped(args.extend_per_file_ignores)),
        rule_options=rule_options,
    )


def _grouped(pairs: list[tuple[str, str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    codes: dict[str, list[str]] = {}
    for pattern, code in pairs:
        codes.setdefault(pattern, []).append(code)
    return tuple((pattern, tuple(listed)) for pattern, listed in codes.items())


def _settings(args: argparse.Namespace, config: Config) -> RunSettings:
    """What a run asks of the files that `config` applies to: its rules, options and
    per-file ignores, with the command line's selection on top."""
    select = args.select if args.select is not None else config.select
    enabled = enabled_codes(select, [*config.extend_select, *args.extend_select], [*config.ignore, *args.ignore])
    cache_dir = args.cache_dir.absolute() if args.cache_dir is not None else config.root / config.cache_dir
    return RunSettings(
        enabled=enabled,
        options=config.rule_options,
        config_root=config.root,
        per_file_ignores=config.per_file_ignores,
        fix_mode=FixMode.DIFF if args.diff else FixMode.WRITE if args.fix else FixMode.NONE,
        unsafe_fixes=args.unsafe_fixes,
        cache_dir=None if args.no_cache else cache_dir,
        max_file_size=config.max_file_size,
        rules=build_rule_set,
    )


def _check(args: argparse.Namespace) -> int:
    problem = _usage_problem(args)
    if problem is not None:
        print(f"async-lint: error: {problem}", file=sys.stderr)
        return EXIT_ERROR
    if args.unsafe_fixes and not (args.fix or args.diff):
        args.fix = False
    # Each file is checked with its closest configuration (as ruff does), unless --config.
    resolver = _resolver(args)
    if args.explain_unresolved:
        _log_to_stderr("async_lint.project")
    if args.show_settings:
        config = resolver.for_directory(_anchor(args))
        sys.stdout.write(settings_text(config, _settings(args, config)))
        return EXIT_CLEAN
    if args.show_files:
        found = discover(_paths(args), resolver, force_exclude=args.force_exclude)
        sys.stdout.write(files_text(found.files, found.missing))
        return EXIT_CLEAN
    if args.watch:
        # A fresh resolver for each run: the configuration files may have changed.
        return watch(lambda: _check_once(args, _resolver(args)).watched, sys.stderr)
    return _check_once(args, resolver).status


def _paths(args: argparse.Namespace) -> list[Path]:
    return [Path(p) for p in args.paths] or [Path(".")]


@dataclasses.dataclass(frozen=True)
class _Run:
    status: int
    watched: Stamps
    """What to watch for a change that calls for another run, stamped before the files were
    read: the checked files, their directories, the paths named, and the configuration files."""


def _check_once(args: argparse.Namespace, resolver: ConfigResolver) -> _Run:
    if _reads_stdin(args):
        config = resolver.for_directory(_anchor(args))
        settings = _settings(args, config)
        layout = project_layout(config.root, config.src, [Path.cwd()])
        project = ProjectIndex.for_run(layout, settings.cache_dir)
        return _Run(_report(args, [_check_stdin(args.stdin_filename or "-", settings, project)]), {})
    paths = _paths(args)
    found = discover(paths, resolver, force_exclude=args.force_exclude)
    checked = [file.path for file in found.files]
    configs = [config.config_file for config, _ in found.groups if config.config_file is not None]
    watched = [*checked, *{path.parent for path in checked}, *paths, *configs]
    seen = stamps(watched) if args.watch else {}
    if found.missing:
        for path in found.missing:
            print(f"async-lint: error: {path}: no such file or directory", file=sys.stderr)
        return _Run(EXIT_ERROR, seen)
    groups = [(config, files, _settings(args, config)) for config, files in found.groups]
    if not groups:
        print("async-lint: warning: no Python files found under the given paths", file=sys.stderr)
    if args.shard is not None:
        # Only the files checked are split; the project index still reads any module of the
        # whole tree that a check reaches (engine/shards.py).
        shard: Shard = args.shard
        groups = [(config, [f for f in files if shard.holds(f.path, config.root)], settings) for config, files, settings in groups]
        groups = [group for group in groups if group[1]]
    jobs = usable_jobs(args.jobs, sum(len(files) for _, files, _ in groups))
    results: list[FileResult] = []
    progress = Progress.for_run(sys.stderr, args.output_format, args.output_file is not None, args.quiet)
    try:
        for config, files, settings in groups:
            layout = project_layout(config.root, config.src, paths)
            project = ProjectIndex.for_run(layout, settings.cache_dir)
            results += _check_files(files, settings, project, jobs, progress)
    finally:
        progress.close()
    return _Run(_add_noqa(results) if args.add_noqa else _report(args, results), seen)


def _add_noqa(results: list[FileResult]) -> int:
    added = add_noqa(results)
    for problem in added.problems:
        print(f"async-lint: {problem}", file=sys.stderr)
    print(f"Added {added.added} noqa directive{'s' if added.added != 1 else ''}.", file=sys.stderr)
    failed = added.problems or any(d.code == INTERNAL_ERROR for r in results for d in r.diagnostics)
    return EXIT_ERROR if failed else EXIT_CLEAN


def _check_files(
    files: list[SourceFile], settings: RunSettings, project: ProjectIndex, jobs: int, progress: Progress
) -> list[FileResult]:
    """Each file's result, in order: from the run record when nothing it depends on changed,
    else checked (and the record brought up to date); `progress` counts the files checked."""
    from async_lint.engine.project_run import check_project_files

    done, stats = check_project_files(files, settings, project, jobs, progress.counter)
    if settings.cache_dir is not None:
        prune(settings.cache_dir)
    summarised = stats.summarised + sum(r.summarised for r in done)
    read = stats.summaries_read + sum(r.summaries_read for r in done)
    project_log.debug(
        "project index: %d modules (%d summarised, %d from the cache); %d of %d files from the run record, %d from the result cache"
        " (%d answered again after an edit they cannot see)",
        summarised + read,
        summarised,
        read,
        stats.from_record + stats.revalidated,
        len(files),
        sum(r.from_result_cache for r in done),
        stats.revalidated,
    )
    return done


def _origin() -> tuple[Location, Location]:
    return Location(1, 1), Location(1, 1)


def _log_to_stderr(name: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("async-lint: %(message)s"))
    log = logging.getLogger(name)
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)


def _check_stdin(name: str, settings: RunSettings, project: ProjectIndex) -> FileResult:
    data = sys.stdin.buffer.read()
    try:
        check_size(len(data), settings.max_file_size)
        source = decode_source(data)
    except UnreadableSource as error:
        return FileResult(name, [Diagnostic("ASL002", str(error), name, *_origin())])
    from async_lint.engine.runner import check_source

    module_name, is_package = module_name_for(Path(name).absolute()) if name != "-" else (None, False)
    path = Path(name).absolute() if name != "-" else None
    result = check_source(source, name, settings, module_name, is_package, project=project, path=path)
    return result


def _report(args: argparse.Namespace, results: list[FileResult]) -> int:
    diagnostics = sorted((d for r in results for d in r.diagnostics), key=Diagnostic.sort_key)
    try:
        out_stream = open_report_file(args.output_file) if args.output_file else standard_output()
    except OSError as error:
        raise ConfigError(f"--output-file {args.output_file}: cannot write: {error.strerror or error}") from error
    try:
        stdin_fix = _reads_stdin(args) and args.fix
        if args.diff:
            out_stream.write(diff_text(results))
        elif stdin_fix:
            result = results[0]
            out_stream.write(result.fixed_text if result.fixed_text is not None else result.original_text or "")
        else:
            out_stream.write(renderer(args.output_format)(diagnostics))
        text_report = args.output_format == "text" and not args.diff and not stdin_fix
        summary_stream = out_stream if text_report else sys.stderr
        if args.statistics:
            summary_stream.write(statistics_text(diagnostics))
        if args.show_fixes:
            summary_stream.write(fixes_text(results, diagnostics, fixing=args.fix or args.diff, would=args.diff))
        for result in results:
            if result.fix_error:
                print(f"async-lint: {result.filename}: {result.fix_error}", file=sys.stderr)
        if (text_report and not args.quiet) or args.diff:
            summary_stream.write(summary_text(results, diagnostics, fixing=args.fix, diffing=args.diff))
    finally:
        if isinstance(out_stream, PipeSafeWriter):
            out_stream.flush()
        else:
            out_stream.close()
    if any(d.code == INTERNAL_ERROR for d in diagnostics) or any(r.write_failed for r in results):
        return EXIT_ERROR
    if args.exit_non_zero_on_fix and any(r.changed for r in results):
        return EXIT_FINDINGS
    if args.exit_zero:
        return EXIT_CLEAN
    if args.diff:
        return EXIT_FINDINGS if any(r.changed for r in results) else EXIT_CLEAN
    return EXIT_FINDINGS if diagnostics else EXIT_CLEAN
