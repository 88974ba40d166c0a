"""docs/rules.md is the catalogue of every rule id the code cites (issue 17 item 2).

No servers: the tests read the working tree. They fail when code or tests cite a rule id
that has no ``### <ID> — title`` entry, when an entry names an id no code implements, when
an allow-listed ("Not built") id is cited after all, when the index or a named path has
drifted, and (where the handbook is next to the repository) when an id of DOMAIN.md is
neither catalogued nor allow-listed.
"""

import re
from pathlib import Path

import pytest

from testkit.rule_catalogue import (
    CATALOGUE,
    CATALOGUE_TEST,
    FAMILIES,
    GENERATED,
    ROOT,
    allow_list,
    cited_ids,
    entries,
    refresh,
    slug,
)
from testkit.rule_catalogue import citations as scan_citations

DOMAIN = ROOT.parent / "shared" / "DOMAIN.md"
INDEX_LINK = re.compile(rf"\[((?:{FAMILIES})-[0-9]+)\]\(#([^)]+)\)")
# A path the catalogue names, optionally with ``::name`` (a test, function or class).
NAMED_PATH = re.compile(
    r"`((?:[a-z]+-svc|shared|testkit|tests-e2e|infra)/[\w./-]+\.py)(?:::([\w.*]+))?"
)
REFRESH = "python3 -m uv run --frozen python -m testkit.rule_catalogue --write"


def test_the_catalogue_test_is_the_one_the_scanner_skips() -> None:
    """Issue 17 item 2: only this file's planted samples are left out of the scan."""
    assert Path(__file__).resolve() == CATALOGUE_TEST


@pytest.fixture(scope="module")
def catalogue() -> str:
    return CATALOGUE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def citations() -> tuple[dict[str, list[str]], set[str]]:
    return scan_citations()


def test_the_scanner_reads_rule_ids_and_not_claim_numbers() -> None:
    """Issue 17 item 2: the checks below are only as good as the id scanner."""
    text = 'rule PC-4 and LA_11; "CL-2026-000123", f"CL-2026-{n}"; PA-1..PA-6; XPC-9'
    assert cited_ids(text) == {"PC-4", "LA-11", "PA-1", "PA-6"}


def test_the_parsers_skip_fenced_templates_and_read_reasons() -> None:
    """Issue 17 item 2: a template heading inside a code fence is not an entry."""
    sample = (
        "```\n### PC-99 — template\n```\n### PC-4 — start of cover\n"
        "## Not built (allow-list)\n- **LF-7** — free of charge.\n## Next\n- **EI-2** — no\n"
    )
    assert entries(sample) == {"PC-4": "start of cover"}
    assert allow_list(sample) == {"LF-7": "free of charge."}
    assert slug("AC-3 — a minor may revoke the titular's access") == (
        "ac-3--a-minor-may-revoke-the-titulars-access"
    )


def test_every_cited_rule_id_has_a_catalogue_entry(
    catalogue: str, citations: tuple[dict[str, list[str]], set[str]]
) -> None:
    """Issue 17 item 2: an id cited in code or tests is catalogued in docs/rules.md."""
    where, _ = citations
    missing = sorted(set(where) - set(entries(catalogue)))
    assert not missing, "cited but not in docs/rules.md (add a '### <ID> — title' entry): " + (
        "; ".join(f"{rule} in {', '.join(where[rule][:3])}" for rule in missing)
    )


def test_every_catalogue_entry_is_implemented(
    catalogue: str, citations: tuple[dict[str, list[str]], set[str]]
) -> None:
    """Issue 17 item 2: an entry names an id that code (not only tests) cites."""
    _, implemented = citations
    unimplemented = sorted(set(entries(catalogue)) - implemented)
    assert not unimplemented, (
        f"in docs/rules.md but cited by no code: {unimplemented} "
        "(implement it, or move it to 'Not built (allow-list)' with its reason)"
    )


