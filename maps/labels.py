"""Interface words of the map in Chinese and English: labels, kinds, levels, roles, precision, citations.

Every word the page shows that is not a name from the data comes from here, so each page
is in one language throughout (tested by scanning each page for the other script).
"""

from __future__ import annotations

import re
from typing import Any

TIER_ORDER = ("traditional", "advantage", "emerging", "future", "potential", "special", "pillar", "new_support")

LABELS: dict[str, dict[str, Any]] = {
    "zh": {
        "title": "湖南产业政策地图", "admin": "行政区划", "prefectures": "市州", "counties": "区县",
        "clusters": "产业集群", "parks": "园区", "platforms": "平台与站点", "catalogue": "开发区（2018年目录）",
        "parks_group": "园区与平台", "zones": "区域", "corridors": "通道", "layers": "图层",
        "allIndustries": "全部产业", "allTiers": "全部层级", "allSources": "全部出处", "allRoles": "全部角色",
        "allPolicy": "全部规划文件", "catalogueSource": "2018年开发区目录", "broader": "含上位及相关产业",
        "match_how": "匹配方式", "all_facts": "全部事实", "own_facts": "本身", "inherited": "经布局和集群继承",
        "catalogue_entry": "2018年目录", "close": "关闭", "compare_docs": "文件对比", "by_plans": "规划", "by_catalogue": "仅目录", "cmp_pick": "选择文件…",
        "cmp_a": "仅前者", "cmp_b": "仅后者", "cmp_both": "两者", "cmp_none": "未提及", "step_docs": "逐一查看各文件",
        "match_kinds": {"exact": "本产业", "narrower": "下位产业", "layout": "布局继承",
                                               "catalogue": "目录主导产业", "broader": "上位或相关产业"},
        "search": "搜索园区、平台、集群、区域、市县…", "industries": "产业", "sources": "出处", "where": "所在地",
        "kind": "类型", "level": "级别", "members": "成员", "route": "途经", "legend": "图例", "location": "位置",
        "schematic": "示意范围", "layout_industries": "所在布局的重点产业", "results": "结果列表",
        "download": "下载CSV", "reset": "清除筛选", "filter": "筛选", "no_tier": "无层级", "my_data": "我的数据",
        "my_data_agg": "我的数据（汇总）", "hexagons": "六边形", "count": "数量", "link": "复制链接",
        "copied": "链接已复制", "nothing": "没有符合条件的要素", "nearest": "可以试试",
        "counts": {"parks": "个园区", "platforms": "个平台", "clusters": "个集群", "zones": "个区域",
                   "corridors": "条通道", "catalogue": "个开发区", "overlay": "条我的数据"},
        "counts_one": {"parks": "个园区", "platforms": "个平台", "clusters": "个集群", "zones": "个区域",
                       "corridors": "条通道", "catalogue": "个开发区", "overlay": "条我的数据"},
        "code": "代码", "pick_industry": "输入产业名、拼音、首字母或英文筛选…", "pick_list": "输入筛选…",
        "no_match": "没有匹配项", "more_here": "此处共 {n} 项", "near_park_within": "附近园区（{km} 公里内）",
        "near_km": "距园区（公里）",
        "overlay_cols": {"line": "行号", "county": "所在区县", "county_adcode": "区县代码",
                         "prefecture_adcode": "市州代码", "zones": "所在区域", "near_park": "附近园区",
                         "near_park_km": "距园区（公里）"},
        "matched": "符合筛选", "not_matched": "不符合筛选", "industry_colours": "按产业着色",
        "csv": ["名称", "类别", "所在地", "角色", "匹配方式", "出处"],
        "kinds": {"park": "园区", "platform": "平台", "cluster": "集群", "zone": "区域", "corridor": "通道",
                  "prefecture": "市州", "county": "区县", "catalogue": "开发区", "compare": "规划与目录对照",
                  "overlay": "我的数据"},
        "tiers": {"traditional": "传统产业", "advantage": "优势产业", "emerging": "新兴产业",
                  "future": "未来产业", "potential": "潜力赛道", "special": "特色产业",
                  "pillar": "支柱产业", "new_support": "新支撑产业"},
        "roles": {"core_carrier": "核心载体", "carrier": "载体", "relied_on": "依托", "lead": "牵头",
                  "named_focus": "重点", "member": "集群成员", "focus": "重点产业", "transfer": "承接产业",
                  "layout_focus": "布局重点", "cluster_industry": "集群产业", "catalogue_lead": "主导产业（目录）"},
        "levels": {"national": "国家级", "provincial": "省级", "other": "其他",
                   "world_class_target": "世界级（目标）", "national_amc": "国家先进制造业集群",
                   "national_sei": "国家战略性新兴产业集群", "national_target": "国家级（目标）",
                   "characteristic": "特色集群", "sme_characteristic": "中小企业特色产业集群"},
        "precision": {"exact": "精确位置", "approximate": "园区主要片区（近似）",
                      "site": "园区所在地（有依据）", "town": "所在乡镇（有依据，乡镇中心点）",
                      "seat": "县城（有依据）",
                      "county": "县（区）政府驻地（近似）", "prefecture": "市州政府驻地（近似）",
                      "province": "全省（无具体位置）"},
        "evidence": "位置依据", "strength": {"strong": "依据较强", "weak": "依据较弱，请核实"},
        "external": "外部资料", "at_seat": "政府驻地或县城",
        "same_place": "同一位置另有 {n} 项", "changes": "后续变化", "compare": "规划与目录对照", "plan_only": "规划布局、目录未列为主导产业",
        "catalogue_only": "目录主导产业、规划未提及", "both": "规划与目录一致", "targets": "目标",
        "metrics": {"revenue": "营业收入", "scale": "产业规模", "output_value": "产值", "added_value": "增加值",
                    "count": "数量", "park_count": "园区数", "cluster_count": "集群数",
                    "enterprise_count": "企业数", "new_enterprise_count": "新增企业数"},
    },
    "en": {
        "title": "Hunan industrial policy map", "admin": "Administrative", "prefectures": "Prefectures",
        "counties": "Counties", "clusters": "Clusters", "parks": "Parks", "platforms": "Platforms and sites",
        "catalogue": "Development zones (2018 catalogue)", "parks_group": "Parks and platforms",
        "zones": "zones", "corridors": "corridors", "layers": "Layers",
        "allIndustries": "All industries", "allTiers": "All tiers", "allSources": "All sources",
        "allPolicy": "All policy documents", "catalogueSource": "2018 development-zone catalogue",
        "broader": "Include broader and related industries", "match_how": "How it matched", "all_facts": "All facts",
        "own_facts": "Its own", "inherited": "Inherited through layouts and clusters",
        "catalogue_entry": "2018 catalogue", "close": "Close", "compare_docs": "Compare documents", "by_plans": "by plans",
        "by_catalogue": "catalogue only",
        "cmp_pick": "Pick a document…", "cmp_a": "only the first", "cmp_b": "only the second", "cmp_both": "both",
        "cmp_none": "not named", "step_docs": "Step through the documents",
        "match_kinds": {"exact": "this industry", "narrower": "a sub-industry", "layout": "via a layout",
                        "catalogue": "catalogue lead industry", "broader": "broader or related industry"},
        "allRoles": "All roles", "search": "Find a park, platform, cluster, zone, place…",
        "industries": "Industries", "sources": "Sources", "where": "Place", "kind": "Kind", "level": "Level",
        "members": "Members", "route": "Route", "legend": "Legend", "location": "Location",
        "schematic": "schematic extent", "layout_industries": "Focus industries of its layouts",
        "results": "Results", "download": "Download CSV", "reset": "Clear filters", "filter": "Filter",
        "no_tier": "no tier", "my_data": "My data", "my_data_agg": "My data (aggregated)",
        "hexagons": "hexagons", "count": "count", "link": "Copy link", "copied": "Link copied",
        "nothing": "Nothing matches", "nearest": "Try",
        "counts": {"parks": "parks", "platforms": "platforms", "clusters": "clusters", "zones": "zones",
                   "corridors": "corridors", "catalogue": "development zones", "overlay": "rows of my data"},
        "counts_one": {"parks": "park", "platforms": "platform", "clusters": "cluster", "zones": "zone",
                       "corridors": "corridor", "catalogue": "development zone", "overlay": "row of my data"},
        "code": "code", "pick_industry": "Type a name, pinyin, initials or English…", "pick_list": "Type to filter…",
        "no_match": "No match", "more_here": "{n} at this place", "near_park_within": "nearest park (within {km} km)",
        "near_km": "distance to park (km)",
        "overlay_cols": {"line": "line in file", "county": "county (by location)", "county_adcode": "county code",
                         "prefecture_adcode": "prefecture code", "zones": "layout zones", "near_park": "nearest park",
                         "near_park_km": "distance to park (km)"},
        "matched": "matches the filter", "not_matched": "does not match the filter",
        "industry_colours": "coloured by industry",
        "csv": ["name", "kind", "place", "roles", "matched", "sources"],
        "kinds": {"park": "park", "platform": "platform", "cluster": "cluster", "zone": "zone",
                  "corridor": "corridor", "prefecture": "prefecture", "county": "county",
                  "catalogue": "development zone", "compare": "plans vs catalogue", "overlay": "my data"},
        "tiers": {"traditional": "Traditional", "advantage": "Advantage", "emerging": "Emerging",
                  "future": "Future", "potential": "Potential track", "special": "Special",
                  "pillar": "Pillar", "new_support": "New support"},
        "roles": {"core_carrier": "core carrier", "carrier": "carrier", "relied_on": "relied-on base",
                  "lead": "lead", "named_focus": "named focus", "member": "cluster member", "focus": "focus",
                  "transfer": "to attract by transfer", "layout_focus": "layout focus",
                  "cluster_industry": "cluster industry", "catalogue_lead": "lead industry (catalogue)"},
        "levels": {"national": "national", "provincial": "provincial", "other": "other",
                   "world_class_target": "world-class (target)",
                   "national_amc": "national advanced manufacturing cluster",
                   "national_sei": "national strategic emerging industry cluster",
                   "national_target": "national (target)", "characteristic": "characteristic",
                   "sme_characteristic": "SME characteristic cluster"},
        "precision": {"exact": "exact", "approximate": "park main area (approximate)",
                      "site": "zone site (cited)", "town": "town (cited; town centre point)",
                      "seat": "county town (cited)",
                      "county": "county seat (approximate)", "prefecture": "prefecture seat (approximate)",
                      "province": "province-wide (no place)"},
        "evidence": "Location evidence", "strength": {"strong": "strong evidence", "weak": "weak evidence, check it"},
        "external": "external", "at_seat": "at a seat of government or county town",
        "same_place": "{n} more at this place", "changes": "Later changes", "compare": "Plans vs 2018 catalogue", "plan_only": "in plans, not a lead industry of its zones",
        "catalogue_only": "lead industry of a zone, in no plan", "both": "in plans and the catalogue",
        "targets": "Targets",
        "metrics": {"revenue": "revenue", "scale": "scale", "output_value": "output value",
                    "added_value": "added value", "count": "count", "park_count": "parks",
                    "cluster_count": "clusters", "enterprise_count": "enterprises",
                    "new_enterprise_count": "new enterprises"},
    },
}

