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
from citynet.analysis.capacity import capacity_facts, capacity_scores
from citynet.analysis.centrality import centrality
from citynet.analysis.clusters import ClusterResult, cluster_cities, cluster_networks
from citynet.analysis.commitment import overcommitment
from citynet.analysis.eligibility import Eligibility, eligibility
from citynet.analysis.join import (
    JoinReport,
    LeaveReport,
    compare,
    join_check,
    leave_candidates,
    leave_check,
    suggest,
)
from citynet.analysis.load import (
    LoadModel,
    Obligations,
    commitment_breakdown,
    membership_loads,
    obligations_summary,
)
from citynet.analysis.nestedness import NestednessResult, nestedness, nodf
from citynet.analysis.peers import midrank_percentile, peer_groups
from citynet.analysis.timeline import Changes, changes, membership_history, timeline
from citynet.datapackage import datapackage, write_datapackage
from citynet.export.brief import brief_html, write_brief
from citynet.export.formats import to_kumu, write_gexf, write_graphml, write_kumu
from citynet.export.html_map import MapFrame, map_html, show_map, to_pyvis, write_map
from citynet.landscape import Landscape, load, shipped_data_path
from citynet.lookup import UnknownNameError, resolve_city, resolve_network
from citynet.render.words import ordinal
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
    "Eligibility",
    "JoinReport",
    "Landscape",
    "LeaveReport",
    "LoadModel",
    "MapFrame",
    "NestednessResult",
    "NetworkRules",
    "Obligations",
    "Problem",
    "ProjectionTooLargeError",
    "RuleFact",
    "UnknownNameError",
    "__version__",
    "brief_html",
    "capacity_facts",
    "capacity_scores",
    "centrality",
    "changes",
    "cluster_cities",
    "cluster_networks",
    "commitment_breakdown",
    "compare",
    "datapackage",
    "eligibility",
    "fit_bicm",
    "group_engagement",
    "join_check",
    "landscape_report",
    "leave_candidates",
    "leave_check",
    "load",
    "map_html",
    "membership_history",
    "membership_loads",
    "midrank_percentile",
    "nestedness",
    "nodf",
    "obligations_summary",
    "ordinal",
    "overcommitment",
    "peer_groups",
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
    "write_brief",
    "write_datapackage",
    "write_gexf",
    "write_graphml",
    "write_kumu",
    "write_map",
]
