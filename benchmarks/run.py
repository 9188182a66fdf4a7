"""async-lint against LibCST, flake8, flake8-async and ruff, on the same files, side by side.

    python benchmarks/run.py [--quick] [--repeats N] [--jobs N] [--output FILE]
    python benchmarks/run.py --big [--repeats N] [--jobs N] [--output FILE]

Builds (once; cached under benchmarks/.cache/, keyed by the requirements' hash) a virtualenv
with the pinned corpus packages and tools of `requirements.txt`, copies the corpus packages'
`.py` files into a temporary project, and runs every case interleaved, `--repeats` times
(default: 3 for the slow cases, 9 for the sub-second ones: warm, the edits, ruff), reporting
medians, the peak RSS of any one process of each case (the command or one of its
workers), and the ratio behind each target of issue 7. `--quick` (about a minute once the
virtualenv exists) checks five of the ten packages, runs each case once or three times, and
times flake8-async on a sample, extrapolated by lines.

`--big` (issue 19) is async-lint against itself on a big tree: every `.py` file of the packages
pinned in `requirements-big.txt` (about 10,900 files, 2.1M lines), installed once with
`pip install --no-deps --target` under benchmarks/.cache/, and a ~1k-file part of it (whole
packages). For each: `--no-cache`, a cold run with the cache on (the project's cache and the
user's environment cache emptied first), a warm run and a run after one edited file, side by
side; the ratios cold / `--no-cache` and warm / `--no-cache`, cost per line at ~1k and ~10k
files, the peak RSS of the largest process, and whether every run printed the same findings.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import tomllib
import venv
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = HERE / ".cache"
PACKAGES = ("langgraph", "langchain_core", "fastapi", "starlette", "httpx", "aiohttp", "anyio", "libcst", "flake8", "pip")
QUICK_PACKAGES = ("langgraph", "fastapi", "starlette", "httpx", "anyio")
RUFF_SELECT = "ASYNC,RUF006,RUF029,PLE1142"
QUICK_FLAKE8_ASYNC_FILES = 16


# --- the environment ---------------------------------------------------------------------


@dataclass(frozen=True)
class Environment:
    python: Path
    bin: Path
    site_packages: Path
    flake8_async_site: Path


def _requirements_hash() -> str:
    digest = hashlib.sha256(platform.python_version().encode())
    for name in ("requirements.txt", "requirements-flake8-async.txt"):
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()[:12]


def build_environment() -> Environment:
    directory = CACHE / f"venv-{_requirements_hash()}"
    bin_dir = directory / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    flake8_async_site = directory / "flake8-async-site"
    if not (directory / "ready").exists():
        shutil.rmtree(directory, ignore_errors=True)
        print(f"building the benchmark virtualenv in {directory} (once) ...", file=sys.stderr)
        venv.create(directory, with_pip=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, "-r", str(HERE / "requirements.txt")], check=True)
        subprocess.run(
            [*pip, "--no-deps", "--target", str(flake8_async_site), "-r", str(HERE / "requirements-flake8-async.txt")],
            check=True,
        )
        (directory / "ready").write_text("ok\n")
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return Environment(python, bin_dir, Path(site), flake8_async_site)


def compile_sources(python: Path | str) -> None:
    """Byte-compile async-lint's sources, as installing the package does: with
    `PYTHONDONTWRITEBYTECODE` set (CI images often set it), a module edited since its last
    `.pyc` would otherwise be compiled again in every timed run."""
    subprocess.run([str(python), "-m", "compileall", "-q", str(REPO / "src")], check=True, stdout=subprocess.DEVNULL)


def build_corpus(environment: Environment, packages: tuple[str, ...], project: Path) -> list[str]:
    """Copy the packages' .py files into `project/corpus/`; their paths relative to `project`,
    sorted. (Not into `project` itself: the tools run there, and `python -m` puts the working
    directory first on the path, where a copied `libcst/` or `flake8/` would shadow the real one.)"""
    files: list[str] = []
    for package in packages:
        source = environment.site_packages / package
        for directory, dirnames, filenames in os.walk(source):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith(".py"):
                    relative = Path("corpus") / package / Path(directory).relative_to(source) / name
                    target = project / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(Path(directory) / name, target)
                    files.append(relative.as_posix())
    (project / "pyproject.toml").write_text("[tool.async-lint]\n")
    (project / "flake8-plain.cfg").write_text("[flake8]\n")
    (project / "files.txt").write_text("".join(f"{name}\n" for name in files))
    return files


def plugin_registration(directory: Path) -> Path:
    """A directory that, first on PYTHONPATH before the repository's `src`, registers the flake8
    plugin exactly once: a minimal `async_lint-<version>.dist-info` naming the entry point.
    flake8 keeps the first distribution of each name, so an `async_lint.egg-info` in `src` (left
    by `pip install -e .`) or an installed async-lint is skipped instead of registering the
    plugin's options a second time (which crashes flake8), and nothing else is needed if
    neither exists (`[flake8:local-plugins]` would be the second registration)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    entry_point = project["entry-points"]["flake8.extension"]["ASL"]
    version = _version()
    dist_info = directory / f"async_lint-{version}.dist-info"
    dist_info.mkdir(parents=True, exist_ok=True)
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {version}\n")
    (dist_info / "entry_points.txt").write_text(f"[flake8.extension]\nASL = {entry_point}\n")
    return directory