#: Park kinds in English (the data writes development-zone kinds in Chinese).
KIND_EN = {
    "高新区": "hi-tech zone", "经开区": "economic and technological development zone",
    "经济开发区": "economic development zone", "工业园区": "industrial park", "工业园": "industrial park",
    "综合保税区": "comprehensive bonded zone", "出口加工区": "export processing zone",
    "保税物流中心": "bonded logistics centre", "自贸试验区": "pilot free trade zone", "科技园": "science park",
}
#: Other kinds in Chinese (the data writes them in English).
KIND_ZH = {
    "platform": "平台", "airport": "机场", "port": "港口", "laboratory": "实验室", "institute": "研究院",
    "base": "基地", "centre": "中心", "hub": "枢纽", "pilot_zone": "试点（先导）区",
    "demonstration_zone": "示范区", "new_area": "新区", "designation": "称号（目标）",
}

#: Chinese glosses of the phrases external citations are written with (longest first).
_EXTERNAL_ZH = [
    ("China Development Zone Audit Announcement Catalogue (2018 edition)", "《中国开发区审核公告目录》（2018年版）"),
    ("park list of the", "园区名录："), ("for full name and level", "（全称与级别）"),
    ("location from OpenStreetMap", "位置取自 OpenStreetMap"), ("OpenStreetMap", "OpenStreetMap"),
    ("Hunan four regional blocks", "湖南四大区域板块"), ("as defined in the", "，见"),
    ("Hunan 14th Five-Year plan outline", "湖南省“十四五”规划纲要"),
    ("seat location", "政府驻地位置"), ("approximate", "近似"), ("schematic", "示意"),
    ("route follows the", "线路沿"), ("through Hunan", "经湖南"), ("railway", "铁路"),
    ("expressway", "高速公路"), ("and the", "及"), ("sited in", "位于"), ("Changsha", "长沙"),
]


