"""The rule pages in docs/rules/ are exactly what the rules' metadata generates, each has every
section a reader looks for, and `async-lint rule ASLxxx` prints the same page."""

from __future__ import annotations

import re

import pytest

from async_lint.cli import main
from async_lint.docs import (
    BLOCKING_APIS_PAGE,
    RULE_TABLE_PATH,
    SECTIONS,
    blocking_apis_markdown,
    expected_pages,
    rule_markdown,
    rule_table_source,
)
from async_lint.rule_catalog import RULES
from async_lint.rules import all_rules
from tests.helpers import REPO, check, run_cli

RULE_DOCS = REPO / "docs" / "rules"
REGENERATE = "regenerate with `python -m async_lint.docs docs/rules` and commit docs/rules/"


def test_every_page_is_current() -> None:
    expected = expected_pages()
    stale = [name for name, text in expected.items() if not (RULE_DOCS / name).is_file() or (RULE_DOCS / name).read_text(encoding="utf-8") != text]
    assert stale == [], f"stale or missing pages: {stale}; {REGENERATE}"


def test_blocking_apis_page_is_current() -> None:
    """docs/blocking-apis.md lists what the blocking knowledge holds, package by package."""
    page = REPO / "docs" / BLOCKING_APIS_PAGE
    assert page.is_file() and page.read_text(encoding="utf-8") == blocking_apis_markdown(), REGENERATE


def test_blocking_apis_page_names_every_package_and_its_pure_methods() -> None:
    from async_lint.knowledge.blocking_packages import PACKAGES

    text = blocking_apis_markdown()
    for package in PACKAGES:
        assert f"### {package.name}\n" in text
        for receiver in package.types:
            assert f"| `{receiver.name}`" in text
            assert all(f"`{method}`" in text for method in receiver.pure)


def test_rule_catalog_is_current() -> None:
    """The catalog the CLI reads without importing the rules says what the rules say."""
    assert RULE_TABLE_PATH.read_text(encoding="utf-8") == rule_table_source(), REGENERATE
    assert [(info.code, info.name, info.summary, info.infrastructure) for info in RULES.values()] == [
        (code, rule.name, rule.summary, rule.infrastructure) for code, rule in all_rules().items()
    ]


def test_no_page_without_a_rule() -> None:
    orphans = sorted(p.name for p in RULE_DOCS.glob("*.md") if p.name not in expected_pages())
    assert orphans == [], f"pages of rules that no longer exist: {orphans}; delete them"


@pytest.mark.parametrize("code", list(all_rules()))
def test_page_has_every_section_in_order(code: str) -> None:
    headings = re.findall(r"^## (.+)$", rule_markdown(all_rules()[code]), flags=re.MULTILINE)
    assert [h for h in headings if h in SECTIONS] == list(SECTIONS)


def test_pages_link_existing_proofs() -> None:
    for code, rule in all_rules().items():
        proof = getattr(rule, "proof", None)
        if proof:
            assert (REPO / proof).is_file(), f"{code}.proof names {proof}, which does not exist"
            assert f"](../../{proof})" in rule_markdown(rule)


def test_syntax_error_example_is_a_syntax_error() -> None:
    example = all_rules()["ASL001"].invalid[0].code
    assert [d.code for d in check(example)] == ["ASL001"]


def test_rule_command_prints_the_page() -> None:
    result = run_cli("rule", "ASL300")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (RULE_DOCS / "ASL300.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", list(all_rules()))
def test_rule_command_prints_each_page(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", code]) == 0
    assert capsys.readouterr().out == expected_pages()[f"{code}.md"]


def test_rule_command_accepts_the_name_and_rejects_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "blocking-sleep"]) == 0
    assert capsys.readouterr().out.startswith("# ASL300: blocking-sleep\n")
    assert main(["rule", "ASL999"]) == 2
    assert "unknown rule" in capsys.readouterr().err


def test_proof_is_linked_right_after_the_why() -> None:
    class Proven(all_rules()["ASL300"]):  # type: ignore[misc, valid-type]
        proof = "tests/runtime/test_asl300.py"

    page = rule_markdown(Proven)
    why_at = page.index("## Why is this bad?")
    link_at = page.index("Proof: [`tests/runtime/test_asl300.py`](../../tests/runtime/test_asl300.py)")
    assert why_at < link_at < page.index("## Example")
