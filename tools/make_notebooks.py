"""Write the four notebooks in notebooks/ from the cells below, without outputs.

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
runs a first pass of the analyses a reviewer would ask for: network clusters and their
stability, executive-role centrality, statistically validated co-membership, nestedness, and the
landscape through time. Notebook 04 goes further: bipartite modules, roles, several null models
and robustness.

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
        """## Network clusters

Networks are clustered with Louvain on the Jaccard similarity of their members (so that a giant
network does not look similar to everything); themes only label the clusters, since clustering
on the coarse theme annotations would only return the annotations. Stability is the mean
adjusted Rand index against 20 other seeds: close to 1 means the clusters do not depend on the
seed. For communities of cities and networks together, see notebook 04.""",
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
landscape? PageRank runs on the hyperbolic projection (a shared network of h members links each
pair with weight 1 / (h - 1)), so that a giant network does not make all its members central.
Brokerage is the participation coefficient of a city's role-weighted memberships across the
bipartite modules: 0 when everything it does stays in one module.""",
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

Do smaller cities' networks form subsets of bigger cities' networks? NODF (0–100) against a
fixed-fixed (curveball) null that keeps every city's and network's degree; notebook 04 compares
the other nulls and explains why they disagree.""",
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
executive seats. Use the menus to filter by scope, theme, role or region, type a city or a
network to focus on it, and point at a node for its facts and sources in the side panel. The
first view fits the canvas and labels the largest nodes without overlap. A giant network (here
the Global Covenant of Mayors) is drawn as one labelled diamond: its members appear when you
click it. Above about 2,000 nodes a map opens on an overview of the networks.""",
    ),
    ("code", """citynet.show_map(land, heading="City-network memberships", height=600)"""),
    (
        "md",
        """## On a world map

The `geo` layout draws the country outlines of Natural Earth in the equal-area Equal Earth
projection, puts cities at their coordinates, and a network at its headquarters when the data
have that city, at the centre of its members when they are close together, or in a row above or
below the map when they are spread over the world (their lines appear when you click them).
Cities without coordinates are listed in the side panel, searchable, not drawn.""",
    ),
    ("code", """citynet.show_map(land, layout="geo", scope="international", height=600)"""),
    (
        "md",
        """## One city's ego network

Its networks and their members, the city ringed in amber. Giant networks (here the Global
Covenant of Mayors) keep only the city, with their size in the label, so the map stays
readable.""",
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

RESEARCH = [
    (
        "md",
        """# Research: modules, roles, null models and robustness

This notebook is for network scientists. It looks at the city × network matrix the way the
ecology of bipartite networks looks at plant-pollinator webs (R's `bipartite` package), with the
methods and citations of `docs/methods.md`: the matrix sorted by degree (as `visweb`), NODF
against six null models, Barber's bipartite modularity maximised by DIRTLPAwb+, the c/z roles of
Guimerà and Amaral, specialisation (H2', d') and the robustness of the landscape when networks
dissolve. Everything runs on one year's memberships (the current year here; every function takes
`year=`).""",
    ),
    (
        "code",
        """import citynet
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

land = citynet.load()
now = land.current()
matrix = now.incidence.toarray()
k, d = matrix.sum(axis=1), matrix.sum(axis=0)
print(f"{(k > 0).sum():,} cities and {(d > 0).sum()} networks with a membership in {now.year}; "
      f"{int(matrix.sum()):,} memberships")""",
    ),
    (
        "md",
        """## The matrix, sorted by degree

Rows are cities, columns networks, both sorted by degree (most connected first): a perfectly
nested matrix would fill the top-left triangle. A seat is drawn darker than a membership. The
long tail of cities in one network, and the one giant network, are what every statistic below
has to cope with.""",
    ),
    (
        "code",
        """seats = now.executive_incidence.toarray()
rows = np.argsort(-k, kind="stable")[: (k > 0).sum()]
cols = np.argsort(-d, kind="stable")[: (d > 0).sum()]
shown = (matrix + 2 * seats)[np.ix_(rows, cols)]
fig, ax = plt.subplots(figsize=(9, 6))
ax.imshow(shown, aspect="auto", cmap="Greys", interpolation="nearest", vmin=0, vmax=3)
names = now.networks["acronym"].fillna(now.networks["name"]).reindex(now.network_ids)
# the id where a name needs glyphs the default font lacks (CJK, Greek capitals are fine)
labels = [n if all(ord(ch) < 0x2000 for ch in n) else i for i, n in names.items()]
labels = [n if len(n) <= 20 else n[:19] + "…" for n in labels]
ax.set_xticks(range(len(cols)), np.asarray(labels)[cols], rotation=90, fontsize=6)
ax.set_ylabel(f"{len(rows):,} cities, most networks first")
ax.set_title("Memberships (grey) and seats (black), sorted by degree");""",
    ),
    (
        "md",
        """## Nestedness against six null models

NODF scores 0 for every pair of cities with the same degree, and most cities here are in one
network. So the null model decides what the observed NODF means: nulls that let degrees vary
break those ties (their NODF is higher), nulls that flatten degrees remove the heterogeneity NODF
rewards (their NODF is lower). Only the fixed-fixed null (curveball) holds every degree.""",
    ),
    (
        "code",
        """nulls = citynet.nestedness_nulls(land, samples=40, seed=0)
nulls[["nodf", "null_mean", "null_sd", "zscore", "pvalue"]].round(3)""",
    ),
    (
        "code",
        """fig, ax = plt.subplots(figsize=(9, 3.5))
observed = nulls["nodf"].iloc[0]
kept = matrix[np.ix_(rows, cols)]
rng = np.random.default_rng(0)
for i, name in enumerate(nulls.index):
    p = citynet.fit_bicm(kept).probabilities() if name == "bicm" else None
    values = [citynet.nodf(m)[0] for m in citynet.null_matrices(kept, name, 20, seed=1,
                                                               probabilities=p)]
    ax.scatter(values, i + rng.uniform(-0.15, 0.15, len(values)), s=12, alpha=0.6)
ax.axvline(observed, color="black", linestyle="--")
ax.text(observed + 0.3, 2.5, f"observed NODF {observed:.1f}", fontsize=9)
ax.set_yticks(range(len(nulls)), nulls.index)
ax.set_xlabel("NODF of 20 samples of each null")
ax.set_title("The same matrix against six nulls");""",
    ),
    (
        "code",
        """result = citynet.nestedness(land, null="curveball", samples=40, seed=0)
print(f"tied city pairs {result.tied_row_pairs:.0%}, cities in one network "
      f"{result.degree_one_rows:.0%}, WNODF of seats {result.wnodf:.2f}")
for note in result.notes:
    print("-", note)""",
    ),
    (
        "md",
        """## Bipartite modules

Communities of cities and networks together: Barber's modularity Q, maximised from 20 random
starts (DIRTLPAwb+). The spread of Q over the starts and the adjusted Rand index of every start
against the best say whether the modules can be trusted.""",
    ),
    (
        "code",
        """modules = citynet.bipartite_modules(land, runs=20, seed=0)
print(f"Q = {modules.modularity:.3f} (runs {min(modules.q_runs):.3f} to "
      f"{max(modules.q_runs):.3f}); stability (ARI) {modules.stability:.2f}")
modules.modules[["name", "networks", "cities", "region", "share_inside"]]""",
    ),
    (
        "md",
        """## Roles: participation c and within-module degree z

Each dot is a city (left) or a network (right). Lines mark Olesen et al.'s thresholds: above
z = 2.5 a hub of its module, right of c = 0.62 a connector between modules.""",
    ),
    (
        "code",
        """cities, networks = citynet.roles(land, modules=modules)
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
for ax, frame, title in [(axes[0], cities, "cities"), (axes[1], networks, "networks")]:
    ax.scatter(frame["c"], frame["z"].fillna(0), s=8, alpha=0.5)
    ax.axvline(0.62, color="grey", linewidth=0.8)
    ax.axhline(2.5, color="grey", linewidth=0.8)
    ax.set_xlabel("participation coefficient c")
    ax.set_title(f"{title}: " + ", ".join(f"{n} {r}" for r, n in frame["role"].value_counts().items()),
                 fontsize=9)
axes[0].set_ylabel("within-module degree z");""",
    ),
    (
        "code",
        """seated = cities[cities["seats"] > 0]
print(f"brokerage among {len(seated)} cities with a seat: {seated['brokerage'].round(6).nunique()} "
      f"distinct values, {(seated['brokerage'] == 0).mean():.0%} zero")
seated.sort_values("brokerage", ascending=False).head(10)[
    ["name", "memberships", "seats", "modules_reached", "brokerage", "role"]]""",
    ),
    (
        "md",
        """## Specialisation

H2' (0: links as the totals predict, 1: as specialised as the totals allow) and d' of each city
and network (Blüthgen et al. 2006), on the role-weighted matrix.""",
    ),
    (
        "code",
        """spec = citynet.structure(land)
pd.Series({"connectance": spec.connectance, "H2'": spec.h2prime,
           "mean d' cities": spec.mean_dprime_cities,
           "mean d' networks": spec.mean_dprime_networks}).round(3)""",
    ),
    (
        "md",
        """## Robustness: what if networks dissolve?

Remove networks one at a time, largest first or in random orders, and follow the share of cities
still in any network and in an international one. The area under the curve is the robustness
R: removing the few giant networks first strands most cities at once.""",
    ),
    (
        "code",
        """by_size = citynet.attack(land, order="size")
at_random = citynet.attack(land, order="random", repeats=20, seed=0)
fig, ax = plt.subplots(figsize=(9, 4))
for curve, label, colour in [(by_size, "largest first", "#b2182b"),
                             (at_random, "random order (mean of 20)", "#2166ac")]:
    ax.plot(curve["removed"], curve["cities_left"], color=colour,
            label=f"{label}: R = {curve.attrs['robustness']:.2f}")
    ax.plot(curve["removed"], curve["international_left"], color=colour, linestyle=":",
            label=f"{label}, international ties: R = "
                  f"{curve.attrs['robustness_international']:.2f}")
ax.set_xlabel("share of networks removed")
ax.set_ylabel("share of cities still in a network")
ax.set_title("Attack tolerance of the landscape")
ax.legend(fontsize=8);""",
    ),
    (
        "code",
        """gone = citynet.dissolve(land, ["gcom"])
print(f"If the Global Covenant of Mayors dissolved: {gone.cities_affected} cities affected, "
      f"{len(gone.lose_all)} left without any network, {len(gone.lose_international)} without "
      f"an international one; {gone.partners_lost:,} of {gone.partners_before:,} city pairs "
      f"no longer share a network; components {gone.components_before} -> "
      f"{gone.components_after}.")
for note in gone.notes:
    print("-", note)""",
    ),
    (
        "md",
        """## From the command line

The same analyses print as text, JSON or CSV: `citynet modules`, `citynet roles`,
`citynet nestedness --null all`, `citynet structure`, `citynet robustness --remove gcom`. Each
takes `--as-of YEAR`, and each exits 2 with one line when there is nothing to analyse (one
network, no themes, no seat that brokers anything) instead of printing a number that only looks
like a result.""",
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
    "04_research.ipynb": RESEARCH,
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
