"""Reading and refreshing docs/rules.md, the rule catalogue (issue 17 item 2).

``shared/tests/unit/test_rule_catalogue.py`` checks the catalogue with the readers here.
When code moves and the catalogue names a path or test that is gone, refresh the
generated ``- Code:`` / ``- Tests:`` / ``- Find all:`` lines of every entry (the prose,
Dutch sentences and readings are left as they are)::

    python3 -m uv run --frozen python -m testkit.rule_catalogue --write
"""

import ast
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "docs" / "rules.md"
# The catalogue's own test plants ids in samples; they are not citations.
CATALOGUE_TEST = ROOT / "shared" / "tests" / "unit" / "test_rule_catalogue.py"

FAMILIES = "AC|RG|LF|EI|IN|ES|PC|PA|AS|LA|CL|MT"
# A rule id as code cites it. A claim number such as "CL-2026-000123" (or the f-string
# "CL-2026-{n}") is not a rule id, hence the look-ahead.
RULE_ID = re.compile(rf"\b({FAMILIES})[-_]([0-9]+)\b(?!-[0-9{{])")
# Test names cite ids in lower case: test_pc5_pc8_pc12_… names PC-5, PC-8 and PC-12.
NAME_ID = re.compile(rf"(?<![a-z0-9])({FAMILIES.lower()})([0-9]{{1,2}})(?![0-9])")
ENTRY = re.compile(rf"^### ((?:{FAMILIES})-[0-9]+) — (\S.*)$", re.MULTILINE)
ALLOWED = re.compile(rf"^- \*\*((?:{FAMILIES})-[0-9]+)\*\* — (.*)$", re.MULTILINE)
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
GENERATED = re.compile(
    rf"^- Code: .*\n- Tests: .*\n- Find all: `git grep -nw '((?:{FAMILIES})-[0-9]+)'`$",
    re.MULTILINE,
)

SKIPPED_DIRS = {
    ".venv",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    "node_modules",
}
SHOWN_CODE = 4
SHOWN_TESTS = 5


def scanned_roots(root: Path = ROOT) -> list[Path]:
    """Where rule ids are cited: every service, shared, testkit, tests-e2e, infra."""
    services = sorted(p for p in root.glob("*-svc") if p.is_dir())
    return services + [root / name for name in ("shared", "testkit", "tests-e2e", "infra")]


def files(root: Path = ROOT, skip: frozenset[Path] = frozenset({CATALOGUE_TEST})) -> Iterator[Path]:
    for top in scanned_roots(root):
        for path in sorted(top.rglob("*")):
            rel = path.relative_to(root).parts
            if any(part in SKIPPED_DIRS or part.endswith(".egg-info") for part in rel):
                continue
            if path in skip or not path.is_file() or path.stat().st_size > 2_000_000:
                continue
            yield path


def is_test(path: Path, root: Path = ROOT) -> bool:
    rel = path.relative_to(root).parts
    return rel[0] == "tests-e2e" or "tests" in rel[1:]


def cited_ids(text: str) -> set[str]:
    """The rule ids a text cites, written ``XX-n`` (``XX_n`` counts as the same id)."""
    return {f"{family}-{number}" for family, number in RULE_ID.findall(text)}


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None


def citations(
    root: Path = ROOT, skip: frozenset[Path] = frozenset({CATALOGUE_TEST})
) -> tuple[dict[str, list[str]], set[str]]:
    """Every cited id with the files citing it, and the ids cited outside tests."""
    where: dict[str, list[str]] = {}
    implemented: set[str] = set()
    for path in files(root, skip):
        text = _read(path)
        if text is None:
            continue
        ids = cited_ids(text)
        for rule in ids:
            where.setdefault(rule, []).append(str(path.relative_to(root)))
        if not is_test(path, root):
            implemented |= ids
    return where, implemented


def entries(markdown: str) -> dict[str, str]:
    """``### <ID> — title`` headings outside code fences: id → title."""
    found: dict[str, str] = {}
    for rule, title in ENTRY.findall(FENCE.sub("", markdown)):
        if rule in found:
            raise ValueError(f"{rule} has two entries in docs/rules.md")
        found[rule] = title
    return found


def allow_list(markdown: str) -> dict[str, str]:
    """The "Not built" section: id → reason."""
    _, _, section = markdown.partition("## Not built (allow-list)")
    section = section.split("\n## ", 1)[0]
    return {rule: reason.strip() for rule, reason in ALLOWED.findall(section)}


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    kept = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return kept.replace(" ", "-")


# --- where each id is implemented and tested -------------------------------------------


def _spans(tree: ast.Module) -> list[tuple[int, int, str]]:
    """(first line incl. decorators, last line, dotted name) of every def and class."""
    spans: list[tuple[int, int, str]] = []

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                first = min([d.lineno for d in child.decorator_list] + [child.lineno])
                name = prefix + child.name
                spans.append((first, child.end_lineno or child.lineno, name))
                walk(child, name + ".")

    walk(tree, "")
    return spans


