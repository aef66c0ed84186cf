"""citynet: graph analytics of city-network membership ("city diplomacy").

Load the shipped, sourced dataset (or your own folder of CSVs) into a validated
:class:`Landscape`, then analyse it.

Examples
--------
>>> import citynet
>>> land = citynet.load()
>>> land.networks.loc["c40", "scope"]
'international'
"""

from citynet._errors import CitynetError, DataError, Problem
from citynet.landscape import Landscape, load, shipped_data_path
from citynet.schema import SCOPES, THEMES

__version__ = "0.1.0"

__all__ = [
    "SCOPES",
    "THEMES",
    "CitynetError",
    "DataError",
    "Landscape",
    "Problem",
    "__version__",
    "load",
    "shipped_data_path",
]
