"""Search answers the clerk's words: a relevance set of real queries, run through the search worker
the pages start (Material's lunr worker behind playbookgen's accent folding, as the site ships
it) in Chromium against the built reference site.

Each query in tests/search/queries.yaml names the page(s) that must be among the first three
results. The hit rate, per kind of query and overall, is printed in the test output; the
test fails below TARGET.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from .browser_support import Site

pytestmark = pytest.mark.browser

QUERIES = Path(__file__).resolve().parent / "search" / "queries.yaml"
TARGET = 0.9
TOP = 3

# Material's worker protocol: 0 = set up (config, docs, options), 1 = ready, 2 = query, 3 = result.
RUN = """
async ([worker, index, queries]) => {
  const w = new Worker(worker);
  const ask = (message) => new Promise((resolve) => {
    w.onmessage = (event) => resolve(event.data);
    w.postMessage(message);
  });
  await ask({type: 0, data: {config: index.config, docs: index.docs, options: {suggest: false}}});
  const answers = [];
  for (const query of queries) {
    const result = await ask({type: 2, data: query});
    answers.push(result.data.items.map((group) => group[0].location.split("#")[0]));
  }
  w.terminate();
  return answers;
}
"""


WORKER = """
() => new URL(JSON.parse(document.getElementById("__config").textContent).search, location.href).href
"""
"""The search worker the page starts (the accent-folding one that starts the theme's)."""


def load_queries() -> list[dict[str, Any]]:
    data = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    return list(data["queries"])


def run_queries(site: Site, open_tab: Any, queries: list[str]) -> list[list[str]]:
    """The result pages of each query, best first, from Material's search worker."""
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    tab = open_tab()
    tab.page.goto(site.url)
    worker_url = tab.page.evaluate(WORKER)
    answers: list[list[str]] = tab.page.evaluate(RUN, [worker_url, index, queries])
    assert tab.errors == []
    return answers


def test_relevance_set_is_large_and_points_at_pages(site: Site) -> None:
    queries = load_queries()
    assert len(queries) >= 40
    for entry in queries:
        for page in entry["expect"]:
            assert (site.root / page / "index.html").is_file(), page


def test_search_finds_the_expected_page_in_the_top_three(
    site: Site,
    open_tab: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    queries = load_queries()
    answers = run_queries(site, open_tab, [str(q["q"]) for q in queries])
    hits: dict[str, list[bool]] = {}
    misses = []
    for entry, pages in zip(queries, answers, strict=True):
        top = pages[:TOP]
        hit = any(page in top for page in entry["expect"])
        hits.setdefault(str(entry["kind"]), []).append(hit)
        if not hit:
            misses.append(f"  miss: {entry['q']!r} → {top} (expected {entry['expect']})")
    everything = [h for values in hits.values() for h in values]
    rate = sum(everything) / len(everything)
    lines = [f"search relevance: {sum(everything)}/{len(everything)} queries hit the top {TOP} ({rate:.0%})"]
    for kind, values in hits.items():
        lines.append(f"  {kind}: {sum(values)}/{len(values)}")
    lines += misses
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert rate >= TARGET, "\n".join(lines)


def test_blocks_kept_out_of_search_stay_out_of_the_index(site: Site) -> None:
    """Material's search parser ends an exclusion at the first closing tag of the excluded
    element's name: an excluded block that nests that element leaks what follows into every
    category's entry (the decision aid once did, and pushed the right pages out of the top 3)."""
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = [entry["text"] for entry in index["docs"]]
    assert any("Also known as" in text for text in texts)  # the index does hold category text
    for excluded in (
        "Can you fix it on the spot?",
        "Does the customer need goodwill?",
        "Last changed",
        "Tell us",
    ):
        assert not [t for t in texts if excluded in t], excluded
