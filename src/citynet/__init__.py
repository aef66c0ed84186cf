"""citynet: graph analytics of city-network membership ("city diplomacy").

Load the shipped, sourced dataset (or your own folder of CSVs) into a validated
:class:`Landscape`, then analyse it.

Examples
--------
>>> import citynet
>>> land = citynet.load()
>>> land.networks.loc["c40", "scope"]
'international'
>>> citynet.join_check(land, "Santiago", "ICLEI").already_member
False
"""

from citynet._errors import CitynetError, DataError, Problem
from citynet._version import __version__
from citynet.analysis.bicm import (
    BiCM,
    ProjectionTooLargeError,
    fit_bicm,
    validated_projection,
)
from citynet.analysis.centrality import centrality
from citynet.analysis.clusters import ClusterResult, cluster_cities, cluster_networks
from citynet.analysis.commitment import (
    LoadModel,
    capacity_facts,
    capacity_scores,
    commitment_breakdown,
    membership_loads,
    ordinal,
    overcommitment,
)
from citynet.analysis.join import JoinReport, join_check, leave_candidates, suggest
from citynet.analysis.nestedness import NestednessResult, nestedness, nodf
from citynet.analysis.timeline import Changes, changes, membership_history, timeline
from citynet.datapackage import datapackage, write_datapackage
from citynet.export.formats import to_kumu, write_gexf, write_graphml, write_kumu
from citynet.export.html_map import MapFrame, map_html, show_map, to_pyvis, write_map
from citynet.landscape import Landscape, load, shipped_data_path
from citynet.lookup import UnknownNameError, resolve_city, resolve_network
from citynet.rules import NetworkRules, RuleFact
from citynet.schema import SCOPES, THEMES
from citynet.summary import group_engagement, landscape_report, summarize
from citynet.validity import this_year
from citynet.wide import read_wide

__all__ = [
    "SCOPES",
    "THEMES",
    "BiCM",
    "Changes",
    "CitynetError",
    "ClusterResult",
    "DataError",
    "JoinReport",
    "Landscape",
    "LoadModel",
    "MapFrame",
    "NestednessResult",
    "NetworkRules",
    "Problem",
    "ProjectionTooLargeError",
    "RuleFact",
    "UnknownNameError",
    "__version__",
    "capacity_facts",
    "capacity_scores",
    "centrality",
    "changes",
    "cluster_cities",
    "cluster_networks",
    "commitment_breakdown",
    "datapackage",
    "fit_bicm",
    "group_engagement",
    "join_check",
    "landscape_report",
    "leave_candidates",
    "load",
    "map_html",
    "membership_history",
    "membership_loads",
    "nestedness",
    "nodf",
    "ordinal",
    "overcommitment",
    "read_wide",
    "resolve_city",
    "resolve_network",
    "shipped_data_path",
    "show_map",
    "suggest",
    "summarize",
    "this_year",
    "timeline",
    "to_kumu",
    "to_pyvis",
    "validated_projection",
    "write_datapackage",
    "write_gexf",
    "write_graphml",
    "write_kumu",
    "write_map",
]
