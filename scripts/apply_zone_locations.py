"""zone_locations.csv in, parks.csv's location columns (lon, lat, precision, basis) of catalogue zones out.

Usage: python scripts/apply_zone_locations.py [DATA_DIR]   (default: layers/kb/data)

Each park with a ``catalogue_code`` takes its zone's first site: the point and precision, and as
basis the place's name. A zone still at ``county``/``prefecture`` precision keeps an empty point
(it is drawn at the seat) and its basis; an ``approximate`` one keeps its basis. Only those four
cells change, row by row, so the rest of the file stays byte-identical.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1] / "layers" / "kb" / "data"


def main(data_dir: Path) -> None:
    with (data_dir / "zone_locations.csv").open(encoding="utf-8", newline="") as fh:
        first = {r["catalogue_code"]: r for r in csv.DictReader(fh) if r["seq"] == "1"}
    path = data_dir / "parks.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    changed = 0
    out = [lines[0]]
    for line in lines[1:]:
        cells = next(csv.reader([line]))
        row = dict(zip(header, cells))
        site = first.get(row.get("catalogue_code", ""))
        if site:
            new = dict(row, precision=site["precision"])
            if site["precision"] in ("county", "prefecture"):
                new.update(lon="", lat="")
            else:
                new.update(lon=site["lon"].rstrip("0").rstrip("."), lat=site["lat"].rstrip("0").rstrip("."))
                if site["precision"] != "approximate":
                    new["basis"] = site["place"]
            if new != row:
                buf = io.StringIO()
                csv.writer(buf, lineterminator=line[len(line.rstrip("\r\n")):] or "\n").writerow(
                    [new[c] for c in header])
                line = buf.getvalue()
                changed += 1
        out.append(line)
    path.write_text("".join(out), encoding="utf-8")
    print(f"{changed} parks updated in {path}", file=sys.stderr)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
