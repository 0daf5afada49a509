"""Benchmark: hunan-map against the naive explore() baseline, measured side by side in one run.

Usage: ``pip install ".[bench]" && python bench/run.py`` (needs Debian's chromium for the browser
timings). Prints a table and writes ``bench/results.json``. Budgets are checked here, not in
timed tests.

Measured
--------
- wall time and peak memory (max RSS) of cold processes, median of 5 runs alternating with the
  baseline script: ``hunan-map render`` (a new process; its page cache in ``bench/out/cache`` warmed
  by one untimed run, as a user's is after their first render) and ``render --no-cache`` (the page
  computed afresh); ``hunan-map export all`` (median of 3);
- cold ``query parks --industry 人工智能``, ``geocode 长沙`` and ``industries`` (cached and
  ``--no-cache``), median of 5, beside ``python -c "import pandas"`` measured in the same loop;
- HTML size of the default map, of the map with every layer on, and of the baseline;
- time from navigation to the ``hunan-map-drawn`` mark in headless Chromium, median of 5
  (offline pages with no tiles, so the network plays no part);
- overlays of 10,000, 100,000 and 1,000,000 synthetic points: join or aggregation time, cold
  render time, HTML size and browser time; the 1,000,000 case is aggregated, with the pandas
  and the dask engine, and their counts are compared.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "results.json"
CHROMIUM = "/usr/bin/chromium"
HUNAN_MAP = [sys.executable, "-m", "hunan_map.cli", "--quiet"]


CACHE = OUT / "cache"
ENV = {**os.environ, "HUNAN_MAP_CACHE_DIR": str(CACHE)}
ENV.pop("HUNAN_MAP_NO_CACHE", None)
#: Small questions: name -> command after ``hunan-map --quiet``.
QUESTIONS = {"query": ["query", "parks", "--industry", "人工智能"], "geocode": ["geocode", "长沙"],
             "industries": ["industries"]}


def cold_process(cmd: list[str], runs: int = 3) -> dict:
    """Median wall seconds and max peak RSS (MB) of a fresh process, over ``runs`` runs."""
    return interleaved({"x": cmd}, runs)["x"]


def interleaved(cmds: dict[str, list[str]], runs: int) -> dict[str, dict]:
    """Each command as a fresh process, taking turns (a, b, c, a, b, c ...) so that the machine's
    load falls on all alike; per command the median wall seconds and the max peak RSS (MB)."""
    walls: dict[str, list] = {k: [] for k in cmds}
    rss: dict[str, list] = {k: [] for k in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            wall, peak = _one(cmd)
            walls[name].append(wall)
            rss[name].append(peak)
    return {k: {"wall_s": round(statistics.median(walls[k]), 3), "peak_mb": round(max(rss[k]), 1),
                "runs_s": [round(w, 3) for w in walls[k]]} for k in cmds}


def _one(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=OUT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{proc.stderr.read().decode()}")
    proc.stderr.close()
    return wall, usage.ru_maxrss / 1024


def browser_drawn(path: Path, runs: int = 5) -> float | None:
    """Median milliseconds from navigation to the drawn mark; None without Chromium."""
    if not Path(CHROMIUM).exists():
        return None
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page.goto(path.resolve().as_uri(), timeout=120_000)
            page.wait_for_function("window.hunanMapDrawn !== undefined", timeout=120_000)
            times.append(page.evaluate("window.hunanMapDrawn"))
            page.close()
        browser.close()
    return round(statistics.median(times), 1)


def synthetic_csv(n: int, seed: int = 42) -> Path:
    """``n`` random firm points over Hunan's bounding box (some fall outside and are rejected)."""
    path = OUT / f"points_{n}.csv"
    if not path.exists():
        rng = np.random.default_rng(seed)
        x, y = rng.uniform(108.8, 114.2, n), rng.uniform(24.7, 30.1, n)
        ids = np.arange(n)
        with path.open("w", encoding="utf-8") as fh:
            fh.write("name,lon,lat\n")
            fh.writelines(f"firm{i},{a:.6f},{b:.6f}\n" for i, a, b in zip(ids, x, y))
    return path


