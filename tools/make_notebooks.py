"""Write the three notebooks in notebooks/ from the cells below, without outputs.

Run from the repository root after changing a cell: ``python tools/make_notebooks.py``.
The test command executes the notebooks (tests/test_notebooks.py); their outputs are never
committed, so diffs stay readable. tests/test_notebooks.py also checks that the committed files
are what this script writes.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

OUT = Path(__file__).resolve().parents[1] / "notebooks"

LANDSCAPE = [
    (
        "md",
        """# The city-network landscape

This notebook is for researchers. It loads the dataset that ships with citynet, shows what it
covers and how far to trust it, looks at how the 27 cities surveyed for *Toward City Diplomacy*
(Chicago Council on Global Affairs / UCL City Leadership Lab, 2018) engage with networks, and
runs the analyses a reviewer would ask for: theme clusters and their stability, executive-role
centrality, statistically validated co-membership, nestedness, and the landscape through time.

Every number below is computed from sourced public facts. **Public facts are not survey
answers**: the survey's answers are anonymous, so we can only set our counts beside its
published findings.""",
    ),
    (
        "code",
        """import citynet
import matplotlib.pyplot as plt
import pandas as pd

land = citynet.load()
land""",
    ),
    (
        "md",
        """## What the data cover

One row of `memberships.csv` is one *fact*: a page that says a city belongs to a network (or
sits on its board). Facts about the same city and network become one membership. The
`evidence` column says what kind of fact it is; `coverage` says how complete each network's
member list is. Most lists are partial, so **a city missing from a network here may well be a
member**.""",
    ),
    (
        "code",
        """summary = citynet.summarize(land)
pd.DataFrame({
    "networks": summary["networks_by_scope"],
    "memberships": summary["memberships_by_scope"],
})""",
    ),
    (
        "code",
        """pd.Series(summary["facts_by_evidence"], name="facts").to_frame().join(
    pd.Series(summary["networks_by_coverage"], name="networks"), how="outer")""",
    ),
    (
        "md",
        """How many networks does a city belong to in the data? Most cities appear in one or two
lists; a few well-documented cities appear in ten or more. This shape is partly the world and
partly how well each city is documented.""",
    ),
    (
        "code",
        """now = land.current()  # the memberships valid this year (docs/time.md)
print(now)
print(now.certainty_counts())
per_city = now.edges.groupby("city_id").size()
ax = per_city.plot.hist(bins=range(1, per_city.max() + 2), log=True, color="#1f77b4")
ax.set_xlabel("networks per city (in the data)")
ax.set_ylabel("cities (log scale)")
ax.set_title("Memberships per city");""",
    ),
    (
        "md",
        """Which themes do the networks cover? A network × theme map (the themes are those of the
2017 questionnaire).""",
    ),
    (
        "code",
        """themes = pd.DataFrame(
    [{"network": land.networks.at[n, "acronym"] if pd.notna(land.networks.at[n, "acronym"])
      else n, "theme": t}
     for n, ts in land.network_themes.items() for t in ts])
matrix = pd.crosstab(themes["network"], themes["theme"])
fig, ax = plt.subplots(figsize=(9, 11))
ax.imshow(matrix.to_numpy(), cmap="Greens", aspect="auto")
ax.set_xticks(range(matrix.shape[1]), [c.replace("_", " ") for c in matrix.columns],
              rotation=70, ha="right")
ax.set_yticks(range(matrix.shape[0]), matrix.index)
ax.set_title("Themes of each network");""",
    ),
    (
        "md",
        """## The 27 surveyed cities

The survey reported that a majority of cities participate in international networks and more
than half play an executive role. Here is what the public record shows for the same cities
(memberships valid this year, under the validity model of `docs/time.md`).""",
    ),
    (
        "code",
        """engagement = citynet.group_engagement(land)
report = citynet.landscape_report(land)
pd.Series(report["findings"], name="cities")""",
    ),
    (
        "code",
        """engagement[["name", "international", "regional", "national", "executive_seats"]]""",
    ),
    (
        "md",
        """The survey also found that most cities have an international strategy and a dedicated
office, and that only a few reported dedicated training. `capacity.csv` holds the public facts
on the same topics, each with its year and source. Several facts date from outside 2017 and
some conflict; all are kept.""",
    ),
    (
        "code",
        """capacity = land.capacity
has = capacity.groupby("attribute")["city_id"].nunique().rename("cities with a fact")
has.sort_values(ascending=False).to_frame()""",
    ),
    (
        "md",
        """## Theme clusters

Networks are clustered with Louvain on a similarity that combines shared themes and shared
members (Jaccard, so that a giant network does not look similar to everything). Stability is
the mean adjusted Rand index against 20 other seeds: close to 1 means the clusters do not
depend on the seed.""",
    ),
    (
        "code",
        """clusters = citynet.cluster_networks(land, seed=0)
