/* citynet map: draws the data of <script id="citynet-data"> with vis-network.
   Every user string reaches the page through textContent or canvas text, never as HTML. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("citynet-data").textContent);
  var S = D.strings;
  var meta = D.meta;
  var geo = meta.layout === "geo";
  var overview = meta.mode === "overview";
  var $ = function (id) { return document.getElementById(id); };

  function str(i) { return i < 0 ? "" : S[i]; }
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  /* ---- nodes and edges -------------------------------------------------------------- */
  var N = D.networks, C = D.cities, E = D.edges;
  var nNet = N.id.length, nCity = C.id.length;
  var nodeList = [], byId = {}, info = {};
  var i;
  var netNodes = [];
  for (i = 0; i < nNet; i++) {
    var nid = "network:" + N.id[i];
    var nnode = {
      id: nid, kind: "network", shape: "diamond", x: N.x[i], y: N.y[i], size: N.size[i],
      color: { background: str(N.color[i]), border: "#333333",
               highlight: { background: str(N.color[i]), border: "#000000" } },
      borderWidth: 1, scope: D.vocab.scopes[N.scope[i]],
      themes: N.themes[i].map(function (t) { return D.vocab.themes[t]; }),
      region: "", label: undefined, index: i
    };
    netNodes.push(nnode); byId[nid] = nnode;
  }
  for (i = 0; i < nCity; i++) {
    var cid = "city:" + C.id[i];
    var flags = C.flags[i];
    var cnode = {
      id: cid, kind: "city", shape: "dot", x: C.x[i], y: C.y[i], size: C.size[i],
      color: { background: str(C.color[i]), border: "#ffffff",
               highlight: { background: str(C.color[i]), border: "#000000" } },
      borderWidth: 1, region: C.region[i] < 0 ? "" : D.vocab.regions[C.region[i]],
      label: undefined, index: i, noCoordinates: !!(flags & 1), onlyGiant: !!(flags & 2),
      overview: !!(flags & 4)
    };
    nodeList.push(cnode); byId[cid] = cnode;
  }
  /* networks last: vis-network draws and picks the last node on top, so a network diamond
     under a city dot is still drawn and clicked */
  netNodes.sort(function (a, b) { return b.size - a.size || a.index - b.index; });
  nodeList = nodeList.concat(netNodes);  /* the smallest on top: a big diamond never hides it */
  var edgeList = [];
  var edgesOf = {};
  for (i = 0; i < E.c.length; i++) {
    var from = "city:" + C.id[E.c[i]], to = "network:" + N.id[E.n[i]];
    var executive = E.exec[i] === 1;
    var edge = {
      id: i, from: from, to: to, role: executive ? "executive" : "member",
      width: executive ? 2.5 : 1, dashes: D.vocab.evidence[E.ev[i]] === "participation",
      color: { color: executive ? "#333333" : "#9aa0a6", opacity: executive ? 0.9 : 0.45 },
      giant: N.giant[E.n[i]] === 1,
      beside: N.beside[E.n[i]] === 1
    };
    edgeList.push(edge);
    (edgesOf[from] = edgesOf[from] || []).push(edge);
    (edgesOf[to] = edgesOf[to] || []).push(edge);
  }
  /* network-network links of the overview (shared members) */
  var linkList = (meta.network_links || []).map(function (l, k) {
    return { id: "link:" + k, from: "network:" + l[0], to: "network:" + l[1], shared: l[2],
             width: Math.max(0.5, Math.min(6, Math.sqrt(l[2]) / 2)),
             color: { color: "#7f8c8d", opacity: 0.35 }, link: true };
  });

  var besideEdges = 0;
  edgeList.forEach(function (e) { if (e.beside) { besideEdges++; } });
  var hideBeside = besideEdges > 200;
  var nodes = new vis.DataSet(nodeList.filter(function (n) { return !(geo && n.noCoordinates); }));
  var edges = new vis.DataSet(edgeList.concat(linkList));

  /* ---- menus and legend ------------------------------------------------------------ */
  function option(select, value, text) {
    var o = document.createElement("option");
    o.value = value; o.textContent = text; select.appendChild(o);
  }
  D.menus.scopes.forEach(function (s) { option($("scope"), s, s); });
  D.menus.themes.forEach(function (t) { option($("theme"), t, t.replace(/_/g, " ")); });
  D.menus.regions.forEach(function (r) { option($("region"), r, r); });
  var names = $("names");
  var entries = [];   /* [folded text, node id, rank of the kind of name, weight] */
  function labelText(n) { return n.kind === "city" ? C.name[n.index] : N.label[n.index]; }
  nodeList.forEach(function (n) {
    var k = n.index, weight;
    var texts = [[labelText(n), 0]];
    if (n.kind === "network") {
      texts.push([N.name[k], 0]);
      weight = 1e9 + N.members[k];
      if (N.aliases && N.aliases[k] >= 0) {
        str(N.aliases[k]).split(";").forEach(function (a) { texts.push([a, 1]); });
      }
    } else {
      weight = (C.pop[k] || 0);
      if (C.aliases && C.aliases[k] >= 0) {
        str(C.aliases[k]).split(";").forEach(function (a) { texts.push([a, 1]); });
      }
    }
    texts.forEach(function (t) {
      var f = fold(t[0]);
      if (f) { entries.push([f, n.id, t[1], weight]); }
    });
  });
  function oneEdit(a, b) {
    /* whether a and b differ by one letter changed, added, dropped or two swapped */
    if (Math.abs(a.length - b.length) > 1) { return false; }
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) { i++; }
    var ra = a.slice(i + 1), rb = b.slice(i + 1);
    return ra === rb || a.slice(i) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i) ||
      (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  }
  /* Candidates for what a person typed, best first: the exact name, an exact alias, a name or
     alias starting with it, a word of one starting with it, one letter off; then by size. */
  function search(query, limit) {
    var q = fold(query);
    if (!q) { return []; }
    var best = {};
    entries.forEach(function (e) {
      var text = e[0], score;
      if (text === q) { score = e[2]; }
      else if (text.indexOf(q) === 0) { score = 2 + e[2]; }
      else if ((" " + text).indexOf(" " + q) >= 0) { score = 4 + e[2]; }
      else if (q.length >= 4 && text.indexOf(q) >= 0) { score = 6; }
      else if (q.length >= 5 && oneEdit(text, q)) { score = 7; }
      else if (q.length >= 5 && text.length > q.length &&
               (oneEdit(text.slice(0, q.length), q) || oneEdit(text.slice(0, q.length - 1), q) ||
                oneEdit(text.slice(0, q.length + 1), q))) { score = 8; }
      else { return; }
      var old = best[e[1]];
      if (!old || score < old[0]) { best[e[1]] = [score, e[3]]; }
    });
    return Object.keys(best).sort(function (a, b) {
      return best[a][0] - best[b][0] || best[b][1] - best[a][1] || (a < b ? -1 : 1);
    }).slice(0, limit || 10);
  }
  function suggestions(query) {
    names.textContent = "";
    search(query, 12).forEach(function (id) {
      var n = byId[id];
      var o = document.createElement("option");
      o.value = labelText(n) + (n.kind === "city" ? " (" + C.country[n.index] + ")" : "");
      names.appendChild(o);
    });
  }
  function key(container, cls, color, text) {
    var row = document.createElement("div"); row.className = "key";
    var sw = document.createElement("span"); sw.className = "swatch " + cls;
    sw.style.background = color;
    var label = document.createElement("span"); label.textContent = text;
    row.appendChild(sw); row.appendChild(label); container.appendChild(row);
  }
  D.legend.scopes.forEach(function (k) { key($("legend-scopes"), "diamond", k[1], k[0]); });
  D.legend.regions.forEach(function (k) { key($("legend-regions"), "dot", k[1], k[0]); });
  $("note").textContent = meta.notes.join(" ");
  var giantNames = [], besideCount = 0;
  for (i = 0; i < nNet; i++) {
    if (N.giant[i]) { giantNames.push(N.label[i]); }
    if (N.beside[i]) { besideCount++; }
  }
  if (giantNames.length || besideCount) {
    $("giants-box").hidden = false;
    var parts = [];
    if (besideCount) { parts.push("lines to the " + besideCount + " networks beside the map"); }
    if (giantNames.length) { parts.push("memberships of " + giantNames.join(", ")); }
    $("giants-label").textContent = "show " + parts.join(" and ");
  }

  /* ---- what is visible ------------------------------------------------------------- */
  var state = { scope: "", theme: "", role: "", region: "", focus: meta.focus, open: null,
                giants: false };
  function networkPasses(n) {
    if (state.scope && n.scope !== state.scope) { return false; }
    if (state.theme && n.themes.indexOf(state.theme) < 0) { return false; }
    return true;
  }
  function neighbourhood(id) {
    var set = {}; set[id] = true;
    (edgesOf[id] || []).forEach(function (e) { set[e.to] = true; });
    return set;
  }
  var focusSet = null;
  /* A network of more members than this, once opened, draws its members as plain dots and
     lines on the canvas (one path, a few milliseconds), not as thousands of vis nodes, which
     would freeze the page for seconds; a click on a dot still says what it is. */
  var BULK = 1000;
  var bulk = null;   /* {net: node id, cities: [city indices], edges: count} while one is open */
  function compute() {
    var visibleEdges = {}, hasEdge = {}, passing = {};
    var openedBulk = state.open && !focusSet && N.members[byId[state.open].index] > BULK;
    var bulkCities = [];
    var filtersOn = !!(state.scope || state.theme || state.role || state.region);
    edgeList.forEach(function (e) {
      var city = byId[e.from], network = byId[e.to];
      if (geo && city.noCoordinates) { return; }
      if (state.role && e.role !== state.role) { return; }
      if (!networkPasses(network)) { return; }
      if (state.region && city.region !== state.region) { return; }
      if (focusSet && !(focusSet[e.from] && focusSet[e.to])) { return; }
      var opened = state.open === e.to;
      passing[e.from] = true; passing[e.to] = true;
      if (opened && openedBulk) {
        bulkCities.push(city.index); hasEdge[e.to] = true; return;
      }
      if (overview && !focusSet && !opened) { return; }
      if (e.giant && !state.giants && !opened && !(focusSet && state.focus === e.from)) { return; }
      hasEdge[e.from] = true; hasEdge[e.to] = true;
      /* a line to a network placed beside the map is drawn on demand; its city still is */
      if (e.beside && hideBeside && !state.giants && !opened && !focusSet) { return; }
      visibleEdges[e.id] = true;
    });
    var visibleNodes = {};
    nodeList.forEach(function (n) {
      if (geo && n.noCoordinates) { return; }
      if (n.kind === "network") {
        if (!networkPasses(n)) { return; }
        if (focusSet && !focusSet[n.id]) { return; }
        if ((state.role || state.region) && !hasEdge[n.id] && !passing[n.id]) { return; }
        visibleNodes[n.id] = true;
      } else if (hasEdge[n.id] || n.id === state.focus ||
                 (overview && !focusSet && !state.open && n.overview &&
                  (!filtersOn || passing[n.id]))) {
        visibleNodes[n.id] = true;
      }
    });
    if (overview && !focusSet && !state.open) {
      linkList.forEach(function (l) {
        if (visibleNodes[l.from] && visibleNodes[l.to]) { visibleEdges[l.id] = true; }
      });
    }
    bulk = openedBulk ? { net: state.open, cities: bulkCities } : null;
    var matching = 0;
    for (var key in passing) { if (key.indexOf("city:") === 0) { matching++; } }
    return { nodes: visibleNodes, edges: visibleEdges, matching: filtersOn ? matching : nCity };
  }
  var shown = compute();
  var nodesView = new vis.DataView(nodes, { filter: function (n) { return !!shown.nodes[n.id]; } });
  var edgesView = new vis.DataView(edges, { filter: function (e) { return !!shown.edges[e.id]; } });
  var container = $("graph");
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, D.options);

  /* ---- drawing: basemap below, halo and labels above ------------------------------- */
  var rings = (D.outlines || []).map(function (flat) {
    var out = [], x = 0, y = 0;
    for (var k = 0; k < flat.length; k += 2) { x += flat[k]; y += flat[k + 1]; out.push(x, y); }
    return out;
  });
  function drawBulk(ctx, scale) {
    if (!bulk) { return; }
    var hub = network.getPositions([bulk.net])[bulk.net];
    if (!hub) { return; }
    ctx.save();
    ctx.globalAlpha = 0.25; ctx.strokeStyle = "#9aa0a6"; ctx.lineWidth = 0.6 / scale;
    ctx.beginPath();
    bulk.cities.forEach(function (k) {
      if (C.x[k] === null) { return; }
      ctx.moveTo(hub.x, hub.y); ctx.lineTo(C.x[k], C.y[k]);
    });
    ctx.stroke();
    ctx.globalAlpha = 0.9;
    var r = Math.max(2.2 / scale, 1.2);
    var byColor = {};
    bulk.cities.forEach(function (k) {
      if (C.x[k] === null) { return; }
      (byColor[C.color[k]] = byColor[C.color[k]] || []).push(k);
    });
    Object.keys(byColor).forEach(function (c) {
      ctx.fillStyle = str(+c);
      ctx.beginPath();
      byColor[c].forEach(function (k) {
        ctx.moveTo(C.x[k] + r, C.y[k]); ctx.arc(C.x[k], C.y[k], r, 0, 2 * Math.PI);
      });
      ctx.fill();
    });
    ctx.restore();
  }
  function bulkCityAt(point) {
    /* the member dot nearest a click, within a few pixels */
    if (!bulk) { return null; }
    var at = network.DOMtoCanvas(point), scale = network.getScale();
    var best = null, bestD = Math.pow(8 / scale, 2);
    bulk.cities.forEach(function (k) {
      if (C.x[k] === null) { return; }
      var d = Math.pow(C.x[k] - at.x, 2) + Math.pow(C.y[k] - at.y, 2);
      if (d < bestD) { bestD = d; best = "city:" + C.id[k]; }
    });
    return best;
  }
  network.on("beforeDrawing", function (ctx) {
    var scale = network.getScale();
    if (!rings.length) { drawBulk(ctx, scale); return; }
    ctx.save();
    ctx.fillStyle = "#e9ecef"; ctx.strokeStyle = "#b8bec6"; ctx.lineWidth = 0.8 / scale;
    ctx.beginPath();
    rings.forEach(function (r) {
      ctx.moveTo(r[0], r[1]);
      for (var k = 2; k < r.length; k += 2) { ctx.lineTo(r[k], r[k + 1]); }
      ctx.closePath();
    });
    ctx.fill("evenodd"); ctx.stroke();
    if (overview && !focusSet && !state.open) {
      /* every city as a faint dot: where the members are, before any is opened */
      var dot = 1.6 / scale;
      ctx.globalAlpha = 0.45;
      for (var k = 0; k < nCity; k++) {
        if (C.x[k] === null) { continue; }
        ctx.fillStyle = str(C.color[k]);
        ctx.fillRect(C.x[k] - dot / 2, C.y[k] - dot / 2, dot, dot);
      }
    }
    ctx.restore();
    drawBulk(ctx, scale);
  });
  function labelOf(n) {
    if (n.kind === "city") { return C.name[n.index]; }
    var k = n.index;
    if (N.agg[k]) { return N.label[k] + " \u00b7 " + N.members[k].toLocaleString("en") + " members"; }
    if (N.hidden[k]) { return N.label[k] + " \u00b7 " + N.hidden[k].toLocaleString("en") + " more members"; }
    return N.label[k];
  }
  function priority(n) {
    if (n.id === state.focus) { return 1e9; }
    if (n.kind === "network") { return 1e6 + N.members[n.index]; }
    return (focusSet && focusSet[n.id] ? 1e5 : 0) + n.size * 100 - n.index / 1e6;
  }
  network.on("afterDrawing", function (ctx) {
    var scale = network.getScale();
    var focus = state.focus && shown.nodes[state.focus] ? byId[state.focus] : null;
    if (focus) {
      var fp = network.getPositions([focus.id])[focus.id];
      ctx.save();
      ctx.beginPath(); ctx.arc(fp.x, fp.y, focus.size + 7 / scale, 0, 2 * Math.PI);
      ctx.lineWidth = 5 / scale; ctx.strokeStyle = "#ffb000"; ctx.stroke();
      ctx.restore();
    }
    var ids = nodesView.getIds();
    var candidates = ids.map(function (id) { return byId[id]; });
    var positions = network.getPositions(ids);
    if (bulk) {
      bulk.cities.forEach(function (k) {
        if (C.x[k] === null) { return; }
        var n = byId["city:" + C.id[k]];
        candidates.push(n); positions[n.id] = { x: C.x[k], y: C.y[k] };
      });
    }
    candidates.sort(function (a, b) { return priority(b) - priority(a); });
    candidates = candidates.slice(0, 600);
    var view = network.getViewPosition();
    var w = container.clientWidth / scale / 2, h = container.clientHeight / scale / 2;
    var placed = [];
    ctx.save();
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    candidates.forEach(function (n) {
      var p = positions[n.id];
      if (!p || Math.abs(p.x - view.x) > w || Math.abs(p.y - view.y) > h) { return; }
      var isNet = n.kind === "network", isFocus = n.id === state.focus;
      var px = isFocus ? 15 : isNet ? 13 : 11.5;
      ctx.font = (isNet || isFocus ? "600 " : "") + px / scale + "px system-ui, sans-serif";
      var text = labelOf(n);
      var width = ctx.measureText(text).width, height = px * 1.25 / scale;
      var gap = n.size + 3 / scale, y = p.y;
      var right = view.x + w - 4 / scale, left = view.x - w + 4 / scale;
      /* right of the node if it fits the canvas, else left of it */
      var x = p.x + gap + width <= right ? p.x + gap : p.x - gap - width;
      if (x < left) { return; }
      var box = [x, y - height / 2, x + width, y + height / 2];
      for (var k = 0; k < placed.length; k++) {
        var o = placed[k];
        if (box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]) { return; }
      }
      placed.push(box);
      ctx.lineWidth = 3.5 / scale; ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(text, x, y);
      ctx.fillStyle = isFocus ? "#000000" : isNet ? "#1d1d1d" : "#333333";
      ctx.fillText(text, x, y);
    });
    ctx.restore();
  });

  /* ---- fitting the drawing to the canvas ------------------------------------------- */
  function fit() {
    var ids = nodesView.getIds();
    var xs = [], ys = [];
    var positions = network.getPositions(ids);
    ids.forEach(function (id) { xs.push(positions[id].x); ys.push(positions[id].y); });
    if (bulk) {
      bulk.cities.forEach(function (k) {
        if (C.x[k] !== null) { xs.push(C.x[k]); ys.push(C.y[k]); }
      });
    }
    if (geo && !focusSet && !state.open && D.bounds) {
      xs.push(D.bounds[0], D.bounds[2]); ys.push(D.bounds[1], D.bounds[3]);
    }
    if (!xs.length) { return; }
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    var pad = 16;
    var width = Math.max(container.clientWidth - 2 * pad, 50);
    var height = Math.max(container.clientHeight - 2 * pad, 50);
    var scale = Math.min(width / Math.max(x1 - x0, 1), height / Math.max(y1 - y0, 1));
    scale = Math.min(scale, 4);
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: scale,
                     animation: false });
  }

  /* ---- the side panel: what a node is ---------------------------------------------- */
  function line(parent, text, cls) {
    var p = document.createElement("div"); p.textContent = text;
    if (cls) { p.className = cls; }
    parent.appendChild(p); return p;
  }
  function pageLink(box, n) {
    /* on the explorer site, a map links to the page of what it describes */
    var pages = meta.pages;
    if (!pages) { return; }
    var key = n.kind === "network" ? N.id[n.index] : C.id[n.index];
    var href = (n.kind === "network" ? pages.networks : pages.cities)[key];
    if (!href) { return; }
    var a = document.createElement("a");
    a.href = href; a.textContent = "Open its page \u2192";
    var p = document.createElement("div"); p.className = "item"; p.appendChild(a);
    box.appendChild(p);
  }
  function describe(id) {
    var box = $("info");
    box.textContent = "";
    var n = byId[id];
    if (!n) { box.hidden = true; return; }
    box.hidden = false;
    pageLink(box, n);
    var k = n.index;
    if (n.kind === "network") {
      line(box, N.name[k] + (N.label[k] !== N.name[k] ? " (" + N.label[k] + ")" : ""), "title");
      line(box, D.vocab.scopes[N.scope[k]] + " network; themes: " +
        (n.themes.map(function (t) { return t.replace(/_/g, " "); }).join(", ") || "none recorded"));
      line(box, N.members[k].toLocaleString("en") + " members in " + meta.year +
        (N.coverage[k] ? " (member list: " + N.coverage[k] + ")" : ""));
      if (N.hidden[k]) { line(box, N.hidden[k].toLocaleString("en") + " other members are not drawn in this ego map."); }
      if (N.giant[k]) { line(box, "A giant network: click it to show its members and their ties."); }
      if (N.placed[k]) { line(box, "Placed " + N.placed[k] + "."); }
      if (N.source[k] >= 0) { line(box, "Source: " + str(N.source[k]), "source"); }
    } else {
      var place = C.country[k] + (n.region ? ", " + n.region : "");
      line(box, C.name[k] + " (" + place + ")", "title");
      if (C.pop[k] !== null) {
        line(box, "Population " + C.pop[k].toLocaleString("en") + (C.popyear[k] ? " (" + C.popyear[k] + ")" : ""));
      }
      if (n.noCoordinates) { line(box, "No coordinates in the data: not drawn on the map."); }
      var mine = [];
      for (var j = 0; j < E.c.length; j++) { if (E.c[j] === k) { mine.push(j); } }
      line(box, "Networks in " + meta.year + " (" + mine.length + "):");
      mine.forEach(function (j) {
        var parts = [N.label[E.n[j]], E.exec[j] ? "executive" : "member"];
        if (E.titles[j] >= 0) { parts.push(str(E.titles[j])); }
        if (E.years[j] >= 0) { parts.push(str(E.years[j])); }
        parts.push(D.vocab.certainty[E.cert[j]]);
        line(box, parts[0] + ": " + parts.slice(1).join(", "), "item");
        E.src[j].slice(0, 2).forEach(function (s) { line(box, str(s), "source"); });
      });
    }
  }

  /* ---- interaction ------------------------------------------------------------------ */
  function refresh(refit) {
    // a selection must not outlive its nodes: vis.js throws on a selected node that the view
    // no longer holds ("Node with id ... not found")
    var selected = network.getSelectedNodes();
    network.unselectAll();
    shown = compute();
    nodesView.refresh(); edgesView.refresh();
    var still = selected.filter(function (id) { return !!shown.nodes[id]; });
    if (still.length) { network.selectNodes(still, false); }
    var visible = nodesView.length;
    var memberships = edgesView.getIds().filter(function (id) { return typeof id === "number"; }).length;
    var cityDots = nodesView.getIds().filter(function (id) { return id.indexOf("city:") === 0; }).length;
    $("status").textContent = overview && !focusSet && !state.open
      ? "Overview of " + shown.matching.toLocaleString("en") + " cities" +
        (shown.matching !== nCity ? " matching the filters" : "") + " (" +
        cityDots.toLocaleString("en") + " of the most connected drawn): open a network (click) or find a city to see its members"
      : bulk
        ? (visible + bulk.cities.length).toLocaleString("en") + " nodes and " +
          (memberships + bulk.cities.length).toLocaleString("en") + " memberships shown (the " +
          bulk.cities.length.toLocaleString("en") + " members of " + N.label[byId[bulk.net].index] +
          " as dots: click one)"
        : visible.toLocaleString("en") + " nodes and " + memberships.toLocaleString("en") + " memberships shown";
    title();
    saveHash();
    textList();
    updateShare();
    var empty = $("empty");
    if (!visible) {
      empty.hidden = false;
      empty.textContent = "Nothing matches these filters" +
        (state.theme ? " (no network here has the theme " + state.theme.replace(/_/g, " ") + ")" : "") +
        ". Choose \u201cShow all\u201d to start again.";
    } else { empty.hidden = true; }
    if (refit) { fit(); }
  }
  function bind(id, field) {
    $(id).addEventListener("change", function (ev) { state[field] = ev.target.value; refresh(true); });
  }
  bind("scope", "scope"); bind("theme", "theme"); bind("role", "role"); bind("region", "region");
  $("giants").addEventListener("change", function (ev) { state.giants = ev.target.checked; refresh(false); });
  function focusCity(label) {
    var found = search(String(label).replace(/ \([A-Z]{2}\)$/, ""), 1);
    var id = found.length ? found[0] : null;
    if (!id) {
      $("status").textContent = "Nothing called that in this map";
      return false;
    }
    if (byId[id].kind === "network") { openNetwork(id); return true; }
    focusNode(id);
    return true;
  }
  function focusNode(id) {
    state.focus = id; state.open = null;
    focusSet = {}; focusSet[id] = true;
    (edgesOf[id] || []).forEach(function (e) { focusSet[e.to] = true; });
    (edgesOf[id] || []).forEach(function (e) {
      if (!byId[e.to] || (N.giant[byId[e.to].index] && !state.giants)) { return; }
      (edgesOf[e.to] || []).forEach(function (f) { focusSet[f.from] = true; });
    });
    describe(id);
    refresh(true);
    if (shown.nodes[id]) { network.selectNodes([id], false); }
  }
  function openNetwork(id) {
    state.open = state.open === id ? null : id;
    focusSet = null;
    if (state.open) { state.focus = null; }
    describe(id);
    refresh(true);
  }
  $("search").addEventListener("change", function (ev) { focusCity(ev.target.value); });
  $("search").addEventListener("input", function (ev) { suggestions(ev.target.value); });
  $("search").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { focusCity(ev.target.value); }
  });

  /* ---- sharing: a link to this view, an embed snippet, the picture, the data ---------- */
  function viewLink() { return String(window.location.href); }
  function updateShare() {
    var link = $("share-link"), embed = $("share-embed");
    if (!link || !embed) { return; }
    link.value = viewLink();
    /* text for the reader to paste elsewhere (built in parts: this page loads no frame) */
    var tag = "iframe";
    embed.value = "<" + tag + ' src="' + viewLink().replace(/"/g, "%22") + '" title="' +
      document.title.replace(/[<>"&]/g, "") + '" width="100%" height="640" ' +
      'loading="lazy"></' + tag + ">";
  }
  function save(name, blob) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob); a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }
  function fileName(ext) {
    return (document.title.replace(/[^A-Za-z0-9\u00C0-\u024F]+/g, "-").replace(/^-|-$/g, "") ||
      "citynet-map") + "." + ext;
  }
  function csvCell(value) {
    var text = String(value === null || value === undefined ? "" : value);
    if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }  /* a spreadsheet must not run it */
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function viewCsv() {
    /* the memberships the view shows (a giant network's members included), with sources */
    var rows = [["city_id", "city", "country", "network_id", "network", "role", "years", "certainty", "sources"]];
    var shownEdges = {};
    edgesView.getIds().forEach(function (id) { if (typeof id === "number") { shownEdges[id] = true; } });
    var bulkNet = bulk ? byId[bulk.net].index : -1, bulkSet = {};
    if (bulk) { bulk.cities.forEach(function (k) { bulkSet[k] = true; }); }
    for (var j = 0; j < E.c.length; j++) {
      if (!shownEdges[j] && !(E.n[j] === bulkNet && bulkSet[E.c[j]])) { continue; }
      var c = E.c[j], n = E.n[j];
      rows.push([C.id[c], C.name[c], C.country[c], N.id[n], N.name[n],
                 E.exec[j] ? "executive" : "member", str(E.years[j]),
                 D.vocab.certainty[E.cert[j]], E.src[j].map(str).join(" ")]);
    }
    return rows.map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }
  if ($("share")) {
    $("share").addEventListener("toggle", updateShare);
    $("copy-link").addEventListener("click", function () {
      updateShare();
      var link = $("share-link");
      link.focus(); link.select();
      var done = function () { $("copy-link").textContent = "Copied"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(link.value).then(done, function () {});
      } else if (document.execCommand && document.execCommand("copy")) { done(); }
    });
    $("download-png").addEventListener("click", function () {
      var canvas = container.querySelector("canvas");
      if (canvas && canvas.toBlob) { canvas.toBlob(function (b) { if (b) { save(fileName("png"), b); } }); }
    });
    $("download-csv").addEventListener("click", function () {
      save(fileName("csv"), new Blob([viewCsv()], { type: "text/csv;charset=utf-8" }));
    });
  }

  /* ---- the map as a list: the same facts, by keyboard and screen reader -------------- */
  function textList() {
    var list = $("text-list");
    if (!list) { return; }
    list.textContent = "";
    var ids = nodesView.getIds();
    var nets = ids.filter(function (id) { return byId[id].kind === "network"; });
    var towns = ids.filter(function (id) { return byId[id].kind === "city"; });
    nets.sort(function (a, b) { return N.members[byId[b].index] - N.members[byId[a].index]; });
    towns.sort(function (a, b) { return byId[b].size - byId[a].size; });
    var shownItems = 0;
    nets.concat(towns).forEach(function (id) {
      if (shownItems++ >= 400) { return; }
      var n = byId[id], k = n.index;
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = n.kind === "network"
        ? "Network " + N.name[k] + ": " + N.members[k].toLocaleString("en") + " members"
        : "City " + C.name[k] + " (" + C.country[k] + ")";
      button.addEventListener("click", function () {
        if (n.kind === "network") { openNetwork(id); } else { focusNode(id); }
      });
      item.appendChild(button); list.appendChild(item);
    });
    if (shownItems > 400) { line(list, "\u2026 and " + (shownItems - 400).toLocaleString("en") + " more: use Find"); }
  }

  /* ---- what the page says it shows, and a link to it -------------------------------- */
  var heading = document.querySelector("header h1");
  var baseTitle = heading ? heading.textContent : document.title;
  function possessive(name) { return name + (/s$/.test(name) ? "\u2019" : "\u2019s"); }
  function title() {
    var text = baseTitle;
    if (state.focus && byId[state.focus]) {
      text = possessive(labelText(byId[state.focus])) + " networks, " + meta.year;
    } else if (state.open && byId[state.open]) {
      text = N.name[byId[state.open].index] + ": its members, " + meta.year;
    }
    var filters = [];
    if (state.scope) { filters.push(state.scope + " networks"); }
    if (state.theme) { filters.push(state.theme.replace(/_/g, " ")); }
    if (state.region) { filters.push(state.region); }
    if (state.role) { filters.push("executive seats"); }
    if (filters.length) { text += " (" + filters.join(", ") + ")"; }
    if (heading) { heading.textContent = text; }
    document.title = text;
    $("graph").setAttribute("aria-label", text + ": " + $("status").textContent);
  }
  var restoring = false;
  function saveHash() {
    if (restoring || !window.history || !window.history.replaceState) { return; }
    var parts = [];
    if (state.focus) { parts.push("city=" + encodeURIComponent(state.focus.slice(5))); }
    if (state.open) { parts.push("network=" + encodeURIComponent(state.open.slice(8))); }
    ["scope", "theme", "role", "region"].forEach(function (k) {
      if (state[k]) { parts.push(k + "=" + encodeURIComponent(state[k])); }
    });
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (hash !== window.location.hash) {
      try { window.history.replaceState(null, "", hash || window.location.pathname); } catch (e) { /* a file: page in some browsers */ }
    }
  }
  function readHash() {
    var out = {};
    String(window.location.hash || "").replace(/^#/, "").split("&").forEach(function (part) {
      var kv = part.split("=");
      if (kv.length === 2 && kv[0]) {
        try { out[kv[0]] = decodeURIComponent(kv[1]); } catch (e) { /* a malformed link */ }
      }
    });
    return out;
  }
  $("clear").addEventListener("click", function () {
    focusSet = null; state.focus = null; state.open = null;
    state.scope = state.theme = state.role = state.region = "";
    ["scope", "theme", "role", "region", "search"].forEach(function (id) { $(id).value = ""; });
    $("info").hidden = true;
    network.unselectAll();
    refresh(true);
  });
  network.on("click", function (params) {
    if (!params.nodes.length) {
      var dot = bulkCityAt(params.pointer.DOM);
      if (dot) { describe(dot); }
      return;
    }
    var id = params.nodes[0];
    if (byId[id].kind === "network") { openNetwork(id); } else { describe(id); }
  });
  network.on("hoverNode", function (params) { if (byId[params.node]) { describe(params.node); } });

  /* ---- cities without coordinates (geographic maps) -------------------------------- */
  var missing = nodeList.filter(function (n) { return geo && n.noCoordinates; });
  if (missing.length) {
    $("missing-box").hidden = false;
    $("missing-count").textContent = missing.length.toLocaleString("en") +
      " cities without coordinates (not drawn)";
    var list = $("missing-list");
    var render = function (filter) {
      list.textContent = "";
      var shownCount = 0;
      missing.forEach(function (n) {
        var name = C.name[n.index];
        if (filter && fold(name).indexOf(filter) < 0) { return; }
        if (shownCount++ >= 300) { return; }
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button"; button.textContent = name + " (" + C.country[n.index] + ")";
        button.addEventListener("click", function () { describe(n.id); });
        item.appendChild(button); list.appendChild(item);
      });
      if (shownCount > 300) { line(list, "\u2026 and " + (shownCount - 300) + " more: type to narrow"); }
    };
    render("");
    $("missing-filter").addEventListener("input", function (ev) { render(fold(ev.target.value)); });
  }

  var ready = false;
  network.once("afterDrawing", function () { ready = true; });
  var link = readHash();
  restoring = true;
  ["scope", "theme", "role", "region"].forEach(function (k) {
    var select = $(k);
    if (link[k] && select && Array.prototype.some.call(select.options, function (o) { return o.value === link[k]; })) {
      state[k] = link[k]; select.value = link[k];
    }
  });
  restoring = false;
  if (link.city && byId["city:" + link.city]) {
    focusNode("city:" + link.city);
  } else if (link.city && search(link.city, 1).length) {
    focusCity(link.city);
  } else if (link.network && byId["network:" + link.network]) {
    openNetwork("network:" + link.network);
  } else if (state.focus && byId[state.focus]) {
    focusNode(state.focus);
  } else {
    refresh(true);
  }
  window.addEventListener("hashchange", function () {
    var again = readHash();
    if (again.city && byId["city:" + again.city] && state.focus !== "city:" + again.city) {
      focusNode("city:" + again.city);
    }
  });
  window.addEventListener("resize", function () { fit(); });
  window.citynetMap = {
    nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView, network: network,
    focusCity: focusCity, focusNode: focusNode, openNetwork: openNetwork, refresh: refresh, fit: fit, state: state,
    search: search,
    ready: function () { return ready; },
    bulk: function () { return bulk; },
    setBulk: function (limit) { BULK = limit; },
    csv: function () { return viewCsv(); }
  };
})();