def _version() -> str:
    """`async_lint.__version__`, the version's one source, read from the file (not imported)."""
    text = (REPO / "src" / "async_lint" / "__init__.py").read_text()
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    assert match is not None, "src/async_lint/__init__.py has no __version__"
    return match.group(1)


# --- measuring ---------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)
    before: object = None
    """Called before each timed run (the incremental case edits a file)."""
    repeats: int | None = None
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    peak_kib: int = 0
    output_digest: set[str] = field(default_factory=set)
    output_lines: int = 0
    failed: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu_seconds) if self.cpu_seconds else float("nan")


MEASURE = """
import json, resource, subprocess, sys, time
with open(sys.argv[1], "wb") as out:
    start = time.perf_counter()
    done = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
stderr = done.stderr.decode(errors="replace")
print(json.dumps({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "code": done.returncode, "peak_kib": usage.ru_maxrss, "stderr": stderr}))
"""

CRASH_MARKERS = ("Traceback (most recent call last)", "There was a critical error during execution of Flake8")
"""On stderr, a crash even when the exit status is 1 (what flake8 exits with when a plugin fails)."""


def crash(code: int, stderr: str) -> str | None:
    """Why a run failed: an exit status other than 0 (clean) or 1 (findings), or a traceback."""
    for marker in CRASH_MARKERS:
        if marker in stderr:
            last = next((line for line in reversed(stderr.strip().splitlines()) if line.strip()), marker)
            return f"exit status {code}, {last.strip()[:200]}"
    if code not in (0, 1):
        return f"exit status {code}" + (f", {stderr.strip().splitlines()[-1][:200]}" if stderr.strip() else "")
    return None


def measure(case: Case, cwd: Path) -> None:
    """One timed run in a fresh wrapper process, so RUSAGE_CHILDREN covers exactly this run
    (the command and every worker it waited for)."""
    if case.before is not None:
        case.before()  # type: ignore[operator]
    output = cwd / ".benchmark-output"
    env = {**os.environ, **case.env}
    env.pop("CI", None)
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(output), *case.command], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    try:
        result = json.loads(done.stdout)
    except ValueError:
        case.failed = done.stderr.strip()[-500:] or "the measuring process failed"
        return
    case.failed = case.failed or crash(result["code"], result["stderr"])
    case.seconds.append(result["seconds"])
    case.cpu_seconds.append(result["cpu"])
    case.peak_kib = max(case.peak_kib, result["peak_kib"])
    lines = sorted(output.read_bytes().splitlines(keepends=True))
    case.output_lines = len(lines)
    case.output_digest.add(hashlib.sha256(b"".join(lines)).hexdigest()[:12])