def kind_label(kind: str, lang: str) -> str:
    """A park kind in the page's language."""
    if lang == "en":
        return KIND_EN.get(kind, kind.replace("_", " "))
    return KIND_ZH.get(kind, kind)


def precision_label(precision: str, lang: str) -> str:
    """How precise a point is, in words."""
    return LABELS[lang]["precision"].get(precision, precision)


def evidence_label(evidence: str, strength: str, source: str, lang: str) -> str:
    """A zone site's evidence as one popup line: how strong it is first, then what and where.

    The English page shows our sentence (English around the Chinese names it quotes) and the
    source; the Chinese page shows the strength and the source's addresses and Chinese titles
    (the sentence is English). An empty string when there is no evidence.
    """
    if not evidence:
        return ""
    word = LABELS[lang]["strength"].get(strength, "")
    if lang == "en":
        return " ".join(x for x in [f"{word}:" if word else "", evidence, f"— {source}" if source else ""] if x)
    where = []
    for part in filter(None, (p.strip() for p in source.split(";"))):
        head, _, title = part.partition(" (")
        if head.startswith(("http://", "https://")):
            where.append(head + (f"（{title.rstrip(')')}）" if title and not re.search("[A-Za-z]{3,}", title) else ""))
        elif not re.search("[A-Za-z]{3,}", head):
            where.append(head)
    return "；".join(x for x in [word, "来源：" + " ".join(where) if where else ""] if x)


