"""The house: the package's top level stays small, and its import graph has no cycle.

The graph is read from the source (every import, at the top of a module or inside a function;
not those under `if TYPE_CHECKING:`, which never run), so a cycle hidden inside a function is
still a cycle. An import inside a function must say why on its line or the line above: the
only good reason is deferring a heavy dependency that some commands never need.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "compiler"
MAX_TOP_LEVEL_MODULES = 8


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    target: str  # the imported module (a module of the package, or another package's name)
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hidden.update(id(inner) for statement in node.body for inner in ast.walk(statement))
    return hidden


def _function_nodes(tree: ast.AST) -> set[int]:
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inside.update(id(inner) for inner in ast.walk(node) if inner is not node)
    return inside


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    # `from package import module` imports the module; `from module import name` the module
    return [f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source for alias in node.names]


def imports() -> list[Import]:
    found = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        hidden, inside = _type_checking_nodes(tree), _function_nodes(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom) or id(node) in hidden:
                continue
            for target in _targets(module, path.name == "__init__.py", node):
                found.append(Import(module, target, node.lineno, id(node) in inside))
    return found


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {module: set() for module in MODULES}
    for found in imports():
        target = found.target
        while target not in MODULES and "." in target:  # `from .module import name`
            target = target.rsplit(".", 1)[0]
        if target in MODULES and target != found.module:
            edges[found.module].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_top_level_holds_at_most_eight_modules() -> None:
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


def test_the_import_graph_has_no_cycle() -> None:
    assert cycles(graph()) == []


def test_the_finder_sees_a_cycle_hidden_inside_a_function() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]


def test_no_module_imports_the_package_root() -> None:
    """The root's public names are loaded lazily for callers outside; inside, a module imports
    the module that defines a thing, so the root never sits in a cycle."""
    assert [f"{i.module}:{i.line}" for i in imports() if i.target == "compiler" and i.module != "compiler"] == []


def says_why(lines: list[str], line: int) -> bool:
    """A comment on the import's line, or just above the run of imports it belongs to."""
    index = line - 1
    if "#" in lines[index]:
        return True
    while index > 0 and lines[index - 1].strip().startswith(("from ", "import ")):
        index -= 1
        if "#" in lines[index]:
            return True
    return index > 0 and lines[index - 1].strip().startswith("#")


def test_every_import_inside_a_function_says_why() -> None:
    unexplained = []
    for found in imports():
        lines = MODULES[found.module].read_text(encoding="utf-8").splitlines()
        if found.in_function and not says_why(lines, found.line):
            unexplained.append(f"{found.module}:{found.line} {found.target}")
    assert unexplained == []


def test_a_reason_counts_for_the_run_of_imports_under_it() -> None:
    lines = ["def f():", "    # deferred: heavy", "    import a", "    from b import c", "", "    import d"]
    assert says_why(lines, 3) and says_why(lines, 4)
    assert not says_why(lines, 6)


def test_the_base_modules_import_none_of_the_stages() -> None:
    """errors, model, resources and cache sit under everything: every stage may use them."""
    base = {"compiler.errors", "compiler.model", "compiler.resources", "compiler.cache"}
    edges = graph()
    assert {module: sorted(edges[module] - base) for module in sorted(base)} == {module: [] for module in sorted(base)}
