"""The bench's output: the printed tables, `compare` of two JSON runs, and the `--check` verdict."""

from __future__ import annotations

from demo.bureau import format_table

QUERY_LIMIT = 12  # issue 14: every key page at most 12 queries, the same count at every size
# TO BE EMPTIED. Pages over the limit today (counted at the small and medium sizes, SQLite and
# PostgreSQL), allowed their current count while the pages are being fixed; the highest count of the
# page's personas. A page listed here still fails --check above the count written here, and when its
# count differs between the two sizes (unless it is also in KNOWN_GROWING).
KNOWN_OVER: dict[str, int] = {
    "meeting_detail": 18,  # a section a query: people, leave, topics, votes, materials, history, units, minutes
    "ledgers": 22,  # four registers on one page, each its count, its page, its topic counts and its verdicts
    "ledger_export_unit_year": 22,  # the same four registers, every row of the unit's year
}
# Pages whose count may grow with the data: --check reports their growth but does not fail on it.
# Empty since the ledgers read their rows in chunks (no query per row); keep it so.
KNOWN_GROWING: set[str] = set()


def _key(row: dict) -> str:
    return f"{row['page']} ({row['persona']})"


def pages_table(rows: list[dict]) -> str:
    header = ("page", "persona", "queries", "median ms", "p95 ms", "floor median", "ratio", "status")
    body = [(r["page"], r["persona"], str(r["queries"]), f"{r['median_ms']:.1f}", f"{r['p95_ms']:.1f}",
             f"{r['floor_median_ms']:.1f}", f"{r['ratio']}x", ",".join(map(str, r["status"]))) for r in rows]
    return format_table(header, body)


def extras_table(result: dict) -> str:
    lines = []
    sweep = result.get("sweep")
    if sweep:
        for run in sweep["runs"]:
            lines.append(f"sweep {run['run']}: {run['ms']:.0f} ms, {run['queries']} queries, {run['due_items']} due, "
                         f"{run['recorded']} recorded, {run['sent']} sent, {run['breaches']} breaches")
        raw = sweep["raw_sql"]
        lines.append(f"raw SQL (same deadlines): {raw['ms']:.1f} ms, {raw['rows']} rows, 1 query; "
                     f"steady sweep / raw = {sweep['steady_over_raw']}x")
    doc = result.get("docx")
    if doc:
        lines.append(f"minutes .docx ({doc['topics']} topics): {doc['median_ms']:.1f} ms, {doc['queries']} queries; "
                     f"plain python-docx {doc['plain_median_ms']:.1f} ms; ratio {doc['ratio']}x")
    if "peak_rss_mb" in result:
        lines.append(f"peak RSS: {result['peak_rss_mb']:.0f} MB")
    build = result.get("build")
    if build:
        lines.append(f"build: {build['meetings']} meetings, {build['rows']} rows, {build['seconds']:.1f} s")
    return "\n".join(lines)


def compare_table(a: dict, b: dict) -> str:
    rows_a = {_key(r): r for r in a.get("pages", [])}
    rows_b = {_key(r): r for r in b.get("pages", [])}
    header = ("page", "queries a", "queries b", "median a", "median b", "p95 a", "p95 b", "ratio a", "ratio b")
    body = []
    for key in [*rows_a, *[k for k in rows_b if k not in rows_a]]:
        ra, rb = rows_a.get(key, {}), rows_b.get(key, {})

        def cell(r, name, fmt="{}"):
            return fmt.format(r[name]) if name in r else "-"

        body.append((key, cell(ra, "queries"), cell(rb, "queries"), cell(ra, "median_ms", "{:.1f}"),
                     cell(rb, "median_ms", "{:.1f}"), cell(ra, "p95_ms", "{:.1f}"), cell(rb, "p95_ms", "{:.1f}"),
                     cell(ra, "ratio", "{}x"), cell(rb, "ratio", "{}x")))
    lines = [f"a: {a.get('label', '')}  b: {b.get('label', '')}", format_table(header, body)]
    for name, r in (("a", a), ("b", b)):
        extra = extras_table(r)
        if extra:
            lines += [f"-- {name} --", extra]
    return "\n".join(lines)


def check_counts(smaller: list[dict], larger: list[dict]) -> list[str]:
    """Why the counts fail issue 14's targets: over the limit (or over KNOWN_OVER), grown between sizes,
    or a page that did not answer 200."""
    problems = []
    before = {_key(r): r for r in smaller}
    for r in larger:
        key, count = _key(r), r["queries"]
        allowed = max(QUERY_LIMIT, KNOWN_OVER.get(r["page"], 0))
        if r["status"] != [200]:
            problems.append(f"{key}: HTTP {r['status']}")
        if count > allowed and r["page"] not in KNOWN_GROWING:
            problems.append(f"{key}: {count} queries (limit {allowed})")
        first = before.get(key)
        if first is not None and first["queries"] != count and r["page"] not in KNOWN_GROWING:
            problems.append(f"{key}: {first['queries']} queries at the smaller size, {count} at the larger")
    return problems


def growth_notes(smaller: list[dict], larger: list[dict]) -> list[str]:
    """The pages of KNOWN_GROWING whose count grew: reported, not failed."""
    before = {_key(r): r["queries"] for r in smaller}
    return [f"{_key(r)}: {before[_key(r)]} -> {r['queries']} queries (KNOWN_GROWING)" for r in larger
            if r["page"] in KNOWN_GROWING and _key(r) in before and before[_key(r)] != r["queries"]]