# --- same findings everywhere (untimed) --------------------------------------------------

Finding = tuple[str, str, int]
"""code, file (relative to the project), line."""

FLAKE8_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):\d+: (?P<code>ASL\d+) ")


def findings(command: list[str], env: dict[str, str], cwd: Path, text: bool = False) -> list[Finding] | str:
    """The sorted findings of one untimed run: `--format json` output, or flake8's text lines
    when `text`; a string saying why when the run failed."""
    done = subprocess.run(command, cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True, check=False)
    problem = crash(done.returncode, done.stderr)
    if problem is not None:
        return problem
    if text:
        matches = (FLAKE8_LINE.match(line) for line in done.stdout.splitlines())
        return sorted((m["code"], Path(m["file"]).as_posix(), int(m["line"])) for m in matches if m)
    root = cwd.resolve()
    return sorted(
        (item["code"], Path(item["filename"]).resolve().relative_to(root).as_posix(), item["location"]["row"])
        for item in json.loads(done.stdout)
    )


def compare(label: str, found: list[Finding] | str, reference: list[Finding] | str, as_set: bool = False) -> str:
    """One report line: `same` or `DIFFERENT` (with counts) against the reference run."""
    if isinstance(found, str) or isinstance(reference, str):
        return f"- {label}: FAILED ({found if isinstance(found, str) else reference})"
    a, b = (set(found), set(reference)) if as_set else (found, reference)
    if a == b:
        return f"- {label}: same ({len(a)} findings)"
    missing, extra = set(b) - set(a), set(a) - set(b)
    return f"- {label}: DIFFERENT ({len(a)} findings vs {len(b)}; {len(extra)} only here, {len(missing)} only in the reference)"


def consistency_checks(project: Path, files: list[str], lint: list[str], lint_env: dict[str, str], flake8: list[str], plugin_env: dict[str, str], edit: object, jobs: int) -> list[str]:
    """After `edit` (of one file, through the cache of the timed runs): the findings of the
    incremental, warm and cold runs with `jobs` processes and of the flake8 plugin, each against
    a cold run with one process of the same files."""
    edit()  # type: ignore[operator]
    json_lint = [*lint, "--format", "json"]
    incremental = findings([*json_lint, "--jobs", str(jobs), *files], lint_env, project)
    warm = findings([*json_lint, "--jobs", str(jobs), *files], lint_env, project)
    cold_parallel = findings([*json_lint, "--no-cache", "--jobs", str(jobs), *files], lint_env, project)
    reference = findings([*json_lint, "--no-cache", "--jobs", "1", *files], lint_env, project)
    plugin = findings([*flake8, "--jobs", str(jobs), *files], plugin_env, project, text=True)
    described = f"{len(reference)} findings" if not isinstance(reference, str) else f"FAILED ({reference})"
    return [
        f"- reference, async-lint cold --jobs 1: {described}",
        compare(f"async-lint incremental (first run after the edit) --jobs {jobs}", incremental, reference),
        compare(f"async-lint warm --jobs {jobs}", warm, reference),
        compare(f"async-lint cold --jobs {jobs}", cold_parallel, reference),
        compare("flake8 --select ASL (plugin), set of (code, file, line)", plugin, reference, as_set=True),
    ]


# --- the run -----------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return f"{platform.system()} {platform.release()}, {cpu}, {cores()} cores, Python {platform.python_version()}, load average at start {load}"


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def count_lines(project: Path, files: list[str]) -> int:
    return sum((project / name).read_bytes().count(b"\n") for name in files)