def test_allow_listed_ids_have_a_reason_and_are_not_cited(
    catalogue: str, citations: tuple[dict[str, list[str]], set[str]]
) -> None:
    """Issue 17 item 2: a rule deliberately not built says why, and stays unbuilt."""
    where, _ = citations
    allowed = allow_list(catalogue)
    assert allowed, "docs/rules.md has no 'Not built (allow-list)' section"
    assert all(len(reason) > 20 for reason in allowed.values()), allowed
    assert not set(allowed) & set(entries(catalogue)), "an id is both catalogued and allowed"
    cited = sorted(set(allowed) & set(where))
    assert not cited, (
        f"allow-listed but cited: {cited} (give it a catalogue entry instead): "
        + "; ".join(f"{rule} in {', '.join(where[rule][:3])}" for rule in cited)
    )


def test_the_index_links_every_entry_to_its_heading(catalogue: str) -> None:
    """Issue 17 item 2: a newcomer finds any id from the index at the top."""
    catalogued = entries(catalogue)
    anchors = {rule: slug(f"{rule} — {title}") for rule, title in catalogued.items()}
    index = catalogue.split("## Index", 1)[1].split("\n## ", 1)[0]
    linked = dict(INDEX_LINK.findall(index))
    assert sorted(linked) == sorted(catalogued), "index and entries differ"
    broken = {rule: a for rule, a in linked.items() if a != anchors[rule]}
    assert not broken, f"index links that miss their heading: {broken}"
    listed_as_not_built = set(cited_ids(index.split("[Not built]", 1)[1]))
    assert listed_as_not_built == set(allow_list(catalogue))


def _defines(source: str, dotted: str) -> bool:
    for name in dotted.split("."):
        pattern = re.escape(name).replace(r"\*", r"\w*")
        if not re.search(rf"^\s*(?:async def|def|class) {pattern}\b|^{pattern}\b.*=", source, re.M):
            return False
    return True


def test_the_paths_and_names_in_the_catalogue_exist(catalogue: str) -> None:
    """Issue 17 item 2: every module and test the catalogue names is still there."""
    named = NAMED_PATH.findall(catalogue)
    assert len(named) > 100, "the catalogue should name its code and tests by path"
    stale = []
    for path, name in named:
        file = ROOT / path
        if not file.is_file():
            stale.append(path)
        elif name and not _defines(file.read_text(encoding="utf-8"), name):
            stale.append(f"{path}::{name}")
    assert not stale, (
        f"docs/rules.md names what no longer exists: {sorted(set(stale))}; "
        f"fix a prose line by hand, or refresh the generated lines: {REFRESH}"
    )


def test_every_domain_rule_is_catalogued_or_allow_listed(catalogue: str) -> None:
    """Issue 17 item 2: each id of the handbook's DOMAIN.md has a place in docs/rules.md."""
    if not DOMAIN.is_file():
        pytest.skip(f"the handbook is not next to this checkout ({DOMAIN})")
    domain = cited_ids(DOMAIN.read_text("utf-8"))
    placed = set(entries(catalogue)) | set(allow_list(catalogue))
    assert sorted(domain - placed) == [], "in DOMAIN.md, missing from docs/rules.md"
    assert sorted(placed - domain) == [], "in docs/rules.md, unknown to DOMAIN.md"


def test_every_entry_says_where_it_is_implemented_and_tested(catalogue: str) -> None:
    """Issue 17 item 2: each entry ends with its Code, Tests and Find-all lines."""
    with_lines = set(GENERATED.findall(catalogue))
    assert sorted(set(entries(catalogue)) - with_lines) == []


def test_refresh_rewrites_only_the_generated_lines(catalogue: str) -> None:
    """Issue 17 item 2: the refresh tool never touches prose, Dutch or readings."""
    fresh = refresh(catalogue)
    assert GENERATED.sub("", fresh) == GENERATED.sub("", catalogue)
    assert refresh(fresh) == fresh
