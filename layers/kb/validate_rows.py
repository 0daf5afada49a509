"""Row-level checks of the knowledge base: tables in, problems out (identical rows, one row per
official name or catalogue code, the sources' own wording of an industry)."""

from __future__ import annotations

import pandas as pd

from hunan_map.geo.gazetteer import normalize
from hunan_map.layers.kb import KnowledgeBase
from hunan_map.layers.kb.taxonomy import split_list


def check_unique_entities(kb: KnowledgeBase, rep) -> None:
    """One parks row per official name (``full_name``) and per 2018 catalogue code: the same zone
    named by a document and listed by the catalogue is one row with the catalogue code."""
    parks = kb.parks
    for column, what in (("full_name", "official name"), ("catalogue_code", "catalogue code")):
        seen: dict[str, tuple[int, str]] = {}
        for line, pid, value in zip(parks["csv_line"], parks["id"], parks[column]):
            key = normalize(value) if column == "full_name" else value.strip()
            if not key:
                continue
            if key in seen:
                row, other = seen[key]
                rep.add("parks", line, column, f"{what} {value!r} is also that of park {other!r} (row {row})",
                        "merge the two rows into one (keep one id, repoint every reference to it, keep the "
                        "other names as aliases)")
            else:
                seen[key] = (line, pid)


def _forms(industries: pd.DataFrame) -> dict[str, set[str]]:
    """Industry id -> the normalized forms (id, name, English name, aliases) that resolve to it."""
    return {row.id: {normalize(f) for f in [row.id, row.name, row.name_en, *split_list(row.aliases)] if f}
            for row in industries.itertuples(index=False)}


def check_wording(kb: KnowledgeBase, rep) -> None:
    """``wording`` and ``relation`` of park_industries: every catalogue lead has its words; ``same``
    means the words are the industry's name or an alias (so a query by them finds the fact);
    ``part_of`` has a row for each part (at least two); ``broader`` only when no industry has the words."""
    pi = kb.park_industries
    forms = _forms(kb.industries)
    owner = {f: ind for ind, fs in forms.items() for f in fs}
    key_cols = ["park", "role", "source", "section", "wording"]
    parts = pi[pi["relation"] == "part_of"].groupby(key_cols)["industry"].nunique().to_dict()
    for row in pi.itertuples(index=False):
        words, rel = row.wording, row.relation
        if row.role == "catalogue_lead" and not words:
            rep.add("park_industries", row.csv_line, "wording", "a catalogue lead industry without its wording",
                    "copy the catalogue's own words for this lead industry into 'wording'")
        if bool(words) != bool(rel):
            col = "relation" if words else "wording"
            rep.add("park_industries", row.csv_line, col, f"{col} is empty while "
                    f"{'wording' if words else 'relation'} is given",
                    "give both (the source's words and how the industry relates to them: same, part_of, broader) "
                    "or neither")
            continue
        key = normalize(words)
        if rel == "same" and row.industry in forms and key not in forms[row.industry]:
            rep.add("park_industries", row.csv_line, "wording",
                    f"{words!r} is not a name or alias of industry {row.industry!r} (relation 'same')",
                    f"add {words!r} to the industry's aliases in industries.csv, or use relation part_of/broader")
        elif rel == "part_of" and parts.get(tuple(getattr(row, c) for c in key_cols), 0) < 2:
            rep.add("park_industries", row.csv_line, "relation",
                    f"{words!r} is mapped to only one part (relation 'part_of')",
                    "add a row for every part of the compound, or use relation same")
        elif rel == "broader" and key in owner:
            rep.add("park_industries", row.csv_line, "relation",
                    f"{words!r} is the name of industry {owner[key]!r}, not something narrower than {row.industry!r}",
                    f"map the row to {owner[key]!r} with relation same")


def check_park_spans(kb: KnowledgeBase, rep, prefectures) -> None:
    """``other_prefecture_adcodes`` (other prefectures a pilot or zone spans, found by ``--place``) are
    prefecture adcodes other than the row's own; ``also_cited`` ("source section; ...") names known
    documents that name the same entity too."""
    pref_codes = set(prefectures["adcode"])
    sources = set(kb.sources["id"])
    for row in kb.parks.itertuples(index=False):
        for code in split_list(row.other_prefecture_adcodes):
            if code not in pref_codes or code == row.prefecture_adcode:
                rep.add("parks", row.csv_line, "other_prefecture_adcodes", f"{code!r} is not another prefecture",
                        "list 6-digit prefecture adcodes (such as 430200) other than prefecture_adcode, separated by ';'")
        for cite in split_list(row.also_cited):
            src, _sp, section = cite.partition(" ")
            if src not in sources or not section.strip():
                rep.add("parks", row.csv_line, "also_cited", f"{cite!r} is not a document and section",
                        f"write 'source section' (source one of {', '.join(sorted(sources))}), separated by ';'")


def check_glosses(kb: KnowledgeBase, rep) -> None:
    """``external_glosses.csv`` (when the data folder has one) reads as two cells a row: a bad row
    would otherwise leave every external note untranslated on Chinese pages."""
    import csv
    from pathlib import Path

    from hunan_map.layers.errors import Problem

    path = Path(kb.data_dir) / "external_glosses.csv"
    if not kb.data_dir or not path.is_file():
        return
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            for cells in reader:
                if cells and len(cells) != 2:
                    rep.problems.append(Problem("external_glosses.csv", reader.line_num, "",
                                                f"the row has {len(cells)} cells, not 2 (en, zh)",
                                                "wrap a cell that contains a comma in double quotes"))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        rep.problems.append(Problem("external_glosses.csv", 0, "", f"cannot read the file ({exc})",
                                    "save it as UTF-8 CSV with two columns, en and zh"))
