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

# Names are imported on first use (PEP 562), so that ``import citynet`` and the command's
# start-up stay light: ``citynet --version`` needs none of pandas, scipy or networkx.
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from citynet._version import __version__

if TYPE_CHECKING:
    from citynet._errors import CitynetError, DataError, Problem
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
    from citynet.analysis.modules import (
        ModuleResult,
        barber_modularity,
        bipartite_modules,
        lpawb_plus,
    )
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
    from citynet.importers import (
        ImportReport,
        ImportResult,
        convert_long,
        convert_wide,
        read_long,
        read_wide,
        write_import,
    )
    from citynet.landscape import Landscape, load, shipped_data_path
    from citynet.lookup import UnknownNameError, resolve_city, resolve_network
    from citynet.render.words import ordinal
    from citynet.rules import NetworkRules, RuleFact
    from citynet.schema import SCOPES, THEMES
    from citynet.summary import group_engagement, landscape_report, summarize
    from citynet.validity import this_year

_EXPORTS = {
    "BiCM": "citynet.analysis.bicm",
    "Changes": "citynet.analysis.timeline",
    "CitynetError": "citynet._errors",
    "ClusterResult": "citynet.analysis.clusters",
    "DataError": "citynet._errors",
    "Dissolution": "citynet.analysis.robustness",
    "Eligibility": "citynet.analysis.eligibility",
    "JoinReport": "citynet.analysis.join",
    "Landscape": "citynet.landscape",
    "LeaveReport": "citynet.analysis.join",
    "LoadModel": "citynet.analysis.load",
    "MapFrame": "citynet.export.html_map",
    "ModuleResult": "citynet.analysis.modules",
    "NULLS": "citynet.analysis.nulls",
    "NestednessResult": "citynet.analysis.nestedness",
    "NetworkRules": "citynet.rules",
    "Obligations": "citynet.analysis.load",
    "Problem": "citynet._errors",
    "ProjectionTooLargeError": "citynet.analysis.bicm",
    "RuleFact": "citynet.rules",
    "SCOPES": "citynet.schema",
    "Structure": "citynet.analysis.structure",
    "THEMES": "citynet.schema",
    "UnknownNameError": "citynet.lookup",
    "attack": "citynet.analysis.robustness",
    "barber_modularity": "citynet.analysis.modules",
    "bipartite_modules": "citynet.analysis.modules",
    "brief_html": "citynet.export.brief",
    "capacity_facts": "citynet.analysis.capacity",
    "capacity_scores": "citynet.analysis.capacity",
    "centrality": "citynet.analysis.centrality",
    "changes": "citynet.analysis.timeline",
    "cluster_cities": "citynet.analysis.clusters",
    "cluster_networks": "citynet.analysis.clusters",
    "commitment_breakdown": "citynet.analysis.load",
    "compare": "citynet.analysis.join",
    "czvalues": "citynet.analysis.roles",
    "datapackage": "citynet.datapackage",
    "dissolve": "citynet.analysis.robustness",
    "dprime": "citynet.analysis.structure",
    "eligibility": "citynet.analysis.eligibility",
    "fit_bicm": "citynet.analysis.bicm",
    "group_engagement": "citynet.summary",
    "h2prime": "citynet.analysis.structure",
    "join_check": "citynet.analysis.join",
    "landscape_report": "citynet.summary",
    "leave_candidates": "citynet.analysis.join",
    "leave_check": "citynet.analysis.join",
    "load": "citynet.landscape",
    "lpawb_plus": "citynet.analysis.modules",
    "map_html": "citynet.export.html_map",
    "membership_history": "citynet.analysis.timeline",
    "membership_loads": "citynet.analysis.load",
    "midrank_percentile": "citynet.analysis.peers",
    "nestedness": "citynet.analysis.nestedness",
    "nestedness_nulls": "citynet.analysis.nestedness",
    "nodf": "citynet.analysis.nestedness",
    "null_matrices": "citynet.analysis.nulls",
    "obligations_summary": "citynet.analysis.load",
    "ordinal": "citynet.render.words",
    "overcommitment": "citynet.analysis.commitment",
    "peer_groups": "citynet.analysis.peers",
    "read_wide": "citynet.importers",
    "read_long": "citynet.importers",
    "convert_wide": "citynet.importers",
    "convert_long": "citynet.importers",
    "write_import": "citynet.importers",
    "ImportReport": "citynet.importers",
    "ImportResult": "citynet.importers",
    "resolve_city": "citynet.lookup",
    "resolve_network": "citynet.lookup",
    "roles": "citynet.analysis.roles",
    "shipped_data_path": "citynet.landscape",
    "show_map": "citynet.export.html_map",
    "structure": "citynet.analysis.structure",
    "suggest": "citynet.analysis.join",
    "summarize": "citynet.summary",
    "this_year": "citynet.validity",
    "timeline": "citynet.analysis.timeline",
    "to_kumu": "citynet.export.formats",
    "to_pyvis": "citynet.export.html_map",
    "validated_projection": "citynet.analysis.bicm",
    "verdicts": "citynet.analysis.join",
    "wnodf": "citynet.analysis.nestedness",
    "write_brief": "citynet.export.brief",
    "write_datapackage": "citynet.datapackage",
    "write_gexf": "citynet.export.formats",
    "write_graphml": "citynet.export.formats",
    "write_kumu": "citynet.export.formats",
    "write_map": "citynet.export.html_map",
    "write_site": "citynet.export.site",
}
"""Where each public name lives."""


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'citynet' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


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
    "ImportReport",
    "ImportResult",
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
    "convert_long",
    "convert_wide",
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
    "read_long",
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
    "write_import",
    "write_kumu",
    "write_map",
    "write_site",
]
