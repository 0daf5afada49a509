"""Hostile text in every field that reaches the page: it shows literally and never runs.

A fixed corpus of payloads (Jinja, HTML, script, javascript: URLs, JSON breakers, bidi and
zero-width characters, very long strings) goes into an overlay's cells and column names and into
the text columns of every knowledge-base table; the page is rendered, opened in headless Chromium
and every popup, tooltip, list and the search box are exercised.
"""

from __future__ import annotations

import csv
import json
import re
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hunan_map.layers.kb import default_data_dir
from hunan_map.maps.payload import dumps, embed

PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{7*7}}",
    "A{{TODO}}B",
    "{% for x in range(3) %}x{% endfor %}",
    "{# comment #}",
    "<img src=x onerror=\"window.pwned=1\">",
    "<script>window.pwned=2</script>",
    "<svg onload=alert(3)>",
    "javascript:alert(4)",
    "</script><script>window.pwned=5</script>",
    "<!-- <script>",
    "\"'`;--",
    "\u202egnp.exe\u200b\u2066x\u2069",
    "line\u2028sep\u2029para",
    "长" * 3000,
]


def _corrupt_free_text(data_dir, tag: str) -> dict[str, str]:
    """Put a payload (made unique per row) into the free-text columns of every table; returns a few
    of the strings that must show on the page, by where they should show."""
    import pandas as pd

    columns = {
        "sources.csv": ["title", "title_en", "short_title", "short_title_en", "note"],
        "industries.csv": ["name_en", "note"],
        "parks.csv": ["name", "name_en", "full_name", "basis", "external"],
        "clusters.csv": ["name", "name_en"],
        "layouts.csv": ["name", "name_en"],
        "layout_parts.csv": ["name", "name_en"],
        "park_industries.csv": ["note"],
        "industry_tiers.csv": ["name_in_source", "target_note"],
        "industry_trees.csv": ["name_in_source"],
        "targets.csv": ["note"],
        "coverage.csv": ["topic"],
    }
    shown = {}
    for name, cols in columns.items():
        df = pd.read_csv(data_dir / name, dtype=str, keep_default_na=False)
        for col in cols:
            df[col] = [f"{PAYLOADS[i % len(PAYLOADS)][:200]}#{tag}{i}" for i in range(len(df))]
        if name == "parks.csv":
            shown["park"] = df["name"].iloc[0]
        if name == "layouts.csv":
            shown["layout"] = df["name"].iloc[0]
        if name == "sources.csv":
            shown["source"] = df["short_title"].iloc[0]
        df.to_csv(data_dir / name, index=False)
    return shown


@pytest.fixture(scope="module")
def hostile_kb(tmp_path_factory):
    d = tmp_path_factory.mktemp("kb") / "data"
    shutil.copytree(default_data_dir(), d, ignore=shutil.ignore_patterns("*.md", "__pycache__"))
    shown = _corrupt_free_text(d, "k")
    return d, shown


def test_hostile_knowledge_base_is_still_valid_data(invoke, hostile_kb):
    d, _ = hostile_kb
    res = invoke("validate", "--data", d)
    assert res.exit_code == 0, res.output


def test_templates_never_evaluate_data(invoke, hostile_kb, tmp_path):
    d, shown = hostile_kb
    out = tmp_path / "kb.html"
    res = invoke("render", "--data", d, "--tiles", "none", "-o", out)
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "uid=" not in html                     # no command ran
    data = json.loads(re.search(r'id="hunan-data">(.*?)</script>', html, re.S).group(1))
    text = json.dumps(data, ensure_ascii=False)
    assert "{{7*7}}" in text and "A{{TODO}}B" in text  # literal, not 49 / AB
    assert "<script>window.pwned" not in html and "<img src=x" not in html


@pytest.mark.browser
def test_hostile_knowledge_base_page_shows_text_and_runs_nothing(invoke, hostile_kb, tmp_path, open_page):
    d, shown = hostile_kb
    out = tmp_path / "kb.html"
    assert invoke("render", "--data", d, "--tiles", "none", "--show-all", "-o", out).exit_code == 0
    page, messages, _ = open_page(out)
    dialogs = []
    page.on("dialog", lambda dlg: (dialogs.append(dlg.message), dlg.dismiss()))
    popups = page.evaluate("""() => { const out = [];
        window.hunanMap.items.forEach(it => { if (it.spec.type === 'admin') return;
            const l = it.layer; if (!l) return; l.openPopup(l.getLatLng ? l.getLatLng() : l.getBounds().getCenter());
            const all = document.querySelectorAll('.leaflet-popup-content');
            if (all.length) out.push(all[all.length - 1].textContent); });
        return out; }""")
    page.fill("#hunan-search", PAYLOADS[5][:12])
    page.fill("#hunan-search", "{{7*7}}")
    page.select_option("#hunan-industry", index=1)
    page.evaluate("window.hunanMap.layers.forEach(e => window.hunanMap.setLayer(e.spec.id, !e.on))")
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.evaluate("window.pwned === undefined")
    assert [m for m in messages if m[0] == "pageerror"] == []
    joined = "\n".join(popups)
    assert shown["park"] in joined                        # a park's hostile name, literally
    assert shown["source"].split("#")[0][:40] in joined   # a source's hostile title in the citations
    assert shown["layout"] in page.text_content(".hm-layers")
    assert page.evaluate("document.querySelectorAll('.leaflet-popup-content img, .hm-layers img, svg script').length") == 0


@pytest.mark.browser
def test_hostile_overlay_cells_and_column_names(invoke, tmp_path, open_page):
    path = tmp_path / "firms.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "lon", "lat", "<b onmouseover=alert(9)>{{7*7}}</b>"])
        for i, p in enumerate(PAYLOADS):
            w.writerow([p, 112.9 + i * 0.01, 28.2, p])
    out = tmp_path / "ov.html"
    res = invoke("render", "--overlay", path, "--tiles", "none", "-o", out)
    assert res.exit_code == 0, res.output
    page, messages, _ = open_page(out)
    dialogs = []
    page.on("dialog", lambda dlg: (dialogs.append(dlg.message), dlg.dismiss()))
    texts = page.evaluate("""() => { const e = window.hunanMap.layers.find(x => x.spec.id === 'overlay');
        const out = []; e.group.eachLayer(l => { l.openPopup(l.getLayers()[0].getLatLng());
        const all = document.querySelectorAll('.leaflet-popup-content'); out.push(all[all.length - 1].textContent); });
        return out; }""")
    page.wait_for_timeout(300)
    assert dialogs == [] and page.evaluate("window.pwned === undefined")
    joined = "\n".join(texts)
    for p in PAYLOADS:
        assert p in joined, p[:40]
    assert "<b onmouseover=alert(9)>{{7*7}}</b>" in joined  # the column name, as text


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_embedded_json_round_trips_and_cannot_break_out(text):
    element = embed({"s": text, "k": [text]})
    body = element[len('<script type="application/json" id="hunan-data">'):-len("</script>")]
    assert "<" not in body and ">" not in body and "\u2028" not in body and "\u2029" not in body
    assert json.loads(body) == {"s": text, "k": [text]}
    assert dumps({"s": text}).count("</") == 0
