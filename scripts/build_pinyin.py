"""Write ``maps/data/pinyin.csv``: the pinyin of every bundled name the map's search uses.

The map finds places by pinyin and its initials. pypinyin takes half a second to load its phrase
dictionary, so the pinyin of the bundled names is computed once here; names that are not in the
file (a user's ``--data``) are converted at render time. Run after editing the bundled tables
(``tests/test_render.py`` checks the file covers every bundled name):

    python scripts/build_pinyin.py
"""

from __future__ import annotations

import csv
from pathlib import Path

from hunan_map.layers import context
from hunan_map.maps.payload import PINYIN_FILE, pinyin_names, to_pinyin


def main() -> None:
    names = sorted(pinyin_names(context()))
    path = Path(__file__).resolve().parent.parent / "maps" / "data" / PINYIN_FILE
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "pinyin", "initials"])
        for name in names:
            full, initials = to_pinyin(name) or ("", "")
            w.writerow([name, full, initials])
    print(f"wrote {len(names)} names to {path}")


if __name__ == "__main__":
    main()
