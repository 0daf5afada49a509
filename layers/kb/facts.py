"""Knowledge base in, the long form out: one row per entity, industry and cited fact.

This is the table every filter and layer is built from: ``entity_type`` (park, cluster, part),
``entity`` (id), ``industry`` (id), ``role``, the citation (``source``, ``section``) and ``wording``
(the source's own words for the industry, where they differ from the taxonomy's name) and ``origin``
(direct: stated for the park; member: as a cluster member; layout: as a park a layout part names;
cluster, part: the cluster's or layout part's own industry). Parks
get industries three ways: stated directly (park_industries), as members of a cluster
(cluster_members) and as named parks of a layout part (part_places; role ``layout_focus``).
"""

from __future__ import annotations

import pandas as pd

from hunan_map.layers.kb import KnowledgeBase

COLUMNS = ["entity_type", "entity", "industry", "role", "source", "section", "wording", "origin"]


def long_form(kb: KnowledgeBase) -> pd.DataFrame:
    """Every (entity, industry) fact with its role and citation.

    Parameters
    ----------
    kb
        The knowledge base.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, deduplicated.
    """
    frames = []
    pi = kb.park_industries.rename(columns={"park": "entity"})
    if "wording" not in pi:
        pi = pi.assign(wording="")
    # the catalogue's own words, for tables that still keep them in ``note``
    legacy = (pi["wording"] == "") & (pi["role"] == "catalogue_lead")
    pi = pi.assign(wording=pi["wording"].where(~legacy, pi["note"] if "note" in pi else ""))
    frames.append(pi.assign(entity_type="park", origin="direct")[COLUMNS])

    cm = kb.cluster_members[kb.cluster_members["member_type"] == "park"]
    via_cluster = cm.merge(kb.clusters.loc[kb.clusters["industry"] != "", ["id", "industry"]],
                           left_on="cluster", right_on="id")
    frames.append(via_cluster.rename(columns={"member": "entity"}).assign(entity_type="park", wording="", origin="member")[COLUMNS])

    frames.append(kb.clusters[kb.clusters["industry"] != ""].rename(columns={"id": "entity"})
                  .assign(entity_type="cluster", role="cluster_industry", wording="", origin="cluster")[COLUMNS])

    pin = kb.part_industries.rename(columns={"part": "entity"}).assign(entity_type="part", wording="", origin="part")
    frames.append(pin[COLUMNS])

    named = kb.part_places[(kb.part_places["place_type"] == "park") & (kb.part_places["role"] == "park")]
    via_part = named[["part", "place"]].merge(kb.part_industries, on="part")
    via_part = via_part.rename(columns={"place": "entity"}).assign(entity_type="park", role="layout_focus", wording="",
                                                                   origin="layout")
    frames.append(via_part[COLUMNS])

    out = pd.concat(frames, ignore_index=True)
    return out.drop_duplicates().reset_index(drop=True)
