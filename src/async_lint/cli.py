"""The `async-lint` command: argument parsing, output and exit codes only."""

from __future__ import annotations

import argparse
import difflib
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

from async_lint import __version__
from async_lint.config import Config, ConfigError, ConfigResolver, read_config_file
from async_lint.diagnostics import Applicability, Diagnostic, Location
from async_lint.engine.cache_files import prune
from async_lint.engine.discovery import SourceFile, discover, module_name_for
from async_lint.analysis.project import project_layout
from async_lint.engine.interrupts import EXIT_INTERRUPTED, EXIT_TERMINATED, Terminated, termination_as_exception
from async_lint.engine.project_index import ProjectIndex
from async_lint.engine.run_record import RunRecord, run_key
from async_lint.engine.run_settings import (
    FileResult,
    FixMode,
    RunSettings,
    usable_jobs,
)
from async_lint.engine.source_files import UnreadableSource, check_size, decode_source
from async_lint.fixes import is_applicable
from async_lint.output import FORMATS, MACHINE_FORMATS, renderer
from async_lint.output.progress import Progress
from async_lint.output.streams import PipeSafeWriter, open_report_file, standard_output
from async_lint.rule_catalog import INTERNAL_ERROR, RULES
from async_lint.selection import enabled_codes

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
    check.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    check.add_argument("--output-file", type=Path, metavar="FILE", help="write the report here instead of stdout")
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: apply unsafe fixes too")
    check.add_argument("--diff", action="store_true", help="print the fixes as a diff; write nothing")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--jobs", "-j", type=positive_int, metavar="N", help="worker processes (default: all cores)")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    check.add_argument("--statistics", action="store_true", help="print how many findings of each code")
    check.add_argument("--config", type=Path, metavar="FILE", help="use this configuration file")
    check.add_argument("--stdin-filename", metavar="NAME", help="read the source from stdin, reporting it as NAME")
    check.add_argument("--force-exclude", action="store_true", help="apply exclude patterns to files named explicitly too")
    check.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary")
    check.add_argument(
        "--explain-unresolved",
        action="store_true",
        help="print (to stderr) the project index's size and every name it could not resolve, with the reason",
    )

    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rule = commands.add_parser("rule", help="print a rule's documentation")
    rule.add_argument("code")
    commands.add_parser("server", help="run the language server over stdio (needs the `lsp` extra: pygls)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_ERROR
    if args.command == "rules":
        return _list_rules(args.format)
    if args.command == "rule":
        return _show_rule(args.code)
    if args.command == "server":
        return _serve()
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


def _list_rules(output_format: str) -> int:
    from async_lint.rules import all_rules

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
    from async_lint.rules import all_rules

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


def _settings(args: argparse.Namespace, config: Config) -> RunSettings:
    """What a run asks of the files that `config` applies to: its rules, options and
    per-file ignores, with the command line's selection on top."""
    select = args.select if args.select is not None else config.select
    enabled = enabled_codes(select, [*config.extend_select, *args.extend_select], [*config.ignore, *args.ignore])
    fix_mode = FixMode.DIFF if args.diff else FixMode.WRITE if args.fix else FixMode.NONE
    return RunSettings(
        enabled=enabled,
        options=config.rule_options,
        config_root=config.root,
        per_file_ignores=config.per_file_ignores,
        fix_mode=fix_mode,
        unsafe_fixes=args.unsafe_fixes,
        cache_dir=None if args.no_cache else config.root / config.cache_dir,
        max_file_size=config.max_file_size,
    )


def _check(args: argparse.Namespace) -> int:
    if args.unsafe_fixes and not (args.fix or args.diff):
        args.fix = False
    # Each file is checked with its closest configuration (as ruff does), unless --config.
    resolver = ConfigResolver(read_config_file(args.config) if args.config is not None else None)
    if args.explain_unresolved:
        _log_to_stderr("async_lint.project")
    if args.stdin_filename is not None or args.paths == ["-"]:
        anchor = Path(args.stdin_filename) if args.stdin_filename else Path.cwd()
        config = resolver.for_directory(anchor.parent if args.stdin_filename else anchor)
        settings = _settings(args, config)
        layout = project_layout(config.root, config.src, [Path.cwd()])
        project = ProjectIndex.for_run(layout, settings.cache_dir)
        return _report(args, [_check_stdin(args.stdin_filename or "-", settings, project)])
    paths = [Path(p) for p in args.paths] or [Path(".")]
    found = discover(paths, resolver, force_exclude=args.force_exclude)
    if found.missing:
        for path in found.missing:
            print(f"async-lint: error: {path}: no such file or directory", file=sys.stderr)
        return EXIT_ERROR
    groups = [(config, files, _settings(args, config)) for config, files in found.groups]
    if not groups:
        print("async-lint: warning: no Python files found under the given paths", file=sys.stderr)
    jobs = usable_jobs(args.jobs, len(found.files))
    results: list[FileResult] = []
    progress = Progress.for_run(sys.stderr, args.format, args.output_file is not None, args.quiet)
    try:
        for config, files, settings in groups:
            layout = project_layout(config.root, config.src, paths)
            project = ProjectIndex.for_run(layout, settings.cache_dir)
            results += _check_files(files, settings, project, jobs, progress)
    finally:
        progress.close()
    return _report(args, results)


def _check_files(
    files: list[SourceFile], settings: RunSettings, project: ProjectIndex, jobs: int, progress: Progress
) -> list[FileResult]:
    """Each file's result, in order: from the run record when nothing it depends on changed,
    else checked (and the record brought up to date); `progress` counts the files checked."""
    record = None
    if settings.cache_dir is not None and settings.fix_mode == FixMode.NONE:
        record = RunRecord(settings.cache_dir, run_key(settings, project.roots, project.boundaries))
    results: list[FileResult | None] = [record.lookup(f) if record is not None else None for f in files]
    pending = [index for index, result in enumerate(results) if result is None]
    if pending:
        from async_lint.engine.runner import run_files

        checked = run_files([files[i] for i in pending], settings, jobs, progress.counter(len(pending)), project=project)
        for index, result in zip(pending, checked, strict=True):
            results[index] = result
        if record is not None:
            record.update((files[i], result) for i, result in zip(pending, checked, strict=True))
    if settings.cache_dir is not None:
        prune(settings.cache_dir)
    done = [result for result in results if result is not None]
    summarised, read = sum(r.summarised for r in done), sum(r.summaries_read for r in done)
    project_log.debug(
        "project index: %d modules (%d summarised, %d from the cache); %d of %d files from the run record, %d from the result cache",
        summarised + read,
        summarised,
        read,
        len(files) - len(pending),
        len(files),
        sum(r.from_result_cache for r in done),
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
        stdin_mode = args.stdin_filename is not None or args.paths == ["-"]
        if args.diff:
            _print_diffs(results, out_stream)
        elif stdin_mode and args.fix:
            result = results[0]
            out_stream.write(result.fixed_text if result.fixed_text is not None else result.original_text or "")
        elif args.format in MACHINE_FORMATS:
            out_stream.write(renderer(args.format)(diagnostics))
        else:
            for d in diagnostics:
                out_stream.write(_text_line(d, args.unsafe_fixes))
        text_summary = args.format == "text" and not args.quiet and not (stdin_mode and args.fix)
        summary_stream = out_stream if (args.format == "text" and not args.diff and not (stdin_mode and args.fix)) else sys.stderr
        if args.statistics:
            _print_statistics(diagnostics, summary_stream)
        for result in results:
            if result.fix_error:
                print(f"async-lint: {result.filename}: {result.fix_error}", file=sys.stderr)
        if text_summary or args.diff:
            _print_summary(results, diagnostics, args, summary_stream if not args.diff else sys.stderr)
    finally:
        if isinstance(out_stream, PipeSafeWriter):
            out_stream.flush()
        else:
            out_stream.close()
    if any(d.code == INTERNAL_ERROR for d in diagnostics) or any(r.write_failed for r in results):
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_CLEAN
    if args.diff:
        return EXIT_FINDINGS if any(r.changed for r in results) else EXIT_CLEAN
    return EXIT_FINDINGS if diagnostics else EXIT_CLEAN


def _marker(d: Diagnostic, unsafe: bool) -> str:
    return "[*] " if is_applicable(d.fix, unsafe) else ""


def _text_line(d: Diagnostic, unsafe: bool) -> str:
    line = f"{d.filename}:{d.start.row}:{d.start.column}: {d.code} {_marker(d, unsafe)}{d.message}\n"
    if d.fix is not None:
        label = {
            Applicability.SAFE: "fix",
            Applicability.UNSAFE: "unsafe fix",
            Applicability.SUGGESTION: "suggestion",
        }[d.fix.applicability]
        line += f"    {label}: {d.fix.message}\n"
    for item in d.related:
        line += f"    note: {item.filename}:{item.start.row}:{item.start.column}: {item.message}\n"
    return line


def _print_diffs(results: list[FileResult], stream: TextIO | PipeSafeWriter) -> None:
    for result in results:
        if not result.changed:
            continue
        assert result.original_text is not None and result.fixed_text is not None
        stream.writelines(
            difflib.unified_diff(
                result.original_text.splitlines(keepends=True),
                result.fixed_text.splitlines(keepends=True),
                fromfile=f"a/{result.filename}",
                tofile=f"b/{result.filename}",
            )
        )


def _print_statistics(diagnostics: list[Diagnostic], stream: TextIO | PipeSafeWriter) -> None:
    rules = RULES
    counts = Counter(d.code for d in diagnostics)
    fixable = Counter(d.code for d in diagnostics if d.fix is not None and d.fix.edits)
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        marker = "[*]" if fixable[code] else "   "
        stream.write(f"{count:>5}  {code}  {marker} {rules[code].name}\n")


def _print_summary(results: list[FileResult], diagnostics: list[Diagnostic], args: argparse.Namespace, stream: TextIO | PipeSafeWriter) -> None:
    fixed = sum(r.fixed_count for r in results)
    unchecked = [d for d in diagnostics if RULES[d.code].infrastructure]
    findings = [d for d in diagnostics if not RULES[d.code].infrastructure]
    parts = []
    if not diagnostics and not fixed:
        stream.write("All checks passed!\n")
        return
    total = len(findings) + fixed
    noun = "error" if total == 1 else "errors"
    if args.fix and not args.diff:
        parts.append(f"Found {total} {noun} ({fixed} fixed, {len(findings)} remaining).")
    elif args.diff:
        changed = sum(1 for r in results if r.changed)
        parts.append(f"Would fix {changed} file{'s' if changed != 1 else ''}.")
    elif findings:
        safe = sum(1 for d in findings if is_applicable(d.fix, unsafe=False))
        unsafe_only = sum(1 for d in findings if is_applicable(d.fix, unsafe=True)) - safe
        detail = []
        if safe:
            detail.append(f"{safe} fixable with `--fix`")
        if unsafe_only:
            detail.append(f"{unsafe_only} more with `--fix --unsafe-fixes`")
        parts.append(f"Found {len(findings)} {noun}" + (f" ({', '.join(detail)})." if detail else "."))
    if unchecked:
        by_code = Counter(d.code for d in unchecked)
        listing = ", ".join(f"{count} {code} {RULES[code].name}" for code, count in sorted(by_code.items()))
        parts.append(f"{len(unchecked)} file{'s' if len(unchecked) != 1 else ''} not fully checked: {listing}.")
    stream.write("\n".join(parts) + "\n")