print(f"modularity {clusters.modularity:.3f}, stability (ARI) {clusters.stability:.3f}")
clusters.clusters[["label", "size"]]""",
    ),
    (
        "md",
        """## Executive-role centrality

An executive seat weighs three times a plain membership. Who holds the seats that connect the
landscape? Brokerage counts whether a city's seats sit in several theme clusters.""",
    ),
    (
        "code",
        """cities, networks = citynet.centrality(land, seed=0)
cities.head(10)[["name", "executive_seats", "pagerank", "betweenness", "brokerage"]]""",
    ),
    (
        "md",
        """## Validated co-membership

Raw co-membership counts favour giant networks. The bipartite configuration model asks which
pairs of networks share **more** members than their sizes alone would produce; p-values are
exact and corrected for multiple testing (FDR).""",
    ),
    (
        "code",
        """validated = citynet.validated_projection(land, side="networks", alpha=0.05)
raw_top = validated.sort_values("observed", ascending=False).head(8)
print("Largest raw overlaps:")
print(raw_top[["source", "target", "observed", "expected", "validated"]].to_string(index=False))
print()
print(f"{int(validated['validated'].sum())} of {len(validated)} overlapping pairs are validated:")
validated[validated["validated"]].head(8)[["source", "target", "observed", "expected", "qvalue"]]""",
    ),
    (
        "md",
        """## Nestedness

Do smaller cities' networks form subsets of bigger cities' networks? NODF (0–100) against
matrices sampled from the same model.""",
    ),
    (
        "code",
        """nest = citynet.nestedness(land, samples=50, seed=0)
nest""",
    ),
    (
        "md",
        """## The landscape through time

Every fact holds when its evidence says (`docs/time.md`): over its stated or observed span
(*known*), carried forward from its last observation until the network closes or a source says
it ended (*presumed*), or, with no date at all, from the year its source was read (*undated*).
`citynet.timeline` counts the memberships of every year from the same snapshots that the
analyses use.""",
    ),
    (
        "code",
        """by_scope = citynet.timeline(land, by="scope", start=1990)
totals = by_scope.groupby("year")[["known", "presumed", "undated"]].sum()
ax = totals.plot.area(figsize=(9, 4), color=["#1b7837", "#a6dba0", "#d9d9d9"], linewidth=0)
ax.set_xlabel("year")
ax.set_ylabel("memberships")
ax.set_title("Memberships in the data by year, by certainty")
ax.legend(title="certainty", loc="upper left");""",
    ),
    (
        "md",
        """Read the curve with the model in mind: presumed memberships accumulate (nobody is presumed
to leave), the lists of one year (ETMUN c. 2016–2019, ClimActor 2019) make steps, and undated
facts all enter in the year they were read. Growth curves of single networks show the same
together with real events: 100 Resilient Cities' three cohorts and its closure in 2019; the
Global Covenant of Mayors' jump in 2019 is the ClimActor list of that year.""",
    ),
    (
        "code",
        """picked = ["c40", "100rc", "gcom", "iclei", "uccn", "eurocities"]
growth = citynet.timeline(land, by="network", start=2000, networks=picked)
curves = growth.pivot(index="year", columns="network_id", values="members").fillna(0)
ax = curves.plot(figsize=(9, 4), drawstyle="steps-post")
ax.set_yscale("symlog", linthresh=10)
ax.set_ylabel("members in the data (log scale above 10)")
ax.set_title("Growth of six networks (all certainties)");""",
    ),
    (
        "code",
        """flows = citynet.timeline(land, by="network", start=2005, end=2025).groupby("year")[
    ["entries", "exits"]].sum()
fig, ax = plt.subplots(figsize=(9, 3.5))
ax.bar(flows.index, flows["entries"], color="#2166ac", label="entries")
ax.bar(flows.index, -flows["exits"], color="#b2182b", label="exits")
ax.axhline(0, color="black", linewidth=0.6)
ax.set_ylabel("memberships")
ax.set_title("Entries and exits per year (exits below the line)")
ax.legend();""",
    ),
    (
        "md",
        """What changed between two years, and how the surveyed cities looked then:""",
    ),
    (
        "code",
        """diff = citynet.changes(land, 2015, 2020)
print(diff.counts())
diff.networks_ended""",
    ),
    (
        "code",
        """rows = {}
for year in (2010, 2019, citynet.this_year()):
    table = citynet.group_engagement(land, year=year)
    rows[year] = {
        "memberships": int(table[["international", "regional", "national"]].sum().sum()),
        "executive seats": int(table["executive_seats"].sum()),
    }
pd.DataFrame(rows).T.rename_axis("year")""",
    ),
]

