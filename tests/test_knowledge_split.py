"""API names and error texts live in `knowledge/`: the rule and analysis modules listed here
compare nothing against a string literal (`method == "invoke"`, `name in ("locals", "vars")`,
`saver.endswith("Store")`); they read the knowledge tables instead.

The list grows as families move to the shape; Python's own names (`__name__`, `"__main__"`, the
`__` of special and private names, a lambda's `<lambda>`) and text punctuation are no API names.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "async_lint"

MODULES = (
    "analysis/async_iteration.py",
    "analysis/async_library.py",
    "analysis/async_protocols.py",
    "analysis/async_scopes.py",
    "analysis/blocking_calls.py",
    "analysis/call_chains.py",
    "analysis/concurrency.py",
    "analysis/context_managers.py",
    "analysis/coroutine_calls.py",
    "analysis/coroutine_uses.py",
    "analysis/coroutine_values.py",
    "analysis/derived_twins.py",
    "analysis/framework_calls.py",
    "analysis/function_roles.py",
    "analysis/loop_runners.py",
    "analysis/sync_iterables.py",
    "analysis/tasks.py",
    "analysis/thread_bound.py",
    "analysis/unresolved.py",
    "rules/async_checkpointer_in_sync_call.py",
    "rules/async_context_manager_misuse.py",
    "rules/async_iterator_misuse.py",
    "rules/async_node_in_sync_run.py",
    "rules/async_only_tool_sync_call.py",
    "rules/await_in_loop.py",
    "rules/await_outside_async.py",
    "rules/blocking_call.py",
    "rules/blocking_call_reachable_from_async.py",
    "rules/blocking_call_rule.py",
    "rules/blocking_file_io.py",
    "rules/blocking_http.py",
    "rules/blocking_sleep.py",
    "rules/blocking_subprocess.py",
    "rules/chain_messages.py",
    "rules/concurrency_advice.py",
    "rules/coroutine_advice.py",
    "rules/coroutine_never_awaited.py",
    "rules/coroutine_used_as_value.py",
    "rules/dangling_task.py",
    "rules/fix_builders.py",
    "rules/loop_runner_in_async.py",
    "rules/loop_runner_in_handler.py",
    "rules/loop_runner_in_loop.py",
    "rules/loop_runner_reachable_from_async.py",
    "rules/sequential_independent_awaits.py",
    "rules/sync_checkpointer_in_async_graph.py",
    "rules/sync_framework_call_in_async.py",
    "rules/sync_llm_client_in_async.py",
    "rules/twin_calls.py",
    "rules/unawaited_coroutine.py",
)

NOT_API_NAMES = frozenset({"__name__", "__main__", "__", "<lambda>", ".", "()", "\n"})

_STRING_TESTS = frozenset({"startswith", "endswith", "removeprefix", "removesuffix"})


def _literals(node: ast.expr) -> list[str]:
    """The string literals `node` is, or holds as a tuple, list or set display."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [value for element in node.elts for value in _literals(element)]
    return []


def compared_literals(source: str) -> list[tuple[int, str]]:
    """(line, literal) for every string literal a value is compared with or tested against."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        operands: list[ast.expr] = []
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _STRING_TESTS:
            operands = list(node.args)
        found += [(node.lineno, value) for operand in operands for value in _literals(operand) if value not in NOT_API_NAMES]
    return found


@pytest.mark.parametrize("module", MODULES)
def test_no_api_name_is_compared_as_a_literal(module: str) -> None:
    assert compared_literals((SRC / module).read_text(encoding="utf-8")) == []


def test_the_check_sees_comparisons_and_string_tests() -> None:
    source = 'a == "invoke"\nb in ("locals", "vars")\nc.endswith("Store")\nd == "__main__"\n'
    assert compared_literals(source) == [(1, "invoke"), (2, "locals"), (2, "vars"), (3, "Store")]