def role_label(role: str, lang: str) -> str:
    """A role (core_carrier …) in the page's language."""
    return LABELS[lang]["roles"].get(role, role.replace("_", " "))


def external_label(citation: str, lang: str, glosses: dict[str, str] | None = None) -> str:
    """An external citation with its ``external:`` prefix said once, in the page's language.

    The citations are written in English; the Chinese page shows the gloss from
    ``external_glosses.csv`` (or, for a citation without one, a gloss made of known phrases).
    """
    if lang == "zh" and glosses:
        bare = citation.strip()
        while bare.lower().startswith("external"):
            bare = bare[len("external"):].lstrip(" :：")
        for key in (citation, bare, f"external: {bare}"):
            if key in glosses:
                return f"外部资料：{glosses[key]}"
    text = citation.strip()
    while text.lower().startswith("external"):
        text = text[len("external"):].lstrip(" :：")
    if lang == "en":
        return f"external: {text}" if text else "external"
    for en, zh in _EXTERNAL_ZH:
        text = text.replace(en, zh)
    return f"外部资料：{text}" if text else "外部资料"


def source_label(cite: str, ctx, lang: str) -> str:
    """A citation ``"<source id> <section>"`` as the source's short title, year and section."""
    src, _, section = cite.partition(" ")
    if src.rstrip(":：") == "external":
        return external_label(section, lang, ctx.kb.glosses)
    if src in ctx.kb.source_titles:
        zh, en, year = ctx.kb.source_titles[src]
        title = en if lang == "en" else zh
        if str(year) not in title:  # a title that names its year is not followed by it again
            title = f"{title} ({year})"
        if CATALOGUE_CODE.fullmatch(section or ""):
            return f"{title} {LABELS[lang]['code']} {section}"
        return f"{title} {section_en(section)}".strip() if lang == "en" else f"{title} {section}".strip()
    return cite


#: A zone's code in the 2018 catalogue (G432033, S431234): cited as a code, not a section.
CATALOGUE_CODE = re.compile(r"[GS]\d{6}")

_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _numeral(text: str) -> str:
    """A Chinese numeral up to 99 as digits (十一 -> 11, 二十 -> 20)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return str((_NUM.get(tens, 1) if tens else 1) * 10 + (_NUM.get(ones, 0) if ones else 0))
    return str(_NUM[text])


def section_en(section: str) -> str:
    """A document's section numbering for English readers: 四(一) 专栏4-1 -> section 4(1) box 4-1."""
    if not section:
        return section
    out = re.sub(r"[一二三四五六七八九十]+", lambda m: _numeral(m.group(0)), section)
    out = out.replace("专栏", "box ").replace("附件", "annex ").replace("前言", "preamble").replace("（", "(").replace("）", ")")
    return f"section {out}"
