"""Nothing in, the map's colours out: tier, platform, cluster and zone colours shared by the page, the PNG and the GIS files' default styles."""

#: Marker colours by tier; a park takes the first of its tiers in this order.
TIER_COLORS = {
    "emerging": "#1f77b4", "advantage": "#d62728", "future": "#9467bd", "special": "#ff7f0e",
    "traditional": "#8c6d31", "potential": "#17becf", "pillar": "#7f7f7f", "new_support": "#2ca02c",
}
NO_TIER_COLOR = "#555555"
PLATFORM_COLOR = "#e377c2"
CATALOGUE_COLOR = "#4d4d4d"
CLUSTER_COLOR = "#ff7f0e"
#: A qualitative palette long enough that no two zones of the map share a colour (Tableau 20 order).
ZONE_PALETTE = [
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4",
    "#b2df8a", "#fb9a99", "#cab2d6", "#6a3d9a", "#b15928", "#8dd3c7", "#bebada", "#fb8072",
    "#80b1d3", "#fdb462", "#b3de69", "#fccde5", "#bc80bd", "#ccebc5", "#ffed6f", "#17becf",
    "#9edae5", "#c49c94", "#dbdb8d", "#f7b6d2", "#c7c7c7", "#aec7e8",
]
