"""The benchmark's report: Markdown tables, printed and written into docs/performance.md between
two markers, so that the hand-written sections around them (and other benchmarks' sections)
are kept."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from .load import Measure

BEGIN = "<!-- bench/run.py results: begin (generated, do not edit by hand) -->"
WHITENOISE = "post page, static copy: gunicorn + whitenoise"
NGINX = "post page, static copy: nginx"
END = "<!-- bench/run.py results: end -->"


@dataclass
class Row:
    scenario: str
    database: str  # "SQLite", "PostgreSQL" or "" for the static ceilings
    cache: str  # "cold", "warm", "static", "nginx front"
    measure: Measure | None
    note: str = ""


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    memory: list[tuple[str, int, list[dict]]] = field(default_factory=list)
    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    datasets: dict[str, dict] = field(default_factory=dict)
    environment: dict[str, str] = field(default_factory=dict)
    commands: list[str] = field(default_factory=list)
    steps: list[tuple[str, float]] = field(default_factory=list)
    imports: str = ""
    import_seconds: float | None = None
    page_cpu: dict[str, str] = field(default_factory=dict)  # database: bench/page_cpu.py's table

    def find(self, scenario, database="", cache="") -> Measure | None:
        for row in self.rows:
            if (row.scenario, row.database, row.cache) == (scenario, database, cache):
                return row.measure
        return None

    @property
    def whitenoise(self):
        return self.find(WHITENOISE, cache="static")

    @property
    def nginx(self):
        return self.find(NGINX, cache="static")

    def ceiling(self, name, database=""):
        """The ceiling measured beside `database`'s figures, else the run's first one."""
        return self.find(f"{name}, beside", database, "static") or self.find(name, cache="static")


def _number(value, digits=0):
    return "n/a" if value is None else f"{value:,.{digits}f}"


def _ratio(measure, ceiling):
    if measure is None or ceiling is None or not ceiling.rps or not measure.rps:
        return "n/a"
    return f"{measure.rps / ceiling.rps:.0%}"


def results_table(results: Results) -> str:
    lines = [
        "| scenario | database | page cache | req/s | p50 ms | p99 ms | failures "
        "| vs gunicorn+whitenoise static | vs nginx static | note |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in results.rows:
        m = row.measure
        if m is None:
            lines.append(f"| {row.scenario} | {row.database} | {row.cache} | n/a | n/a | n/a | n/a "
                         f"| n/a | n/a | {row.note} |")
            continue
        failures = f"{m.failures:,}" if m.failures else "0"
        lines.append(
            f"| {row.scenario} | {row.database} | {row.cache} | {_number(m.rps)} "
            f"| {_number(m.p50, 1)} | {_number(m.p99, 1)} | {failures} "
            f"| {_ratio(m, results.ceiling(WHITENOISE, row.database))} "
            f"| {_ratio(m, results.ceiling(NGINX, row.database))} | {row.note} |"
        )
    return "\n".join(lines)


def targets_table(results: Results) -> str:
    """The issue's targets, each against the figure this run measured."""
    rows = []

    def add(target, measured, met):
        rows.append(f"| {target} | {measured} | {'yes' if met else 'no'} |")

    databases = list(dict.fromkeys(row.database for row in results.rows if row.database))
    for database in databases:
        post = results.find("post with 200 comments", database, "cold")
        single = results.find("post with 200 comments, 1 connection", database, "cold")
        home = results.find("home page", database, "cold")
        warm = results.find("post with 200 comments", database, "warm")
        if post:
            add(f"{database}, cold: post with 200 comments ≥ 100 req/s", f"{post.rps:,.0f} req/s",
                post.rps >= 100)
        if single and single.p50 is not None:
            add(f"{database}, cold: its median at 1 connection < 15 ms", f"{single.p50:.1f} ms",
                single.p50 < 15)
        if home:
            add(f"{database}, cold: home page ≥ 300 req/s", f"{home.rps:,.0f} req/s", home.rps >= 300)
        static = results.ceiling(WHITENOISE, database)
        if warm and static:
            share = warm.rps / static.rps
            add(f"{database}, warm: post page ≥ 80% of gunicorn+whitenoise static", f"{share:.0%}",
                share >= 0.8)
    for database in databases:
        front = results.find("post with 200 comments", database, "nginx front")
        static = results.ceiling(NGINX, database)
        if front and static:
            share = front.rps / static.rps
            add(f"nginx front ({database} behind it): post page ≥ 50% of nginx static",
                f"{share:.0%}", share >= 0.5)
    if results.import_seconds is not None:
        add("import of 10,000 posts and 100,000 comments into SQLite < 60 s",
            f"{results.import_seconds:.1f} s", results.import_seconds < 60)
    for label, _served, workers in results.memory:
        if workers:
            worst = max(w["rss"] for w in workers)
            add(f"{label}: RSS per worker ≤ 150 MB", f"{worst:.0f} MB (largest)", worst <= 150)
    return "\n".join(["| target | measured | met |", "| --- | --- | --- |", *rows])


