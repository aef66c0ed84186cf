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
    verdicts,
)
from citynet.analysis.load import (
    LoadModel,
    Obligations,
    commitment_breakdown,
    membership_loads,
    obligations_summary,
)
from citynet.analysis.modules import ModuleResult, barber_modularity, bipartite_modules, lpawb_plus
from citynet.analysis.nestedness import (
    NestednessResult,
    nestedness,
    nestedness_nulls,
    nodf,
    wnodf,
)
from citynet.analysis.nulls import NULLS, null_matrices
from citynet.analysis.peers import midrank_percentile, peer_groups
from citynet.analysis.robustness import Dissolution, attack, dissolve
from citynet.analysis.roles import czvalues, roles
from citynet.analysis.structure import Structure, dprime, h2prime, structure
from citynet.analysis.timeline import Changes, changes, membership_history, timeline
from citynet.datapackage import datapackage, write_datapackage
from citynet.export.brief import brief_html, write_brief
from citynet.export.formats import to_kumu, write_gexf, write_graphml, write_kumu
from citynet.export.html_map import MapFrame, map_html, show_map, to_pyvis, write_map
from citynet.export.site import write_site
from citynet.landscape import Landscape, load, shipped_data_path
from citynet.lookup import UnknownNameError, resolve_city, resolve_network
from citynet.render.words import ordinal
from citynet.rules import NetworkRules, RuleFact
from citynet.schema import SCOPES, THEMES
from citynet.summary import group_engagement, landscape_report, summarize
from citynet.validity import this_year
from citynet.wide import read_wide

__all__ = [
    "NULLS",
    "SCOPES",
    "THEMES",
    "BiCM",
    "Changes",
    "CitynetError",
    "ClusterResult",
    "DataError",
    "Dissolution",
    "Eligibility",
    "JoinReport",
    "Landscape",
    "LeaveReport",
    "LoadModel",
    "MapFrame",
    "ModuleResult",
    "NestednessResult",
    "NetworkRules",
    "Obligations",
    "Problem",
    "ProjectionTooLargeError",
    "RuleFact",
    "Structure",
    "UnknownNameError",
    "__version__",
    "attack",
    "barber_modularity",
    "bipartite_modules",
    "brief_html",
    "capacity_facts",
    "capacity_scores",
    "centrality",
    "changes",
    "cluster_cities",
    "cluster_networks",
    "commitment_breakdown",
    "compare",
    "czvalues",
    "datapackage",
    "dissolve",
    "dprime",
    "eligibility",
    "fit_bicm",
    "group_engagement",
    "h2prime",
    "join_check",
    "landscape_report",
    "leave_candidates",
    "leave_check",
    "load",
    "lpawb_plus",
    "map_html",
    "membership_history",
    "membership_loads",
    "midrank_percentile",
    "nestedness",
    "nestedness_nulls",
    "nodf",
    "null_matrices",
    "obligations_summary",
    "ordinal",
    "overcommitment",
    "peer_groups",
    "read_wide",
    "resolve_city",
    "resolve_network",
    "roles",
    "shipped_data_path",
    "show_map",
    "structure",
    "suggest",
    "summarize",
    "this_year",
    "timeline",
    "to_kumu",
    "to_pyvis",
    "validated_projection",
    "verdicts",
    "wnodf",
    "write_brief",
    "write_datapackage",
    "write_gexf",
    "write_graphml",
    "write_kumu",
    "write_map",
    "write_site",
]