def timed(func):
    start = time.perf_counter()
    value = func()
    return value, round(time.perf_counter() - start, 3)


def overlay_case(n: int) -> dict:
    from hunan_map import layers
    from hunan_map.layers.aggregate import aggregate
    from hunan_map.layers.io.overlay import read_overlay
    from hunan_map.layers.overlay_join import join_overlay

    csv = synthetic_csv(n)
    ctx = layers.context()
    ov, read_s = timed(lambda: read_overlay(csv))
    zones = layers.builders.build_zones(ctx)
    result: dict = {"points": n, "usable": len(ov.data), "rejected": ov.n_rejected, "read_s": read_s}
    if n <= 100_000:
        _, result["join_s"] = timed(lambda: join_overlay(ov.data, counties=ctx.geo.counties, zones=zones,
                                                         parks=layers.parks()))
        html = OUT / f"overlay_{n}.html"
        result["render"] = cold_process(HUNAN_MAP + ["render", "--overlay", str(csv), "--tiles", "none",
                                                     "-o", str(html), "--overwrite"], runs=1)
        result["html_mb"] = round(html.stat().st_size / 1e6, 3)
        result["browser_ms"] = browser_drawn(html, runs=3)
    else:
        agg_p, result["aggregate_pandas_s"] = timed(lambda: aggregate(ov.data, counties=ctx.geo.counties, zones=zones))
        agg_d, result["aggregate_dask_s"] = timed(lambda: aggregate(ov.data, counties=ctx.geo.counties, zones=zones,
                                                                    engine="dask"))
        result["engines_identical"] = bool(
            agg_p.counties[["adcode", "count"]].equals(agg_d.counties[["adcode", "count"]])
            and agg_p.zones[["id", "count"]].equals(agg_d.zones[["id", "count"]])
            and agg_p.hexes.drop(columns="geometry").equals(agg_d.hexes.drop(columns="geometry")))
        for engine in ("pandas", "dask"):
            html = OUT / f"overlay_{n}_{engine}.html"
            result[f"render_{engine}"] = cold_process(
                HUNAN_MAP + ["render", "--overlay", str(csv), "--engine", engine, "--tiles", "none",
                             "-o", str(html), "--overwrite"], runs=1)
            result[f"html_mb_{engine}"] = round(html.stat().st_size / 1e6, 3)
            result[f"browser_ms_{engine}"] = browser_drawn(html, runs=3)
    return result