JOIN = [
    (
        "md",
        """# Should we join? A city officer's view

This notebook is for city staff. It takes one city (change `CITY` to yours), measures its
**commitment load** against comparable peers, checks what joining a network would bring with a
**verdict** from the network's own rules, compares candidates side by side, weighs leaving, and
shows how to put your own costs into the model. The same answers come from the command line
without Python: `citynet overcommitment --city Santiago`, `citynet check Santiago ICLEI UCLG`,
`citynet leave Santiago UCCI`, `citynet suggest Santiago`, `citynet brief Santiago -o brief.html`.""",
    ),
    (
        "code",
        """import citynet
import matplotlib.pyplot as plt
import pandas as pd

land = citynet.load()
CITY = "Santiago"
city_id = citynet.resolve_city(land, CITY)
now = land.current()  # this year's memberships (docs/time.md)
city_id, now.year""",
    ),
    (
        "md",
        """## The city's portfolio and its load

Each membership valid this year adds load, in units of one plain international membership: an
executive seat weighs 2.5, a plain membership 1; international networks weigh 1, regional 0.75,
national 0.5; a reporting duty adds a quarter. These defaults are assumptions explained in
`docs/load-model.md`. Every membership comes with its dates, certainty and source.""",
    ),
    (
        "code",
        """citynet.commitment_breakdown(land, city_id)[
    ["network", "role", "scope", "since", "observed", "certainty", "load", "share"]]""",
    ),
    (
        "code",
        """duties = citynet.obligations_summary(land, city_id)
print(f"{duties.memberships} memberships, {duties.seats} seats, about "
      f"{duties.assemblies_per_year:.1f} assemblies a year ({duties.assemblies_unknown} not stated)")
print("fees stated:", {n: f.value for n, f in duties.fees_stated.items()})
print("free:", duties.fees_free, "- reporting duties:", list(duties.reporting))""",
    ),
    (
        "md",
        """## Against comparable peers

Peers are comparable cities: for a surveyed city, the 27 surveyed cities, whose networks were
researched alike; for others, cities of the same region and size. Percentiles are mid-rank (ties
share the middle), and a flag needs a real excess over the peers' median.""",
    ),
    (
        "code",
        """table = citynet.overcommitment(land)
row = table.loc[city_id]
peers = table[table["peer_group"] == row["peer_group"]]
print(f"{row['name']}: load {row['load']:.1f}, {citynet.ordinal(row['percentile'])} percentile "
      f"of {row['peers']} peers ({row['peer_group']}); flagged: {'yes' if row['flag'] else 'no'}")
print(f"{int(table['flag'].sum())} of {len(table)} cities flagged")
order = peers["load"].sort_values().index
ax = peers.loc[order, "load"].plot.barh(figsize=(6, 8), color=[
    "#c0392b" if c == city_id else "#9e9e9e" for c in order])
ax.set_yticks(range(len(order)), peers.loc[order, "name"])
ax.set_xlabel("commitment load (one international membership = 1)")
ax.set_title(f"Load of {row['name']} and its comparable peers");""",
    ),
    (
        "md",
        """Capacity facts behind the capacity score (1 with nothing documented, 7 at most), with years
and sources, so an officer can check and correct them:""",
    ),
    (
        "code",
        """citynet.capacity_facts(land, city_id)[["attribute", "value", "year", "source_url"]]""",
    ),
    (
        "md",
        """## Would joining ICLEI help?

The join check starts with a verdict (not open, already a member, low added value, worth
considering) and the rule facts that decide it; then new partners (ranked by relevance), themes
the network would add, what it asks of members (fee, assemblies, reporting, commitments, each
with its source), the load before and after, and caveats.""",
    ),
    (
        "code",
        """check = citynet.join_check(land, city_id, "ICLEI")
check""",
    ),
    ("code", """print(check.to_text())"""),
    (
        "md",
        """Several candidates side by side, and what the rules say of networks the city cannot join:""",
    ),
    (
        "code",
        """reports = citynet.compare(land, city_id, ["ICLEI", "UCLG", "Metropolis", "100RC", "CEMR"])
pd.DataFrame([{"network": r.short_name, "verdict": r.verdict, "why": r.reason,
               "new partners": len(r.new_partners), "added load": r.added_load} for r in reports])""",
    ),
    (
        "md",
        """## What else is worth considering, and what to review?

Suggestions are ranked by value per unit of added load; value counts new partners (with
diminishing returns), new themes and similar cities present. Networks the rules close to the
city are never suggested; `attrs["left_out"]` says why each was left out.""",
    ),
    (
        "code",
        """suggestions = citynet.suggest(land, city_id, k=5)
suggestions[["network", "verdict", "new_partners", "themes_added", "added_load", "fee"]]""",
    ),
    (
        "code",
        """citynet.leave_candidates(land, city_id)[["network", "role", "verdict", "load", "reasons"]]""",
    ),
    (
        "md",
        """## Your own costs

If a board seat costs your office four times a membership and national meetings are nearly
free, say so. Every weight is a parameter.""",
    ),
    (
        "code",
        """own = citynet.LoadModel(role_weights={"executive": 4.0}, scope_weights={"national": 0.2})
before = table.loc[city_id, "load"]
after = citynet.overcommitment(land, model=own).loc[city_id, "load"]
print(f"load with the default weights {before:.2f}, with ours {after:.2f}")""",
    ),
    (
        "md",
        """## A brief for the mayor

One page to print, with the memberships and seats, the load against peers, the best candidates
and the caveats: `citynet brief Santiago -o brief.html`, or in Python:""",
    ),
    (
        "code",
        """import pathlib, tempfile
brief = citynet.write_brief(land, city_id, pathlib.Path(tempfile.mkdtemp()) / "brief.html")
print(brief.name, f"{brief.stat().st_size / 1000:.0f} kB")""",
    ),
]