def memory_table(results: Results) -> str:
    lines = ["| server | requests served | workers: RSS MB | workers: PSS MB |",
             "| --- | ---: | --- | --- |"]
    for label, served, workers in results.memory:
        rss = ", ".join(f"{w['rss']:.0f}" for w in workers) or "n/a"
        pss = ", ".join(f"{w['pss']:.0f}" for w in workers) or "n/a"
        lines.append(f"| {label} | {served:,} | {rss} | {pss} |")
    return "\n".join(lines)


def render(results: Results) -> str:
    parts = [BEGIN, "", f"Run of {results.environment.get('date', '?')}, "
             f"{results.environment.get('total', '?')} in all.", ""]
    parts += ["**Machine and versions:** " + "; ".join(
        f"{k} {v}" for k, v in results.environment.items() if k not in {"date", "total"}), ""]
    for label, info in results.datasets.items():
        parts.append(f"**Dataset, {label}:** {info.get('posts', '?'):,} posts and pages, "
                     f"{info.get('comments', '?'):,} comments (`generate_demo` in "
                     f"{info.get('generated_seconds', '?')} s, with the 200-comment post and the "
                     f"search index in {info.get('total_seconds', '?')} s).")
    parts += ["", "### Throughput and latency", "",
              "Shares of a ceiling compare with the static page measured beside that database's "
              "figures (rows marked \"beside\"), since the shared machine's load moves during a "
              "run; rows without one use the first measurement.", "",
              results_table(results), "",
              "### Targets", "", targets_table(results), "",
              "### Memory", "", memory_table(results), ""]
    if results.checks:
        parts += ["### Checks made during the run", ""]
        parts += [f"- {'ok' if ok else 'FAILED'}: {label}{f' ({detail})' if detail else ''}"
                  for label, ok, detail in results.checks]
        parts.append("")
    if results.page_cpu:
        parts += ["### CPU per page, in one process (bench/page_cpu.py)", "",
                  "Django's test client with the page cache off (fragments warm), and a page-cache "
                  "hit through the WSGI application as gunicorn calls it; milliseconds of CPU per "
                  "request, which the machine's other load moves far less than requests per "
                  "second.", ""]
        for label, table in results.page_cpu.items():
            parts += [f"**{label}**", "", table.strip(), ""]
    if results.imports:
        parts += ["### Import speed (bench/import_bench.py)", "", "```", results.imports.strip(),
                  "```", ""]
    parts += ["### Commands", "", "```sh", *results.commands, "```", ""]
    if results.steps:
        parts += ["Time per step: " + "; ".join(f"{label} {seconds:.0f} s"
                                                for label, seconds in results.steps), ""]
    parts.append(END)
    return "\n".join(parts)


def write(path: Path, generated: str, *, heading="## Results") -> None:
    """Put `generated` between the markers, or under `heading` (created if missing)."""
    text = path.read_text() if path.exists() else "# Performance\n"
    if BEGIN in text and END in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: generated, text,
                      flags=re.DOTALL)
    elif heading in text:
        head, _, tail = text.partition(heading)
        text = f"{head}{heading}\n\n{generated}\n{tail.lstrip(chr(10)) and chr(10) + tail.lstrip(chr(10))}"
    else:
        text = f"{text.rstrip()}\n\n{heading}\n\n{generated}\n"
    path.write_text(text)