def speed(results: dict, runs: int = 5) -> None:
    """Cold render against the baseline, and the small questions against importing pandas."""
    import shutil

    shutil.rmtree(CACHE, ignore_errors=True)
    render = HUNAN_MAP + ["render", "-o", "map.html", "--overwrite"]
    subprocess.run(render, cwd=OUT, env=ENV, check=True)  # the first render fills the cache (untimed)
    for cmd in QUESTIONS.values():
        subprocess.run(HUNAN_MAP + cmd, cwd=OUT, env=ENV, check=True, stdout=subprocess.DEVNULL)
    timed_runs = interleaved({
        "render": render,
        "render_no_cache": HUNAN_MAP + ["render", "-o", "map_fresh.html", "--overwrite", "--no-cache"],
        "baseline": [sys.executable, str(ROOT / "bench" / "baseline.py"), "baseline.html"],
    }, runs)
    results.update(timed_runs)
    results["page_cache_identical"] = (OUT / "map.html").read_bytes() == (OUT / "map_fresh.html").read_bytes()
    questions = {name: HUNAN_MAP + cmd for name, cmd in QUESTIONS.items()}
    questions.update({f"{name}_no_cache": HUNAN_MAP + cmd + ["--no-cache"] for name, cmd in QUESTIONS.items()})
    questions["import_pandas"] = [sys.executable, "-c", "import pandas"]
    questions["python"] = [sys.executable, "-c", "pass"]
    results["questions"] = interleaved(questions, runs)


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    OUT.mkdir(parents=True, exist_ok=True)
    env_note = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "load_avg": os.getloadavg()}
    results: dict = json.loads(RESULTS.read_text(encoding="utf-8")) if quick and RESULTS.exists() else {}
    results["machine"] = env_note
    speed(results)
    if quick:  # speed only: the other measures stay as the last full run left them
        results["quick"] = True
        return finish(results)
    results.pop("quick", None)
    results["export_all"] = cold_process(HUNAN_MAP + ["export", "all", "-o", "hunan.gpkg", "--overwrite"])
    subprocess.run(HUNAN_MAP + ["render", "--show-all", "-o", "map_all.html", "--overwrite"], cwd=OUT, check=True)
    subprocess.run(HUNAN_MAP + ["render", "--tiles", "none", "-o", "map_offline.html", "--overwrite"], cwd=OUT, check=True)
    subprocess.run(HUNAN_MAP + ["render", "--tiles", "none", "--show-all", "-o", "map_offline_all.html",
                                "--overwrite"], cwd=OUT, check=True)
    subprocess.run([sys.executable, str(ROOT / "bench" / "baseline.py"), "baseline_offline.html", "--offline"],
                   cwd=OUT, check=True)
    size = lambda name: round((OUT / name).stat().st_size / 1e6, 3)  # noqa: E731
    results["html_mb"] = {"default": size("map.html"), "all_layers": size("map_all.html"),
                          "baseline": size("baseline.html")}
    results["browser_ms"] = {"default": browser_drawn(OUT / "map_offline.html"),
                             "all_layers": browser_drawn(OUT / "map_offline_all.html"),
                             "baseline": browser_drawn(OUT / "baseline_offline.html")}
    results["overlays"] = [overlay_case(n) for n in (10_000, 100_000, 1_000_000)]
    return finish(results)


def finish(results: dict) -> int:
    base = results["baseline"]
    o100k = results["overlays"][1]
    big = results["overlays"][2]
    checks = [
        ("default map HTML <= 1.2 MB", results["html_mb"]["default"], "<= 1.2", results["html_mb"]["default"] <= 1.2),
        ("default map HTML <= 25 % of baseline", round(results["html_mb"]["default"] / results["html_mb"]["baseline"], 3),
         "<= 0.25", results["html_mb"]["default"] <= 0.25 * results["html_mb"]["baseline"]),
        ("cold render <= 20 % of baseline wall time (same run)", round(results["render"]["wall_s"] / base["wall_s"], 3),
         "<= 0.2", results["render"]["wall_s"] <= 0.2 * base["wall_s"]),
        ("cached page byte-identical to --no-cache", results["page_cache_identical"], "True",
         results["page_cache_identical"]),
        *[(f"cold {name} <= 0.6 s (import pandas: {q['import_pandas']['wall_s']} s)", q[name]["wall_s"], "<= 0.6 s",
           q[name]["wall_s"] <= 0.6) for q in [results["questions"]] for name in QUESTIONS],
        ("browser time to drawn <= 1 s (default map)", results["browser_ms"]["default"], "<= 1000 ms",
         results["browser_ms"]["default"] is not None and results["browser_ms"]["default"] <= 1000),
        ("100k-point overlay renders in <= 10 s", o100k["render"]["wall_s"], "<= 10 s", o100k["render"]["wall_s"] <= 10),
        ("100k-point overlay opens in <= 3 s", o100k["browser_ms"], "<= 3000 ms",
         o100k["browser_ms"] is not None and o100k["browser_ms"] <= 3000),
        ("1M points: pandas and dask counts identical", big["engines_identical"], "True", big["engines_identical"]),
    ]
    results["budgets"] = [{"budget": b, "value": v, "limit": lim, "pass": bool(ok)} for b, v, lim, ok in checks]
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_table(results)
    return 0 if all(c["pass"] for c in results["budgets"]) else 1