MAP = [
    (
        "md",
        """# Publishing a map

This notebook makes the interactive maps people publish on city and university websites. Each
map is **one self-contained HTML file**: it opens offline, fetches nothing, writes no `lib/`
folder, and shows every name as text, whatever the name contains.""",
    ),
    (
        "code",
        """import tempfile
from pathlib import Path

import citynet

land = citynet.load()
out = Path(tempfile.mkdtemp())""",
    ),
    (
        "md",
        """## The whole landscape

Networks are diamonds coloured by scope, cities dots coloured by region; thick dark lines are
executive seats. Use the menus to filter by scope, theme, role or region, type a city to focus
on its neighbourhood, and hover for the facts and their sources. Above about 2,000 nodes a map
gets slow: citynet warns and suggests a subset.""",
    ),
    ("code", """citynet.show_map(land, heading="City-network memberships", height=600)"""),
    (
        "md",
        """## On a world map

The `geo` layout puts cities at their coordinates and networks on a ring around them. Cities
without coordinates sit in a labelled grid below the map.""",
    ),
    ("code", """citynet.show_map(land, layout="geo", scope="international", height=600)"""),
    (
        "md",
        """## One city's ego network

Its networks and their members. Giant networks (here the Global Covenant of Mayors) keep only
the city, with their size in the tooltip, so the map stays readable.""",
    ),
    ("code", """citynet.show_map(land, city="Cape Town", size_by="executive", height=550)"""),
    (
        "md",
        """## Writing files to publish

The same seed gives byte-identical files, so a map can be regenerated and compared. Files are
written atomically: a failure never leaves half a file behind.""",
    ),
    (
        "code",
        """page = citynet.write_map(land, out / "cape-town.html", city="Cape Town", layout="geo")
print(page, f"{page.stat().st_size / 1e6:.1f} MB")""",
    ),
    (
        "md",
        """## For Gephi and Kumu

GEXF carries membership periods as spells, so Gephi's timeline can replay them; Kumu gets an
elements sheet and a connections sheet, with any text a spreadsheet would run as a formula
neutralised.""",
    ),
    (
        "code",
        """gexf = citynet.write_gexf(land, out / "landscape.gexf")
kumu = citynet.write_kumu(land, out / "landscape.xlsx")
elements, connections = citynet.to_kumu(land)
print(gexf.name, [p.name for p in kumu])
connections.head()""",
    ),
    (
        "md",
        """## Putting a map on a website

Upload the HTML file as it is and link to it, or embed it in a page with an iframe, for example
`<iframe src="cape-town.html" style="width:100%;height:700px;border:0"></iframe>`. The file needs
no server-side code and no other files. From the command line the same maps come from
`citynet map -o cape-town.html --city "Cape Town" --layout geo`, and the exports from
`citynet export --to gexf -o landscape.gexf`.""",
    ),
]


def notebook(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    nb.cells = [
        nbformat.v4.new_markdown_cell(text) if kind == "md" else nbformat.v4.new_code_cell(text)
        for kind, text in cells
    ]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"
    return nb


NOTEBOOKS = {
    "01_landscape.ipynb": LANDSCAPE,
    "02_should_we_join.ipynb": JOIN,
    "03_publish_a_map.ipynb": MAP,
}


def render(name: str) -> str:
    return nbformat.writes(notebook(NOTEBOOKS[name])) + "\n"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name in NOTEBOOKS:
        (OUT / name).write_text(render(name), encoding="utf-8")
        print("wrote", OUT / name)


if __name__ == "__main__":
    main()