def incremental_target(project: Path, files: list[str]) -> str:
    """A typical file that async-lint must really check: the median-sized one with `async def`."""
    candidates = sorted(((project / name).stat().st_size, name) for name in files if b"async def" in (project / name).read_bytes())
    return candidates[len(candidates) // 2][1] if candidates else files[len(files) // 2]


FAST_REPEATS = 9
FAST_REPEATS_BIG = 5
"""Timed runs of the sub-second cases (warm, one edit, ruff; on the big tree warm and one edit):
on a shared machine a median of three moves by a third between calls."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="half the corpus, fewer repeats, flake8-async on a sample")
    parser.add_argument("--repeats", type=int, help="timed runs per case (default: 3 for slow cases, 1 with --quick; 9 for the sub-second ones, 5 on the big tree)")
    parser.add_argument("--jobs", type=int, default=cores(), help="processes for every tool (default: all cores)")
    parser.add_argument("--flake8-async-files", type=int, help="run flake8-async on this many files only (0: all)")
    parser.add_argument("--output", type=Path, help="also write the report (Markdown) here")
    parser.add_argument("--big", action="store_true", help="the big tree of requirements-big.txt and a ~1k-file part of it (issue 19)")
    args = parser.parse_args()
    if args.big:
        return main_big(args)

    environment = build_environment()
    compile_sources(environment.python)
    packages = QUICK_PACKAGES if args.quick else PACKAGES
    slow_repeats = args.repeats or (1 if args.quick else 3)
    fast_repeats = args.repeats or FAST_REPEATS
    with tempfile.TemporaryDirectory(prefix="async-lint-bench-") as temporary:
        project = Path(temporary) / "corpus"
        files = build_corpus(environment, packages, project)
        lines = count_lines(project, files)
        sample_size = args.flake8_async_files if args.flake8_async_files is not None else (QUICK_FLAKE8_ASYNC_FILES if args.quick else 0)
        sample = files[:: max(1, len(files) // sample_size)][:sample_size] if sample_size else files
        sample_lines = count_lines(project, sample)
        edited = incremental_target(project, files)
        python, jobs = str(environment.python), str(args.jobs)
        lint_env = {"PYTHONPATH": str(REPO / "src")}
        lint_base = [python, "-m", "async_lint", "check", "--quiet", "--exit-zero"]
        lint = [*lint_base, "--jobs", jobs]
        flake8_base = [python, "-m", "flake8", "--exit-zero"]
        flake8 = [*flake8_base, "--jobs", jobs]
        plugin_asl = ["--config", "flake8-plain.cfg", "--select", "ASL"]
        plugin_env = {"PYTHONPATH": os.pathsep.join([str(plugin_registration(Path(temporary) / "flake8-plugin")), str(REPO / "src")])}
        edits = iter(range(1, 1_000_000))

        def edit_one_file() -> None:
            with open(project / edited, "a", encoding="utf-8") as stream:
                stream.write(f"# benchmark edit {next(edits)}\n")

        def edit_one_api() -> None:
            """A new coroutine in the module: once the project index exists, the files whose
            findings depend on this module are checked again too."""
            with open(project / edited, "a", encoding="utf-8") as stream:
                stream.write(f"\n\nasync def benchmark_probe_{next(edits)}() -> None:\n    pass\n")

        cases = [
            Case("libcst parse-only", [python, str(HERE / "parse_only.py"), "--jobs", jobs, "files.txt"], repeats=slow_repeats),
            Case("async-lint cold (--no-cache)", [*lint, "--no-cache", *files], lint_env, repeats=slow_repeats),
            Case("async-lint warm", [*lint, *files], lint_env, repeats=fast_repeats),
            Case("async-lint incremental (1 file edited)", [*lint, *files], lint_env, before=edit_one_file, repeats=fast_repeats),
            Case("async-lint incremental-api (1 coroutine added)", [*lint, *files], lint_env, before=edit_one_api, repeats=fast_repeats),
            Case(f"ruff check --no-cache --select {RUFF_SELECT}", [str(environment.bin / "ruff"), "check", "--no-cache", "--select", RUFF_SELECT, "--exit-zero", *files], repeats=fast_repeats),
            Case("flake8 --select F", [*flake8, "--config", "flake8-plain.cfg", "--select", "F", *files], repeats=slow_repeats),
            Case("flake8 --select ASL (plugin)", [*flake8, *plugin_asl, *files], plugin_env, repeats=slow_repeats),
            Case(
                f"flake8 --select ASYNC (flake8-async, {len(sample)} files)",
                [*flake8, "--config", "flake8-plain.cfg", "--select", "ASYNC", *sample],
                {"PYTHONPATH": str(environment.flake8_async_site)},
                repeats=1,
            ),
        ]
        by_name = {case.name.split(" (")[0] if not case.name.startswith("ruff") else "ruff": case for case in cases}
        print(f"corpus: {len(files)} files, {lines:,} lines ({', '.join(packages)}); jobs {args.jobs}", file=sys.stderr)
        measure(Case("fill the cache", by_name["async-lint warm"].command, lint_env), project)
        rounds = max(case.repeats or 1 for case in cases)
        for round_number in range(rounds):
            for case in cases:
                if len(case.seconds) < (case.repeats or 1) and case.failed is None:
                    print(f"  round {round_number + 1}/{rounds}: {case.name} ...", file=sys.stderr, flush=True)
                    measure(case, project)

        def edit_both() -> None:
            edit_one_file()
            edit_one_api()

        print("  same findings everywhere (untimed) ...", file=sys.stderr, flush=True)
        checks = consistency_checks(
            project, files, lint_base, lint_env, [*flake8_base, *plugin_asl], plugin_env, edit_both, max(2, args.jobs)
        )
        report = render(cases, by_name, files, lines, sample, sample_lines, edited, args, packages, checks)
    print(report)
    if args.output:
        args.output.write_text(report)
    return 0


def render(cases, by_name, files, lines, sample, sample_lines, edited, args, packages, checks) -> str:
    def ratio(a: float, b: float) -> float:
        return a / b if b else float("nan")

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    def targets(label: str, time_of) -> list[str]:
        parse, cold, warm = time_of("libcst parse-only"), time_of("async-lint cold"), time_of("async-lint warm")
        incremental, ruff = time_of("async-lint incremental"), time_of("ruff")
        incremental_api = time_of("async-lint incremental-api")
        plugin = time_of("flake8 --select ASL") - time_of("flake8 --select F")
        flake8_async_full = time_of("flake8 --select ASYNC") * ratio(lines, sample_lines)
        estimate = "" if len(sample) == len(files) else f" (extrapolated by lines from {len(sample)} files)"
        return [
            f"| 1. cold / LibCST parse-only | {label} | {ratio(cold, parse):.2f}x | <= 1.5x | {verdict(ratio(cold, parse) <= 1.5)} |",
            f"| 2. warm / ruff --no-cache | {label} | {ratio(warm, ruff):.2f}x | <= 3x | {verdict(ratio(warm, ruff) <= 3)} |",
            f"| 3. incremental - warm | {label} | {incremental - warm:.2f} s | < 0.5 s | {verdict(incremental - warm < 0.5)} |",
            f"| 3. incremental-api - warm | {label} | {incremental_api - warm:.2f} s | < 0.5 s | {verdict(incremental_api - warm < 0.5)} |",
            f"| 4. (flake8 ASL - flake8 F) / parse-only | {label} | {ratio(plugin, parse):.2f}x | <= 1.5x | {verdict(ratio(plugin, parse) <= 1.5)} |",
            f"| flake8-async / async-lint cold{estimate} | {label} | {ratio(flake8_async_full, cold):.0f}x | (~20x) | |",
        ]

    peak = max(by_name[name].peak_kib for name in ("async-lint cold", "async-lint warm", "async-lint incremental", "async-lint incremental-api")) / 1024
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        f"## {'Quick' if args.quick else 'Full'} run, {now}",
        "",
        f"- machine: {machine()}",
        f"- corpus: {len(files)} files, {lines:,} lines ({', '.join(packages)}), pinned in `benchmarks/requirements.txt`",
        (
            f"- every tool with {args.jobs} process(es); medians of the timed runs; CPU = user + system time of the"
            " command and its workers; peak RSS = the largest single process of the case (command or worker)"
        ),
        f"- incremental: `{edited}` gets a comment line (incremental) or a new `async def` (incremental-api) before each run",
        "",
        "| case | wall s | CPU s | runs | peak RSS MiB | output lines, digest |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for case in cases:
        failed = f" (FAILED: {case.failed})" if case.failed else ""
        out.append(
            f"| {case.name}{failed} | {case.median:.2f} | {case.median_cpu:.2f} | {len(case.seconds)} | "
            f"{case.peak_kib / 1024:.0f} | {case.output_lines}, {', '.join(sorted(case.output_digest))} |"
        )
    lint_cases = ("async-lint cold", "async-lint warm", "async-lint incremental", "async-lint incremental-api")
    same = len(set().union(*(by_name[name].output_digest for name in lint_cases))) == 1
    out += [
        "",
        "| target | by | measured | goal | |",
        "|---|---|---:|---:|---|",
        *targets("wall", lambda name: by_name[name].median),
        *targets("CPU", lambda name: by_name[name].median_cpu),
        f"| 5. async-lint peak RSS | | {peak:.0f} MiB | < 1024 MiB | {verdict(peak < 1024)} |",
        "",
        f"- same output cold, warm and incremental (timed runs, digests above): {'yes' if same else 'NO'}",
        "",
        f"Same findings (untimed runs after one more edit of `{edited}`):",
        "",
        *checks,
        "",
    ]
    return "\n".join(out)


# --- the big tree (issue 19) ----------------------------------------------------------------

BIG_PART = ("langgraph", "langchain_core", "fastapi", "sqlalchemy", "pydantic", "hypothesis", "aiohttp", "httpx", "anyio", "redis", "pymongo", "starlette")
"""Whole packages of the big tree that make its ~1k-file part."""


def build_big_tree() -> Path:
    """Every package of `requirements-big.txt`, installed (once) as a plain directory tree."""
    digest = hashlib.sha256(platform.python_version().encode() + (HERE / "requirements-big.txt").read_bytes()).hexdigest()[:12]
    directory = CACHE / f"big-{digest}"
    site = directory / "site"
    if not (directory / "ready").exists():
        shutil.rmtree(directory, ignore_errors=True)
        print(f"installing the big tree in {site} (once) ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--target", str(site), "-r", str(HERE / "requirements-big.txt")],
            check=True,
        )
        (directory / "ready").write_text("ok\n")
    return site


def copy_tree(source: Path, target: Path, packages: tuple[str, ...] | None) -> tuple[int, int]:
    """The `.py` files of `source` (of `packages` only, when given) copied to `target`, a project
    of its own; (files, lines)."""
    files = lines = 0
    for directory, dirnames, filenames in os.walk(source):
        relative = Path(directory).relative_to(source)
        if relative == Path(".") and packages is not None:
            dirnames[:] = [d for d in dirnames if d in packages]
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith(".py"):
                (target / relative).mkdir(parents=True, exist_ok=True)
                data = (Path(directory) / name).read_bytes()
                (target / relative / name).write_bytes(data)
                files += 1
                lines += data.count(b"\n")
    (target / "pyproject.toml").write_text("[tool.async-lint]\n")
    return files, lines


def main_big(args: argparse.Namespace) -> int:
    site = build_big_tree()
    compile_sources(sys.executable)
    repeats = args.repeats or 1
    fast_repeats = args.repeats or FAST_REPEATS_BIG
    jobs = str(args.jobs)
    lint = [sys.executable, "-m", "async_lint", "check", "--quiet", "--exit-zero", "--jobs", jobs, "."]
    rows: list[tuple[str, int, int, list[Case]]] = []
    with tempfile.TemporaryDirectory(prefix="async-lint-big-") as temporary:
        trees = []
        for label, packages in (("~1k files", BIG_PART), ("whole tree", None)):
            # Each tree alone in a directory of its own: the project root's parent is one of the
            # directories imports are looked for in, and one that changes during a run (the
            # user cache made beside it, a busy /tmp) keeps that run's results out of the run
            # record (see RESULTS.md).
            name = "part" if packages else "whole"
            tree = Path(temporary) / name / "project"
            tree.mkdir(parents=True)
            files, lines = copy_tree(site, tree, packages)
            xdg = Path(temporary) / f"xdg-{name}"
            env = {"PYTHONPATH": str(REPO / "src"), "XDG_CACHE_HOME": str(xdg)}
            edited = incremental_target(tree, sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*.py")))
            edits = iter(range(1, 1_000_000))

            def empty_caches(tree: Path = tree, xdg: Path = xdg) -> None:
                shutil.rmtree(tree / ".async_lint_cache", ignore_errors=True)
                shutil.rmtree(xdg, ignore_errors=True)

            def edit(tree: Path = tree, edited: str = edited, edits=edits) -> None:  # noqa: ANN001
                with open(tree / edited, "a", encoding="utf-8") as stream:
                    stream.write(f"# benchmark edit {next(edits)}\n")

            cases = [
                Case("--no-cache", [*lint, "--no-cache"], env, repeats=repeats),
                Case("cold (cache on, empty)", lint, env, before=empty_caches, repeats=repeats),
                Case("warm", lint, env, repeats=fast_repeats),
                Case("one file edited", lint, env, before=edit, repeats=fast_repeats),
            ]
            trees.append((label, tree, files, lines, cases))
            print(f"{label}: {files} files, {lines:,} lines; edited: {edited}", file=sys.stderr)
        for label, tree, files, lines, cases in trees:
            rounds = max(case.repeats or 1 for case in cases)
            for round_number in range(rounds):
                for case in cases:
                    if len(case.seconds) < (case.repeats or 1):
                        print(f"  {label}, round {round_number + 1}/{rounds}: {case.name} ...", file=sys.stderr, flush=True)
                        measure(case, tree)
            rows.append((label, files, lines, cases))
    report = render_big(rows, args)
    print(report)
    if args.output:
        args.output.write_text(report)
    return 0


def render_big(rows: list[tuple[str, int, int, list[Case]]], args: argparse.Namespace) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        f"## Big tree run, {now}",
        "",
        f"- machine: {machine()}",
        "- trees: the packages of `benchmarks/requirements-big.txt` (`--no-deps`), every `.py` file; the ~1k part is "
        + ", ".join(BIG_PART),
        f"- {args.jobs} process(es); medians; CPU = user + system of the command and its workers; peak RSS = the largest single process",
        "",
        "| tree | case | wall s | CPU s | runs | peak RSS MiB | output lines, digest |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for label, _, _, cases in rows:
        for case in cases:
            failed = f" (FAILED: {case.failed})" if case.failed else ""
            out.append(
                f"| {label} | {case.name}{failed} | {case.median:.2f} | {case.median_cpu:.2f} | {len(case.seconds)} | "
                f"{case.peak_kib / 1024:.0f} | {case.output_lines}, {', '.join(sorted(case.output_digest))} |"
            )
    out += ["", "| tree | files | lines | cold / --no-cache (wall, CPU) | warm / --no-cache (wall) | edited - warm | --no-cache µs/line (wall, CPU) | cold µs/line (wall, CPU) | peak RSS MiB | same findings |", "|---|---:|---:|---|---:|---:|---|---|---:|---|"]
    for label, files, lines, cases in rows:
        none, cold, warm, edited = cases
        same = len(set().union(*(case.output_digest for case in cases))) == 1 and not any(case.failed for case in cases)
        peak = max(case.peak_kib for case in cases) / 1024
        out.append(
            f"| {label} | {files:,} | {lines:,} | {cold.median / none.median:.2f}x, {cold.median_cpu / none.median_cpu:.2f}x | "
            f"{warm.median / none.median:.1%} | {edited.median - warm.median:.2f} s | "
            f"{none.median / lines * 1e6:.1f}, {none.median_cpu / lines * 1e6:.1f} | {cold.median / lines * 1e6:.1f}, {cold.median_cpu / lines * 1e6:.1f} | "
            f"{peak:.0f} | {'yes' if same else 'NO'} |"
        )
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
