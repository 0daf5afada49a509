"""Knowledge base in, the long form out: one row per entity, industry and cited fact.

This is the table every filter and layer is built from: ``entity_type`` (park, cluster, part),
``entity`` (id), ``industry`` (id), ``role`` and the citation (``source``, ``section``). Parks
get industries three ways: stated directly (park_industries), as members of a cluster
(cluster_members) and as named parks of a layout part (part_places; role ``layout_focus``).
"""

from __future__ import annotations

import pandas as pd

from hunan_map.layers.kb import KnowledgeBase

COLUMNS = ["entity_type", "entity", "industry", "role", "source", "section"]


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
    frames.append(pi.assign(entity_type="park")[COLUMNS])

    cm = kb.cluster_members[kb.cluster_members["member_type"] == "park"]
    via_cluster = cm.merge(kb.clusters.loc[kb.clusters["industry"] != "", ["id", "industry"]],
                           left_on="cluster", right_on="id")
    frames.append(via_cluster.rename(columns={"member": "entity"}).assign(entity_type="park")[COLUMNS])

    frames.append(kb.clusters[kb.clusters["industry"] != ""].rename(columns={"id": "entity"})
                  .assign(entity_type="cluster", role="cluster_industry")[COLUMNS])

    pin = kb.part_industries.rename(columns={"part": "entity"}).assign(entity_type="part")
    frames.append(pin[COLUMNS])

    named = kb.part_places[(kb.part_places["place_type"] == "park") & (kb.part_places["role"] == "park")]
    via_part = named[["part", "place"]].merge(kb.part_industries, on="part")
    via_part = via_part.rename(columns={"place": "entity"}).assign(entity_type="park", role="layout_focus")
    frames.append(via_part[COLUMNS])

    out = pd.concat(frames, ignore_index=True)
    return out.drop_duplicates().reset_index(drop=True)
