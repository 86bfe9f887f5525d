/* aimap explorer: draws the payload of visualizations/explorer/data.py with vis-network.
 *
 * Every value from the graph is user input (names are hostile): it reaches the
 * page only through textContent, <bdi> isolation and vis-network's plain-text
 * labels, never as HTML. The page's own state is on window.aimapExplorer so
 * tests (and curious users) can read what is drawn.
 */
(function () {
  "use strict";

  var timings = { script: performance.now() };
  var config = JSON.parse(document.getElementById("aimap-config").textContent);
  var inlined = JSON.parse(document.getElementById("aimap-data").textContent);
  timings.parsed = performance.now();
  var served = config.mode === "served";
  var token = (location.hash.match(/token=([^&]+)/) || [])[1] || null;

  var state = {
    mode: config.mode, timings: timings, settled: false, settleMs: null, loads: 0, draws: 0, focus: null,
    expanded: new Set(), drawn: 0, drawnEdges: 0, markers: [], marks: [], notes: [], error: null, request: {},
    overlay: null, whatIfs: 0
  };
  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();
  var card = null;
  var network = null;
  var data = null;
  var byId = new Map();
  var membersOf = new Map();
  var tips = new Map();
  var extraMarks = [];
  var whatIfMarks = [];  // a served what-if's marks: kept over later views until cleared
  var RING_STYLES = ["solid", "dashed", "dotted"];
  var DASHES = { solid: [], dashed: [7, 4], dotted: [0.5, 6] };

  // -- helpers -------------------------------------------------------------------
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function bdi(text) { return el("bdi", text); }
  function isEntity(node) { return node && node.aimap && node.aimap.cluster === null; }
  function sevColour(severity) {
    var found = (data.severities || []).filter(function (s) { return s.severity === severity; })[0];
    return found ? found.colour : "#64748b";
  }

  // -- what is open --------------------------------------------------------------
  function isOpen(kindCluster) {
    var cluster = byId.get(kindCluster);
    return !!cluster && state.expanded.has(kindCluster) && state.expanded.has(cluster.aimap.parent);
  }
  function clusterRep(kindCluster) {
    var parent = byId.get(kindCluster).aimap.parent;
    return state.expanded.has(parent) ? kindCluster : parent;
  }
  function rep(id) {
    var node = byId.get(id);
    if (isEntity(node)) return isOpen(node.aimap.member_of) ? id : clusterRep(node.aimap.member_of);
    if (node && node.aimap.cluster === "kind") return clusterRep(id);
    return id;
  }
  function openEnd(id) {
    var node = byId.get(id);
    return isEntity(node) && isOpen(node.aimap.member_of);
  }

  // -- hover and details -----------------------------------------------------------
  function entityCard(node) {
    var a = node.aimap;
    var card = el("div", null, "tip");
    var head = el("div");
    var name = el("span", null, "name"); name.appendChild(bdi(a.name)); head.appendChild(name);
    head.appendChild(el("span", a.kind, "kind"));
    card.appendChild(head);
    card.appendChild(row("business unit", a.unit_name || "unknown"));
    var owners = el("div"); owners.appendChild(document.createTextNode("owners: "));
    if (!a.owners.length) owners.appendChild(document.createTextNode("none"));
    a.owners.forEach(function (o, i) {
      if (i) owners.appendChild(document.createTextNode("; "));
      owners.appendChild(bdi(o[0]));
      owners.appendChild(document.createTextNode(" (" + o[1] + (o[2] ? "" : ", inactive") + ")"));
    });
    card.appendChild(owners);
    if (a.findings_total) {
      card.appendChild(el("div", a.findings_total + " finding" + (a.findings_total > 1 ? "s" : "") + ":"));
      var list = el("ul");
      a.findings.forEach(function (f) {
        var item = el("li");
        var dot = el("span", null, "sev"); dot.style.background = sevColour(f[0]); item.appendChild(dot);
        item.appendChild(document.createTextNode(f[0] + " · " + f[1] + ": "));
        item.appendChild(bdi(f[2]));
        list.appendChild(item);
      });
      if (a.findings_total > a.findings.length) list.appendChild(el("li", (a.findings_total - a.findings.length) + " more"));
      card.appendChild(list);
    }
    var marked = state.marks.filter(function (m) { return m.entity === node.id; });
    if (marked.length) {
      var marks = el("ul", null, "marks");
      marked.forEach(function (m) {
        var item = el("li");
        var ring = el("span", null, "sev"); ring.style.border = "2px " + m.style + " " + m.colour; item.appendChild(ring);
        item.appendChild(document.createTextNode((m.label || "marked") + (m.detail ? ": " : "")));
        if (m.detail) item.appendChild(bdi(m.detail));
        marks.appendChild(item);
      });
      card.appendChild(marks);
    }
    var table = el("table");
    Object.keys(a.properties).forEach(function (key) {
      var tr = el("tr"); tr.appendChild(el("td", key));
      var td = el("td"); td.appendChild(bdi(a.properties[key])); tr.appendChild(td); table.appendChild(tr);
    });
    card.appendChild(table);
    var id = el("div", null, "hint"); id.appendChild(document.createTextNode("id ")); id.appendChild(bdi(node.id));
    card.appendChild(id);
    return card;
  }
  function row(label, value) {
    var div = el("div"); div.appendChild(document.createTextNode(label + ": ")); div.appendChild(bdi(value)); return div;
  }
  function clusterCard(node) {
    var a = node.aimap;
    var card = el("div", null, "tip");
    var head = el("div"); var name = el("span", null, "name");
    name.appendChild(bdi(a.cluster === "unit" ? a.unit_name : a.kind + " in " + a.unit_name));
    head.appendChild(name); card.appendChild(head);
    card.appendChild(el("div", a.count.toLocaleString("en") + " entities" + (a.severity ? "; worst finding " + a.severity : "")));
    var how = a.cluster === "unit" || a.expandable ? "click to open" :
      (served ? "click to show only these (business unit and kind filter)" : "too many to open here: focus on one of them");
    card.appendChild(el("div", how, "hint"));
    return card;
  }
  function tip(node) {
    if (!tips.has(node.id)) tips.set(node.id, isEntity(node) ? entityCard(node) : clusterCard(node));
    return tips.get(node.id);
  }
  // the hover card: built when first hovered (not for every node up front) and
  // placed by the pointer; vis-network's own popups are used for edges only
  function hover(id, event) {
    if (!card) { card = el("div", null, "hover-card"); document.getElementById("graph").appendChild(card); }
    var node = id === null ? null : byId.get(id);
    if (!node) { card.style.visibility = "hidden"; state.hovered = null; return; }
    card.textContent = "";
    card.appendChild(tip(node));
    var box = document.getElementById("graph").getBoundingClientRect();
    var pointer = event && event.center ? event.center : { x: box.left + box.width / 2, y: box.top + box.height / 2 };
    card.style.left = Math.min(pointer.x - box.left + 14, box.width - 330) + "px";
    card.style.top = Math.min(pointer.y - box.top + 14, box.height - 40) + "px";
    card.style.visibility = "visible";
    state.hovered = id;
  }

  // -- drawing -----------------------------------------------------------------------
  function edgeTitle(from, to, type, count) {
    var words = data.readings[type];
    var a = byId.get(from), b = byId.get(to);
    var an = a && a.aimap.name ? a.aimap.name : from, bn = b && b.aimap.name ? b.aimap.name : to;
    return (count > 1 ? count + " × " : "") + an + " " + words[0] + " " + bn + "\n" + bn + " " + words[1] + " " + an;
  }

  function draw() {
    var drawn = [];
    byId.forEach(function (node) {
      if (node.aimap.cluster !== "unit") return;
      if (!state.expanded.has(node.id)) { drawn.push(node); return; }
      node.aimap.children.forEach(function (kc) {
        if (state.expanded.has(kc)) (membersOf.get(kc) || []).forEach(function (id) { drawn.push(byId.get(id)); });
        else drawn.push(byId.get(kc));
      });
    });
    var lines = [];
    var bundles = new Map();
    function bundle(a, b, type, count) {
      var key = a + "\u0000" + b;
      var item = bundles.get(key);
      if (!item) { item = { from: a, to: b, count: 0, types: {} }; bundles.set(key, item); }
      item.count += count;
      item.types[type] = (item.types[type] || 0) + count;
    }
    data.cluster_edges.forEach(function (c) {
      if (isOpen(c[0]) || isOpen(c[1])) return;
      var a = clusterRep(c[0]), b = clusterRep(c[1]);
      if (a !== b) bundle(a, b, c[2], c[3]);
    });
    data.edges.forEach(function (e, i) {
      if (!openEnd(e.from) && !openEnd(e.to)) return;
      var a = rep(e.from), b = rep(e.to), count = e.count || 1;
      if (a === b) return;
      if (a === e.from && b === e.to && isEntity(byId.get(a)) && isEntity(byId.get(b))) {
        var words = data.readings[e.type];
        var line = { id: "e" + i, from: a, to: b, label: words[0] + (count > 1 ? " ×" + count : ""),
                     title: edgeTitle(a, b, e.type, count), aimap: { type: e.type, evidence: e.evidence || null } };
        if (e.evidence) { line.color = { color: sevColour(e.evidence) }; line.width = 3; }
        lines.push(line);
      } else bundle(a, b, e.type, count);
    });
    bundles.forEach(function (item, key) {
      var title = Object.keys(item.types).sort().map(function (t) {
        return item.types[t] + " × " + data.readings[t][0] + " / " + data.readings[t][1];
      }).join("\n");
      lines.push({ id: "b" + key, from: item.from, to: item.to, label: String(item.count), title: title,
                   smooth: { enabled: true, type: "curvedCW", roundness: 0.12 },
                   width: Math.min(1 + Math.log2(item.count), 8), aimap: { bundle: true, count: item.count } });
    });
    var t0 = performance.now();
    if (state.focus && state.near) {
      lines.forEach(function (line) {
        if (state.near.has(line.from) && state.near.has(line.to)) return;
        line.color = Object.assign({}, line.color || {}, { opacity: 0.12 });
        line.font = { color: "rgba(71,85,105,0.15)" };
      });
    }
    var shown = drawn.map(function (node) {
      if (!(state.focus && state.near && !state.near.has(node.id))) return node;
      return Object.assign({}, node, { opacity: 0.25 });
    });
    state.settled = false;
    // new data sets handed over at once: vis-network takes them about twice as
    // fast as items added to the data sets it already holds
    nodes = new vis.DataSet(shown);
    edges = new vis.DataSet(lines);
    network.setData({ nodes: nodes, edges: edges });
    timings.lastDraw = performance.now() - t0;
    state.drawn = shown.length; state.drawnEdges = lines.length;
    state.markers = shown.filter(function (n) { return n.aimap.marker || (n.aimap.cluster && n.aimap.severity); })
      .map(function (n) { return { id: n.id, colour: n.aimap.marker || sevColour(n.aimap.severity) }; });
    state.marks = data.marks.concat(whatIfMarks, extraMarks).filter(function (m) { return nodes.get(rep(m.entity)); })
      .map(function (m) {
        return { id: rep(m.entity), entity: m.entity, colour: m.colour, style: m.style || "dashed", label: m.label || "",
                 detail: m.detail || "", severity: m.severity || null, finding: m.finding || null };
      });
    tips = new Map();  // hover cards list the marks: build them again
    state.draws += 1;
    summary();
    network.once("afterDrawing", function () { state.settled = true; state.settleMs = performance.now(); });
    network.redraw();
  }

  function markerAt(id, p) {
    // an entity's marker sits at its shape's top right, a cluster's at its box's
    // corner; at least 4 screen pixels across however far the view is zoomed out
    var r = Math.max(6, 4 / network.getScale());
    var node = byId.get(id);
    if (!node || isEntity(node)) return { x: p.x + 7 + r, y: p.y - 7 - r, r: r };
    var box = network.getBoundingBox(id);
    return { x: box.right - 2, y: box.top + 2, r: r };
  }
  function drawMarkers(ctx) {
    var ids = state.markers.map(function (m) { return m.id; }).concat(state.marks.map(function (m) { return m.id; }));
    if (!ids.length) return;
    var at = network.getPositions(ids);
    state.markers.forEach(function (m) {
      var p = at[m.id]; if (!p) return;
      var c = markerAt(m.id, p);
      ctx.beginPath(); ctx.arc(c.x, c.y, c.r, 0, 2 * Math.PI);
      ctx.fillStyle = m.colour; ctx.fill(); ctx.lineWidth = 2; ctx.strokeStyle = "#ffffff"; ctx.stroke();
    });
    // one ring per style and colour on a node, each style at its own radius
    // (solid, dashed, dotted from the inside out), and the marks' labels beside it
    var rings = new Map();
    state.marks.forEach(function (m) {
      if (!rings.has(m.id)) rings.set(m.id, { rings: new Map(), labels: [] });
      var on = rings.get(m.id);
      on.rings.set(m.style + " " + m.colour, m);
      if (m.label && on.labels.indexOf(m.label) < 0) on.labels.push(m.label);
    });
    rings.forEach(function (on, id) {
      var p = at[id]; if (!p) return;
      var drawnRings = Array.from(on.rings.values()).sort(function (a, b) {
        return RING_STYLES.indexOf(a.style) - RING_STYLES.indexOf(b.style);
      });
      var radius = 22;
      drawnRings.forEach(function (m, i) {
        if (i && m.style !== drawnRings[i - 1].style) radius += 6; else if (i) radius += 4;
        ctx.save(); ctx.setLineDash(DASHES[m.style] || DASHES.dashed); ctx.lineCap = m.style === "dotted" ? "round" : "butt";
        ctx.beginPath(); ctx.arc(p.x, p.y, radius, 0, 2 * Math.PI);
        ctx.lineWidth = m.style === "dotted" ? 4 : 3; ctx.strokeStyle = m.colour; ctx.stroke(); ctx.restore();
      });
      if (on.labels.length) {
        ctx.save(); ctx.font = "bold 11px system-ui, sans-serif"; ctx.textBaseline = "middle";
        var text = on.labels.join(" · ");
        var x = p.x + radius + 4, y = p.y - radius + 4, w = ctx.measureText(text).width;
        ctx.fillStyle = "rgba(255,255,255,0.85)"; ctx.fillRect(x - 2, y - 7, w + 4, 14);
        ctx.fillStyle = drawnRings[drawnRings.length - 1].colour; ctx.fillText(text, x, y); ctx.restore();
      }
    });
  }

  // -- the side panel ------------------------------------------------------------------
  var SHAPES = {
    hexagon: "M8 1 L14.5 4.75 L14.5 11.25 L8 15 L1.5 11.25 L1.5 4.75 Z",
    dot: "M8 2 A6 6 0 1 1 7.99 2 Z",
    star: "M8 1 L9.8 6 L15 6 L10.8 9.2 L12.4 14.5 L8 11.3 L3.6 14.5 L5.2 9.2 L1 6 L6.2 6 Z",
    triangle: "M8 2 L14.5 14 L1.5 14 Z",
    diamond: "M8 1 L15 8 L8 15 L1 8 Z",
    square: "M2 2 L14 2 L14 14 L2 14 Z",
    box: "M1 4 L15 4 L15 12 L1 12 Z"
  };
  function swatch(shape, colour) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16"); svg.setAttribute("viewBox", "0 0 16 16");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", SHAPES[shape] || SHAPES.dot); path.setAttribute("fill", colour);
    svg.appendChild(path);
    return svg;
  }
  function legend() {
    var list = document.getElementById("legend");
    list.textContent = "";
    data.legend.forEach(function (item) {
      var li = el("li"); li.dataset.kind = item.kind; li.dataset.shape = item.shape; li.dataset.colour = item.colour;
      li.appendChild(swatch(item.shape, item.colour)); li.appendChild(el("span", item.kind)); list.appendChild(li);
    });
    var li = el("li"); li.dataset.kind = "cluster"; li.appendChild(swatch("box", "#e2e8f0"));
    li.appendChild(el("span", "cluster (click to open)")); list.appendChild(li);
    var sev = document.getElementById("severity-legend");
    sev.textContent = "";
    data.severities.forEach(function (item) {
      var li = el("li"); li.dataset.severity = item.severity;
      var dot = el("span", null, "sev"); dot.style.background = item.colour; li.appendChild(dot);
      li.appendChild(el("span", "finding marker: worst is " + item.severity)); sev.appendChild(li);
    });
  }
  function summary() {
    var m = data.meta;
    var text = state.drawn.toLocaleString("en") + " nodes drawn of " + m.entities.toLocaleString("en") +
      " entities; view " + m.view + (m.focus ? "; focus " : "");
    var p = document.getElementById("summary"); p.textContent = text;
    if (m.focus) p.appendChild(bdi(m.focus_name || m.focus));
    if (m.as_of) p.appendChild(document.createTextNode("; findings as of " + m.as_of));
    var notes = document.getElementById("notes"); notes.textContent = "";
    data.notes.concat(state.notes).forEach(function (n) { notes.appendChild(el("li", n)); });
  }
  function note(text) { state.notes = [text]; summary(); }
  function ring(style, colour) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "18"); svg.setAttribute("height", "18"); svg.setAttribute("viewBox", "0 0 18 18");
    var circle = document.createElementNS(ns, "circle");
    circle.setAttribute("cx", "9"); circle.setAttribute("cy", "9"); circle.setAttribute("r", "7");
    circle.setAttribute("fill", "none"); circle.setAttribute("stroke", colour); circle.setAttribute("stroke-width", "2.5");
    if (style !== "solid") circle.setAttribute("stroke-dasharray", style === "dotted" ? "0.1 3.6" : "4 2.5");
    if (style === "dotted") circle.setAttribute("stroke-linecap", "round");
    svg.appendChild(circle);
    return svg;
  }
  // what the marks mean (a what-if's changes, counts and legend), as text
  function overlayPanel() {
    var overlay = state.overlay || data.overlay;
    var box = document.getElementById("overlay");
    box.hidden = !overlay;
    var lines = document.getElementById("overlay-lines"), legend = document.getElementById("overlay-legend");
    lines.textContent = ""; legend.textContent = "";
    if (!overlay) return;
    document.getElementById("overlay-title").textContent = overlay.title || "Marks";
    overlay.lines.forEach(function (line) { var li = el("li"); li.appendChild(bdi(line)); lines.appendChild(li); });
    overlay.legend.forEach(function (item) {
      var li = el("li"); li.dataset.style = item.style;
      if (item.colour) li.appendChild(ring(item.style, item.colour));
      else data.severities.slice(0, 2).forEach(function (s) { li.appendChild(ring(item.style, s.colour)); });
      li.appendChild(el("span", item.label)); legend.appendChild(li);
    });
  }
  function details(node) {
    var box = document.getElementById("details"); box.textContent = "";
    if (node) box.appendChild(isEntity(node) ? entityCard(node) : clusterCard(node));
  }

  // -- focus, clusters ---------------------------------------------------------------
  function neighbourhood(id, depth) {
    var near = new Set([id]), frontier = [id];
    for (var hop = 0; hop < depth; hop++) {
      var next = [];
      frontier.forEach(function (n) {
        network.getConnectedNodes(n).forEach(function (m) { if (!near.has(m)) { near.add(m); next.push(m); } });
      });
      frontier = next;
    }
    return near;
  }
  function openFor(id) {
    var node = byId.get(id);
    if (!isEntity(node) || isOpen(node.aimap.member_of)) return true;
    var kc = byId.get(node.aimap.member_of);
    var extra = (membersOf.get(kc.id) || []).length;
    if (state.drawn + extra > data.meta.max_nodes) { collapseAll(false); }
    state.expanded.add(kc.aimap.parent); state.expanded.add(kc.id);
    draw();
    return true;
  }
  function focusLocal(id) {
    if (!byId.has(id)) { note("that entity is not in this page"); return false; }
    openFor(id);
    state.focus = id;
    // a neighbourhood the server walked is drawn whole; in a page of the whole
    // graph the focus highlights what lies within the depth and dims the rest
    state.near = data.meta.focus === id ? null : neighbourhood(id, Math.max(1, data.meta.depth || 1));
    draw();
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: false });
    details(byId.get(id));
    return true;
  }
  function focus(id) {
    if (served && !(byId.has(id) && data.meta.focus === id)) {
      return load(Object.assign({}, state.request, { focus: id })).then(function () { return focusLocal(id); });
    }
    return Promise.resolve(focusLocal(id));
  }
  function expand(id) {
    var node = byId.get(id);
    if (!node || !node.aimap.cluster) return false;
    var opened;
    if (node.aimap.cluster === "unit") {
      state.expanded.add(id);
      opened = node.aimap.children;
    } else if (node.aimap.expandable) {
      var size = (membersOf.get(id) || []).length;
      if (state.drawn - 1 + size > data.meta.max_nodes) {
        note("opening this cluster would draw more than " + data.meta.max_nodes + " nodes: close clusters first");
        return false;
      }
      state.expanded.add(id);
      opened = membersOf.get(id) || [];
    } else {
      if (served) { load({ view: state.request.view, business_unit: node.aimap.unit || null, kind: [node.aimap.kind] }); return true; }
      note(node.aimap.count.toLocaleString("en") + " " + node.aimap.kind + " entities in " + node.aimap.unit_name +
        " are too many to open here: focus on one of them (search), or run aimap explore with --business-unit and --kind");
      return false;
    }
    state.notes = [];
    draw();
    network.fit({ nodes: opened, animation: false });
    return true;
  }
  function collapseAll(redraw) {
    state.expanded = new Set();
    if (!data.meta.clustered) byId.forEach(function (n) { if (n.aimap.cluster) state.expanded.add(n.id); });
    state.focus = null; state.near = null;
    if (redraw !== false) draw();
  }
  function addMarks(marks) {
    extraMarks = extraMarks.concat(marks.map(function (m) {
      return { entity: String(m.entity), colour: m.colour || sevColour(m.severity || "medium"), label: String(m.label || ""),
               style: RING_STYLES.indexOf(m.style) >= 0 ? m.style : "dashed", detail: String(m.detail || ""),
               severity: m.severity || null, finding: m.finding || null };
    }));
    draw();
  }

  // -- loading -----------------------------------------------------------------------
  function show(payload) {
    data = payload;
    byId = new Map(); membersOf = new Map(); tips = new Map();
    payload.nodes.forEach(function (n) {
      byId.set(n.id, n);
      if (isEntity(n)) {
        if (!membersOf.has(n.aimap.member_of)) membersOf.set(n.aimap.member_of, []);
        membersOf.get(n.aimap.member_of).push(n.id);
      }
    });
    if (!network) {
      network = new vis.Network(document.getElementById("graph"), { nodes: nodes, edges: edges }, payload.options);
      network.on("afterDrawing", drawMarkers);
      network.on("click", function (event) {
        if (!event.nodes.length) return;
        var id = event.nodes[0], node = byId.get(id);
        if (isEntity(node)) focus(id); else expand(id);
      });
      network.on("hoverNode", function (event) { hover(event.node, event.event); });
      network.on("blurNode", function () { hover(null); });
      network.on("dragStart", function () { hover(null); });
      network.on("zoom", function () { hover(null); });
    } else {
      network.setOptions(payload.options);
    }
    state.notes = [];
    timings.network = performance.now();
    collapseAll(false);
    legend();
    overlayPanel();
    fillControls();
    timings.controls = performance.now();
    draw();
    timings.drawn = performance.now();
    network.fit({ animation: false });
    state.loads += 1;
  }
  function query(request) {
    var params = new URLSearchParams();
    Object.keys(request).forEach(function (key) {
      var value = request[key];
      if (value === null || value === undefined || value === "") return;
      if (Array.isArray(value)) value.forEach(function (v) { params.append(key, v); });
      else params.set(key, String(value));
    });
    return params.toString();
  }
  function load(request) {
    state.request = request;
    state.settled = false;
    var headers = token ? { Authorization: "Bearer " + decodeURIComponent(token) } : {};
    return fetch(config.data_url + "?" + query(request), { headers: headers }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error((body && (body.detail || body.title)) || ("HTTP " + response.status));
        state.error = null;
        show(body);
      });
    }).catch(function (error) {
      state.error = String(error.message || error);
      var notes = document.getElementById("notes"); notes.textContent = "";
      notes.appendChild(el("li", state.error, "error"));
      state.settled = true;
    });
  }

  // -- what if ----------------------------------------------------------------------
  // The served page asks the server what would change (POST /explorer/whatif:
  // read scope, nothing is written) and draws the answer's view around what
  // the changes touch; the marks and the panel stay over later views until cleared.
  function whatIf(changes, options) {
    if (!served) { note("this file is one what-if; aimap serve asks others in the page"); return Promise.resolve(false); }
    var controls = requestFromControls();
    var body = Object.assign({ view: controls.view, depth: Number(controls.depth), business_unit: controls.business_unit,
                               kind: controls.kind }, options || {}, { changes: changes });
    if (body.max_nodes === null || body.max_nodes === undefined) delete body.max_nodes;
    var headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = "Bearer " + decodeURIComponent(token);
    state.settled = false;
    return fetch(config.whatif_url, { method: "POST", headers: headers, body: JSON.stringify(body) })
      .then(function (response) {
        return response.json().then(function (payload) {
          if (!response.ok) throw new Error((payload && (payload.detail || payload.title)) || ("HTTP " + response.status));
          state.error = null;
          whatIfMarks = payload.marks; state.overlay = payload.overlay;
          payload.marks = []; payload.overlay = null;
          state.request = { view: body.view, depth: body.depth, business_unit: body.business_unit, kind: body.kind,
                            max_nodes: body.max_nodes || null };
          state.whatIfs += 1;
          show(payload);
          return true;
        });
      }).catch(function (error) {
        state.error = String(error.message || error);
        var notes = document.getElementById("notes"); notes.textContent = "";
        notes.appendChild(el("li", state.error, "error"));
        state.settled = true;
        return false;
      });
  }
  function clearWhatIf() {
    whatIfMarks = []; state.overlay = null;
    if (data.overlay) { data.overlay = null; data.marks = []; }
    overlayPanel(); draw();
  }
  function entityId(text) {
    var wanted = text.trim();
    if (byId.has(wanted)) return wanted;
    var named = null;
    byId.forEach(function (n) { if (!named && isEntity(n) && n.aimap.name === wanted) named = n.id; });
    return named || wanted;
  }
  document.getElementById("whatif-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var id = document.getElementById("whatif-id").value;
    if (!id.trim()) return;
    whatIf([{ change: document.getElementById("whatif-change").value, id: entityId(id) }]);
  });
  document.getElementById("overlay-clear").addEventListener("click", clearWhatIf);

  // -- controls ----------------------------------------------------------------------
  function fillControls() {
    var m = data.meta;
    document.getElementById("view").value = m.view;
    document.getElementById("depth").value = m.depth;
    var unit = document.getElementById("unit");
    unit.textContent = ""; unit.appendChild(el("option", "all"));
    unit.firstChild.value = "";
    data.business_units.forEach(function (b) {
      var option = el("option", b.name + (b.vendor ? " (vendor)" : "")); option.value = b.id; unit.appendChild(option);
    });
    unit.value = m.business_unit || "";
    if (unit.value !== (m.business_unit || "")) {
      var named = data.business_units.filter(function (b) { return b.name === m.business_unit; })[0];
      unit.value = named ? named.id : "";
    }
    var kinds = document.getElementById("kinds"); kinds.textContent = "";
    data.legend.forEach(function (item) {
      var label = el("label"); var box = el("input"); box.type = "checkbox"; box.value = item.kind;
      box.checked = m.kind.indexOf(item.kind) >= 0; box.className = "kind";
      label.appendChild(box); label.appendChild(document.createTextNode(" " + item.kind)); kinds.appendChild(label);
    });
    var names = document.getElementById("names"); names.textContent = "";
    var count = 0;
    byId.forEach(function (n) { if (isEntity(n) && count++ < 1000) { var o = el("option"); o.value = n.aimap.name; names.appendChild(o); } });
    ["view", "depth", "unit", "apply", "clear-focus"].forEach(function (id) {
      var control = document.getElementById(id);
      control.disabled = !served;
      if (!served) control.title = "this file is one view; aimap serve changes views in the page";
    });
    Array.prototype.forEach.call(document.querySelectorAll("input.kind"), function (box) { box.disabled = !served; });
  }
  function requestFromControls() {
    return {
      view: document.getElementById("view").value,
      depth: document.getElementById("depth").value,
      business_unit: document.getElementById("unit").value || null,
      kind: Array.prototype.filter.call(document.querySelectorAll("input.kind"), function (b) { return b.checked; })
        .map(function (b) { return b.value; }),
      focus: state.request.focus || null,
      max_nodes: state.request.max_nodes || null
    };
  }
  function find(text) {
    var wanted = text.trim().toLowerCase();
    if (!wanted) return Promise.resolve(false);
    var exact = null, starts = null, contains = null;
    byId.forEach(function (n) {
      if (!isEntity(n)) return;
      var name = n.aimap.name.toLowerCase();
      if (name === wanted || n.id.toLowerCase() === wanted) exact = exact || n.id;
      else if (name.indexOf(wanted) === 0) starts = starts || n.id;
      else if (name.indexOf(wanted) >= 0) contains = contains || n.id;
    });
    var hit = exact || starts || contains;
    if (hit) return focus(hit);
    if (!served) { note("no entity in this page is named like " + JSON.stringify(text)); return Promise.resolve(false); }
    var headers = token ? { Authorization: "Bearer " + decodeURIComponent(token) } : {};
    return fetch(config.api + "/search?" + query({ q: text.trim(), limit: 1 }), { headers: headers })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (found) {
        if (found.length) return focus(found[0].id);
        note("no entity is named like " + JSON.stringify(text));
        return false;
      });
  }
  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault(); find(document.getElementById("search").value);
  });
  document.getElementById("controls").addEventListener("submit", function (event) {
    event.preventDefault(); if (served) load(requestFromControls());
  });
  document.getElementById("clear-focus").addEventListener("click", function () {
    if (served) { var r = requestFromControls(); r.focus = null; load(r); }
  });
  document.getElementById("collapse").addEventListener("click", function () { collapseAll(); details(null); });

  window.aimapExplorer = {
    state: state, focus: focus, hover: hover,
    get nodes() { return nodes; }, get edges() { return edges; }, expand: expand, find: find, load: load,
    collapseAll: collapseAll, addMarks: addMarks, whatIf: whatIf, clearWhatIf: clearWhatIf,
    get network() { return network; }, get data() { return data; },
    domPosition: function (id) { var p = network.getPositions([id])[id]; return p ? network.canvasToDOM(p) : null; },
    markerPosition: function (id) {
      var p = network.getPositions([id])[id]; return p ? network.canvasToDOM(markerAt(id, p)) : null;
    }
  };

  document.getElementById("whatif-form").hidden = !served;
  if (served) {
    var initial = {};
    new URLSearchParams(location.search).forEach(function (value, key) {
      if (key === "kind") (initial.kind = initial.kind || []).push(value); else initial[key] = value;
    });
    load(initial);
  } else {
    show(inlined);
  }
})();
