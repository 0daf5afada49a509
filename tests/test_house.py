"""The shape of the code: small modules, one-way imports (geo <- layers <- maps <- cli; inside layers
kb <- match <- builders <- analysis/reports, io depending on no builder), one-line docstrings."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Stage of each folder (package path -> rank); an import may only go to an equal or lower rank.
STAGES = {"geo": 0, "layers": 1, "maps": 2, "cli": 3}
#: Inside layers: module (dotted under hunan_map.layers) -> the layers modules it must not import.
LOWER_THAN_BUILDERS = ("builders", "areas", "_columns", "analysis", "reports", "overlay_join", "context")


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return {m for m in out if m.startswith("hunan_map.")}


@pytest.mark.parametrize("folder", ["geo", "layers", "maps", "cli"])
def test_modules_are_small_and_say_what_they_do(folder):
    for path in _modules(folder):
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 450, f"{path.relative_to(ROOT)} has more than 450 lines"
        doc = ast.get_docstring(ast.parse(text))
        assert doc and doc.strip(), f"{path.relative_to(ROOT)} has no module docstring"


def test_imports_go_one_way_between_stages():
    for folder, rank in STAGES.items():
        for path in _modules(folder):
            for mod in _imports(path):
                stage = mod.split(".")[1]
                assert STAGES.get(stage, 0) <= rank, f"{path.relative_to(ROOT)} imports {mod} (a later stage)"


def test_knowledge_base_and_io_import_no_builder():
    for sub in ("layers/kb", "layers/io"):
        for path in _modules(sub):
            for mod in _imports(path):
                parts = mod.split(".")
                assert not (len(parts) > 2 and parts[1] == "layers" and parts[2] in (*LOWER_THAN_BUILDERS, "match")), \
                    f"{path.relative_to(ROOT)} imports {mod}"
    for mod in _imports(ROOT / "layers" / "match.py"):
        parts = mod.split(".")
        assert not (len(parts) > 2 and parts[2] in LOWER_THAN_BUILDERS), f"layers/match.py imports {mod}"


def test_only_the_match_module_expands_industries():
    for path in [*_modules("layers"), *_modules("maps"), *_modules("cli")]:
        rel = path.relative_to(ROOT).as_posix()
        if rel in ("layers/match.py", "layers/kb/taxonomy.py"):
            continue
        text = path.read_text(encoding="utf-8")
        assert ".expand(" not in text and ".broader(" not in text, f"{rel} expands industries itself"


def test_page_script_files_say_what_they_draw_and_join_in_order():
    from hunan_map.maps.render import page_script

    folder = ROOT / "maps" / "js" / "page"
    files = sorted(folder.glob("*.js"))
    assert len(files) >= 5
    for f in files:
        assert f.read_text(encoding="utf-8").startswith("// "), f.name
    script = page_script()
    assert script.startswith("// hunan-map page script") and script.rstrip().endswith("})();")
    assert "this header is not" not in script
