"""Rule pages generated from the rules' own metadata, so the docs cannot drift from the code.

`python -m async_lint.docs` rewrites `docs/rules/`; a test fails when a page is stale.
`async-lint rule ASL300` prints the same page.
"""

from __future__ import annotations

import sys
from pathlib import Path

from async_lint.rules import all_rules
from async_lint.rules.base import Rule, dedent_example


def _code_block(code: str) -> str:
    return f"```python\n{code.rstrip()}\n```"


SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety", "What it does not flag")
"""Every rule page has these sections, in this order (a test holds every page to it)."""


def rule_markdown(rule: type[Rule]) -> str:
    sections = [f"# {rule.code}: {rule.name}", f"*{rule.summary}*"]
    if rule.infrastructure:
        sections.append("Reported by the engine itself; never silenced by `--ignore`.")
    sections += ["## What it does", rule.description(), "## Why is this bad?", rule.why]
    proof = getattr(rule, "proof", None)
    if proof:
        sections.append(f"Proof: [`{proof}`](../../{proof}) runs this mistake, and its fix, for real.")
    sections += _example_sections(rule)
    sections += ["## Fix safety", rule.fix_safety]
    sections.append("## What it does not flag")
    if rule.not_flagged:
        sections.append("\n".join(f"- {item}" for item in rule.not_flagged))
    else:
        sections.append("Nothing else: this is reported only in the situation described above.")
    more_invalid = rule.invalid[1:]
    if more_invalid:
        sections.append("## More examples it flags")
        for example in more_invalid:
            sections.append(_code_block(example.code))
            if example.fixed is not None:
                sections += ["With `--fix`:", _code_block(example.fixed)]
    if rule.valid:
        sections += ["## Examples it leaves alone", *(_code_block(code) for code in _valid(rule))]
    return "\n\n".join(sections) + "\n"


def _example_sections(rule: type[Rule]) -> list[str]:
    """*Example* and *Use instead*: the first INVALID example and its fixed form (or the rule's
    `use_instead`); a rule with no code example (ASL002, ASL003) says so rather than skip them."""
    if not rule.invalid:
        return [
            "## Example",
            "There is no code example: the engine reports this about a file, not about a line of code.",
            "## Use instead",
            "See *Fix safety* below.",
        ]
    first = rule.invalid[0]
    use_instead = first.fixed if first.fixed is not None else rule.use_instead
    use_instead = dedent_example(use_instead) if use_instead is not None else None
    sections = ["## Example", _code_block(first.code), "## Use instead"]
    sections.append(_code_block(use_instead) if use_instead is not None else "See *Fix safety* below.")
    return sections


def _valid(rule: type[Rule]) -> list[str]:
    return [dedent_example(code) for code in rule.valid]


def rules_index_markdown() -> str:
    lines = [
        "# Rules",
        "",
        "| code | name | flags | fix |",
        "|---|---|---|---|",
    ]
    for code, rule in all_rules().items():
        fix = _fix_kind(rule)
        lines.append(f"| [{code}]({code}.md) | {rule.name} | {rule.summary} | {fix} |")
    return "\n".join(lines) + "\n"


def _fix_kind(rule: type[Rule]) -> str:
    if rule.infrastructure:
        return "—"
    if any(example.fixed is not None for example in rule.invalid):
        return rule.fix_safety.split(":", 1)[0].split(".", 1)[0].lower()
    return "suggestion"


def expected_pages() -> dict[str, str]:
    pages = {f"{code}.md": rule_markdown(rule) for code, rule in all_rules().items()}
    pages["README.md"] = rules_index_markdown()
    return pages


def write_pages(directory: Path) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in expected_pages().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(name)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/rules")
    for name in write_pages(target):
        print(f"wrote {target / name}")