def print_table(r: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if r.get("quick"):
        console.print("--quick: speed measured now; sizes, browser, export and overlays are from the last full run")
    t = Table(title="hunan-map vs naive explore() baseline")
    for col in ("measure", "hunan-map", "baseline", "ratio"):
        t.add_column(col)
    ratio = lambda a, b: f"{a / b:.2f}" if a and b else "-"  # noqa: E731
    t.add_row("cold render wall (s)", str(r["render"]["wall_s"]), str(r["baseline"]["wall_s"]),
              ratio(r["render"]["wall_s"], r["baseline"]["wall_s"]))
    t.add_row("cold render --no-cache wall (s)", str(r["render_no_cache"]["wall_s"]), str(r["baseline"]["wall_s"]),
              ratio(r["render_no_cache"]["wall_s"], r["baseline"]["wall_s"]))
    q = r["questions"]
    for name in QUESTIONS:
        t.add_row(f"cold {name} wall (s) cached / --no-cache", f"{q[name]['wall_s']} / {q[name + '_no_cache']['wall_s']}",
                  f"import pandas {q['import_pandas']['wall_s']}", ratio(q[name]["wall_s"], q["import_pandas"]["wall_s"]))
    t.add_row("cold render peak memory (MB)", str(r["render"]["peak_mb"]), str(r["baseline"]["peak_mb"]),
              ratio(r["render"]["peak_mb"], r["baseline"]["peak_mb"]))
    t.add_row("export all to GeoPackage wall (s) / peak (MB)", f"{r['export_all']['wall_s']} / {r['export_all']['peak_mb']}", "-", "-")
    t.add_row("HTML size, default map (MB)", str(r["html_mb"]["default"]), str(r["html_mb"]["baseline"]),
              ratio(r["html_mb"]["default"], r["html_mb"]["baseline"]))
    t.add_row("HTML size, every layer on (MB)", str(r["html_mb"]["all_layers"]), str(r["html_mb"]["baseline"]),
              ratio(r["html_mb"]["all_layers"], r["html_mb"]["baseline"]))
    t.add_row("browser time to drawn, default (ms)", str(r["browser_ms"]["default"]), str(r["browser_ms"]["baseline"]),
              ratio(r["browser_ms"]["default"], r["browser_ms"]["baseline"]))
    t.add_row("browser time to drawn, every layer on (ms)", str(r["browser_ms"]["all_layers"]),
              str(r["browser_ms"]["baseline"]), ratio(r["browser_ms"]["all_layers"], r["browser_ms"]["baseline"]))
    for o in r["overlays"]:
        if "render" in o:
            t.add_row(f"overlay {o['points']:,} points: join s / render s / HTML MB / browser ms",
                      f"{o['join_s']} / {o['render']['wall_s']} / {o['html_mb']} / {o['browser_ms']}", "-", "-")
        else:
            for e in ("pandas", "dask"):
                t.add_row(f"overlay {o['points']:,} points ({e}): aggregate s / render s / HTML MB / browser ms",
                          f"{o[f'aggregate_{e}_s']} / {o[f'render_{e}']['wall_s']} / {o[f'html_mb_{e}']} / "
                          f"{o[f'browser_ms_{e}']}", "-", "-")
    console.print(t)
    b = Table(title="budgets")
    for col in ("budget", "value", "limit", "result"):
        b.add_column(col)
    for c in r["budgets"]:
        b.add_row(c["budget"], str(c["value"]), c["limit"], "PASS" if c["pass"] else "FAIL")
    console.print(b)


if __name__ == "__main__":
    raise SystemExit(main())