def _module_names(tree: ast.Module) -> list[tuple[int, int, str]]:
    names = []
    for statement in tree.body:
        target: ast.expr | None = None
        if isinstance(statement, ast.Assign):
            target = statement.targets[0]
        elif isinstance(statement, ast.AnnAssign):
            target = statement.target
        if isinstance(target, ast.Name):
            end = statement.end_lineno or statement.lineno
            names.append((statement.lineno, end, target.id))
    return names


def locations(root: Path = ROOT) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """id → ``path::name`` places in code, and id → tests, each in file order."""
    code: dict[str, list[str]] = {}
    tests: dict[str, list[str]] = {}
    named: dict[str, list[str]] = {}
    for path in files(root):
        if path.suffix != ".py" or (text := _read(path)) is None:
            continue
        rel = str(path.relative_to(root))
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        spans, module_names, test = _spans(tree), _module_names(tree), is_test(path, root)
        for number, line in enumerate(text.splitlines(), 1):
            for rule in sorted(cited_ids(line)):
                inside = [s for s in spans if s[0] <= number <= s[1]]
                if test:
                    funcs = [s for s in inside if s[2].split(".")[-1].startswith("test")]
                    at = (funcs or inside or [(0, 0, "")])[-1][2].split(".")[-1]
                    tests.setdefault(rule, []).append(f"{rel}::{at}" if at else rel)
                else:
                    names = [n for n in module_names if n[0] <= number <= n[1]]
                    at = inside[-1][2] if inside else (names[0][2] if names else "")
                    code.setdefault(rule, []).append(f"{rel}::{at}" if at else rel)
        if test:
            for _, _, dotted in spans:
                name = dotted.split(".")[-1]
                if name.startswith("test_"):
                    for family, number in NAME_ID.findall(name):
                        named.setdefault(f"{family.upper()}-{number}", []).append(f"{rel}::{name}")
    for rule, found in named.items():
        tests[rule] = found + tests.get(rule, [])
    return code, tests


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _pick(items: list[str], shown: int, key: Callable[[str], tuple[int, ...]]) -> list[str]:
    """Named places first; a bare module only when nothing in it is named."""
    items = _unique(items)
    with_names = {i.split("::")[0] for i in items if "::" in i}
    kept = [i for i in items if "::" in i or i not in with_names]
    return sorted(kept, key=key)[:shown] + ([f"+{len(kept) - shown}"] if len(kept) > shown else [])


def _code_key(counts: dict[str, int]) -> Callable[[str], tuple[int, ...]]:
    layers = ("/domain/", "/service/", "/adapters/", "/entrypoints/")

    def key(item: str) -> tuple[int, ...]:
        path = item.split("::")[0]
        layer = next((k for k, part in enumerate(layers) if part in path), len(layers))
        if path.endswith("__init__.py") or path.endswith("bootstrap.py"):
            layer = 6
        elif path.startswith(("testkit", "infra")):
            layer = 5
        support = layer == 5
        return (support, -counts[path.split("/")[0]], layer, "::" not in item)

    return key


def _tests_key(counts: dict[str, int]) -> Callable[[str], tuple[int, ...]]:
    def key(item: str) -> tuple[int, ...]:
        return ("::test_" not in item, "/unit/" not in item, -counts[item.split("/")[0]])

    return key


def _listing(items: list[str]) -> str:
    shown = [f"`{i}`" for i in items if not i.startswith("+")]
    more = [i for i in items if i.startswith("+")]
    return ", ".join(shown) + (f" ({more[0]} more)" if more else "")


def generated_lines(rule: str, code: list[str], tests: list[str]) -> str:
    """The three generated lines that end a catalogue entry."""

    def by_top(items: list[str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in items:
            counts[item.split("/")[0]] = counts.get(item.split("/")[0], 0) + 1
        return counts

    shown_code = _pick(code, SHOWN_CODE, _code_key(by_top(code)))
    shown_tests = _pick(tests, SHOWN_TESTS, _tests_key(by_top(tests)))
    return "\n".join(
        [
            "- Code: " + (_listing(shown_code) or "none"),
            "- Tests: " + (_listing(shown_tests) or "**none** (no test names this rule yet)"),
            f"- Find all: `git grep -nw '{rule}'`",
        ]
    )


def refresh(markdown: str, root: Path = ROOT) -> str:
    """The catalogue with every entry's generated lines recomputed from the tree."""
    code, tests = locations(root)

    def replace(match: re.Match[str]) -> str:
        rule = match.group(1)
        return generated_lines(rule, code.get(rule, []), tests.get(rule, []))

    return GENERATED.sub(replace, markdown)


def main(argv: list[str]) -> int:
    current = CATALOGUE.read_text(encoding="utf-8")
    fresh = refresh(current)
    if "--write" in argv:
        CATALOGUE.write_text(fresh, encoding="utf-8")
        print(f"{CATALOGUE.relative_to(ROOT)}: {'refreshed' if fresh != current else 'up to date'}")
        return 0
    print(fresh, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
