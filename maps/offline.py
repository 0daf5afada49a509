"""Offline pages: an HTML page in, the same page with its CDN scripts and styles inlined out.

The assets come from the ``folium-offline`` package, which ships folium's CDN files in a
resource map keyed by their URLs (``offlinefolium.elements._res``).
"""

from __future__ import annotations

import re

from hunan_map.geo.errors import HunanMapError

_SCRIPT = re.compile(r'<script src="(?P<url>https?://[^"]+)"></script>')
_LINK = re.compile(r'<link rel="stylesheet" href="(?P<url>https?://[^"]+)"/>')


def _resources() -> dict[str, str]:
    from offlinefolium.elements import _res

    return _res


def inline_assets(html: str) -> str:
    """Replace every ``<script src>`` and stylesheet ``<link>`` of a CDN URL by its content.

    Raises
    ------
    HunanMapError
        When an asset is not in the resource map (the page would need the network).
    """
    res = _resources()
    missing: list[str] = []

    def script(match: re.Match) -> str:
        url = match.group("url")
        if url not in res:
            missing.append(url)
            return match.group(0)
        return "<script>" + res[url].replace("</script", "<\\/script") + "</script>"

    def style(match: re.Match) -> str:
        url = match.group("url")
        if url not in res:
            missing.append(url)
            return match.group(0)
        return "<style>" + res[url] + "</style>"

    out = _LINK.sub(style, _SCRIPT.sub(script, html))
    if missing:
        raise HunanMapError("cannot make the page offline: no bundled copy of " + ", ".join(missing)
                            + "; drop --offline or report this asset")
    return out
