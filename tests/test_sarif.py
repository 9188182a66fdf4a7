"""`--format sarif` is valid SARIF 2.1.0: checked with a SARIF object model from PyPI, and with
Microsoft's SARIF multitool `validate` (from npm) where npm is available."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sarif_pydantic import Sarif

from tests.helpers import EXAMPLES, run_cli

MULTITOOL_VERSION = "5.7.0"


@pytest.fixture(scope="module")
def sarif_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("sarif") / "report.sarif"
    result = run_cli("check", "--no-cache", "--format", "sarif", "--output-file", str(output), str(EXAMPLES))
    assert result.returncode == 1, result.stderr
    return output


def test_report_parses_with_the_sarif_object_model(sarif_report: Path) -> None:
    log = Sarif.model_validate_json(sarif_report.read_text())
    assert log.version == "2.1.0"
    [run] = log.runs
    rule_ids = [rule.id for rule in run.tool.driver.rules]
    assert rule_ids == sorted(rule_ids) and "ASL300" in rule_ids
    assert run.results, "the examples have findings"
    for result in run.results:
        assert result.rule_id in rule_ids
        assert rule_ids[result.rule_index] == result.rule_id
        region = result.locations[0].physical_location.region
        assert region.start_line >= 1 and region.start_column >= 1


def test_report_contents(sarif_report: Path) -> None:
    data = json.loads(sarif_report.read_text())
    driver = data["runs"][0]["tool"]["driver"]
    assert driver["name"] == "async-lint"
    rule = next(r for r in driver["rules"] if r["id"] == "ASL300")
    assert rule["help"]["markdown"].startswith("# ASL300: blocking-sleep")
    result = next(r for r in data["runs"][0]["results"] if r["ruleId"] == "ASL300")
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("examples/support_bot/") and "\\" not in uri
    inserted = [r["insertedContent"]["text"] for r in result["fixes"][0]["artifactChanges"][0]["replacements"]]
    assert any(text.startswith("await asyncio") for text in inserted), inserted


def _multitool() -> Path | None:
    npm = shutil.which("npm")
    if npm is None:
        return None
    home = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "async-lint-tests" / f"sarif-multitool-{MULTITOOL_VERSION}"
    binary = home / "node_modules" / ".bin" / "sarif-multitool"
    if not binary.exists():
        home.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(home), f"@microsoft/sarif-multitool@{MULTITOOL_VERSION}"],
            check=True,
            capture_output=True,
            timeout=600,
        )
    return binary


@pytest.mark.slow
def test_report_passes_the_sarif_multitool_validator(sarif_report: Path, tmp_path: Path) -> None:
    binary = _multitool()
    if binary is None:
        pytest.skip("npm is not installed, so the SARIF multitool cannot be")
    verdict = tmp_path / "validation.sarif"
    subprocess.run([str(binary), "validate", str(sarif_report), "--output", str(verdict)], check=True, capture_output=True, timeout=300)
    results = json.loads(verdict.read_text())["runs"][0]["results"]
    errors = [r for r in results if r.get("level", "warning") == "error"]
    assert errors == []
    assert [r["ruleId"] for r in results] == [], "the validator warns about the report"
