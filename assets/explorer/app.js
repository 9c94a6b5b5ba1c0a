// georel explorer: the page served by `georel serve`. Plain ES module, no build step.
// Every string from the server is text: it goes into the page through textContent or
// createTextNode (see `el`), never as HTML, so that an actor named like markup shows as
// the characters it is made of. Links are made only for http(s) addresses.
// The view's state lives in the URL fragment (the server never sees it), so that a view can
// be shared and a reload shows the same view.

const KINDS = ["cooperation", "restriction", "dispute", "membership"];
const COLOUR = { cooperation: "#2e7d32", restriction: "#c62828", dispute: "#ef6c00", membership: "#1565c0" };
const CONTESTED = "#6a1b9a";
/** Fractures: a restriction or dispute between two members of one group. */
const FRACTURED = "#e65100";
const DAY = 86400000;
/** Above this many actors the force layout is too slow: a spiral by degree instead. */
const LARGE = 400;
/** At most this many fractures in the side list. */
const LISTED = 50;

// ---- small DOM helpers (text only) ----

/** An element with attributes; string children become text nodes. */
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function svg(tag, attrs = {}) {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

const $ = (id) => document.getElementById(id);

/** A link if the address is http(s), else the address as plain text (or nothing). */
function safeLink(url, text) {
  if (typeof url !== "string" || url === "") return text ? document.createTextNode(text) : null;
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return document.createTextNode(text || url);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return document.createTextNode(text || url);
  return el("a", { href: parsed.href, rel: "noopener noreferrer", target: "_blank" }, text || url);
}

// ---- dates ----

/** The first day of a date written at its precision (2025, 2025-11, 2025-11-12). */
const firstDay = (d) => (d.length === 4 ? d + "-01-01" : d.length === 7 ? d + "-01" : d);
/** Days since 1970-01-01 of a date (a month or a year counts from its first day). */
const toDays = (date) => {
  const iso = firstDay(date);
  return Math.floor(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY);
};
const fromDays = (n) => new Date(n * DAY).toISOString().slice(0, 10);

// ---- the state, in the URL fragment ----

const STATE_KEYS = ["at", "from", "to", "kinds", "min_reliability", "min_credibility", "by_country", "focus", "depth",
  "sel", "path", "diff", "view", "span"];

function readState() {
  const p = new URLSearchParams(location.hash.replace(/^#/, ""));
  const s = {};
  for (const k of STATE_KEYS) s[k] = p.get(k) || "";
  return s;
}

function writeState(s) {
  const p = new URLSearchParams();
  for (const k of STATE_KEYS) if (s[k]) p.set(k, s[k]);
  return p.toString().replace(/%7E/gi, "~").replace(/%2C/gi, ",");
}

/** Changes the state: the fragment changes and `hashchange` redraws. */
function setState(patch) {
  const s = { ...state, ...patch };
  const hash = writeState(s);
  if (hash === location.hash.replace(/^#/, "")) return;
  location.hash = hash;
}

let state = readState();
let meta = null;

/** What the Content-Security-Policy refused (the tests require none). */
const violations = [];
document.addEventListener("securitypolicyviolation", (e) => violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));

// ---- talking to the server ----

let busy = 0;
function setBusy(delta) {
  busy += delta;
  $("status").textContent = busy > 0 ? "loading…" : $("status").dataset.idle || "";
}

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : `the server answered ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

let waiting = false;

/** The dataset's files changed and the server reads them again (503): says so, asks again
 * every second, and reloads the page (its description, time bar and view) once it answers. */
async function waitForData(body) {
  if (waiting) return;
  waiting = true;
  for (;;) {
    $("error").textContent = `${body.error} (asking again every second)`;
    await new Promise((r) => setTimeout(r, 1000));
    let reply;
    try {
      reply = await fetch("/api/meta", { credentials: "same-origin", headers: { Accept: "application/json" } });
    } catch {
      continue;
    }
    if (reply.ok) {
      location.reload();
      return;
    }
    try {
      body = await reply.json();
    } catch {
      body = { error: `the server answered ${reply.status}` };
    }
    if (reply.status !== 503) {
      $("error").textContent = body.error || `the server answered ${reply.status}`;
      waiting = false;
      return;
    }
  }
}

async function api(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null && v !== undefined) q.set(k, v);
  const url = `/api/${path}${q.toString() ? "?" + q : ""}`;
  setBusy(1);
  try {
    const reply = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await reply.json();
    } catch {
      body = null;
    }
    if (reply.status === 503 && body && body.retry) waitForData(body);
    if (!reply.ok) throw new ApiError(reply.status, body);
    return body;
  } finally {
    setBusy(-1);
  }
}

/** How an API error reads on the page, with the candidates the server offers. */
function errorText(e) {
  let text = e.message;
  const b = e.body || {};
  if (b.value) text += ` (${b.param || "value"}: ${b.value})`;
  if (b.allowed) text += `; allowed: ${b.allowed}`;
  if (Array.isArray(b.candidates) && b.candidates.length) {
    text += "; did you mean: " + b.candidates.map((c) => (typeof c === "string" ? c : `${c.name} (${c.id})`)).join(", ");
  }
  return text;
}

/** The date and filter parameters every date-reading call takes. */
function dateParams(s = state) {
  const p = {};
  if (s.from && s.to) {
    p.from = s.from;
    p.to = s.to;
  } else p.at = s.at || (meta && meta.default_at) || "";
  return p;
}

function filterParams(s = state) {
  return {
    kinds: s.kinds,
    min_reliability: s.min_reliability,
    min_credibility: s.min_credibility,
    by_country: s.by_country ? "1" : "",
  };
}

function viewParams(s = state) {
  const p = { ...dateParams(s), ...filterParams(s) };
  if (s.focus) {
    p.focus = s.focus;
    p.depth = s.depth || "1";
  }
  return p;
}

const shownDate = (s = state) => (s.from && s.to ? `${s.from} to ${s.to}` : s.at || (meta && meta.default_at) || "");

// ---- names ----

/** Actor names known from the current view, the pair shown and the searches. */
const names = new Map();
const nameOf = (id) => names.get(id) || id;
/** Set when a name is learnt: the tables are drawn again with it. */
let namesLearnt = false;
function learn(actor) {
  if (actor && actor.id && typeof actor.name === "string" && names.get(actor.id) !== actor.name) {
    names.set(actor.id, actor.name);
    namesLearnt = true;
  }
}

/** Learns the names a capped side list gives (`names`: id to name). */
function learnNames(doc) {
  for (const [id, name] of Object.entries((doc && doc.names) || {})) learn({ id, name });
}

/** What a capped side list left out, as a list item offering to narrow it (null: nothing). */
function moreItem(left, doc, what) {
  if (!left) return null;
  const narrow = (doc.narrow || []).join(", ");
  return el("li", { class: "hint more", "data-left-out": left }, `${left} more ${what}${narrow ? ` — narrow by ${narrow}` : ""}`);
}

/** Asks the server for the names of actors not yet named, so that what a list shows never
 * depends on which views came before (a reload must show the same). */
async function known(ids) {
  const missing = [...new Set(ids)].filter((id) => id && !names.has(id));
  await Promise.all(missing.map((id) => api("actor", { id }).then((doc) => learn(doc.actor), () => names.set(id, id))));
}

// ---- the graph ----

let cy = null;
let layoutKey = null;
let lastView = null;

function graphStyle() {
  const style = [
    { selector: "node", style: {
      label: "data(label)", "font-size": 15, "text-valign": "bottom", "text-margin-y": 3, "background-color": "#90a4ae",
      width: "mapData(degree, 0, 20, 16, 40)", height: "mapData(degree, 0, 20, 16, 40)", "border-width": 1, "border-color": "#546e7a",
      "text-background-color": "#fff", "text-background-opacity": 0.7, "text-background-padding": 1, color: "#263238",
      // Names only where they can be read (a zoomed-out large view would be a smear of them).
      "min-zoomed-font-size": 7,
    } },
    { selector: "node.country", style: { shape: "round-rectangle", "background-color": "#bbdefb" } },
    { selector: "node.agency", style: { shape: "ellipse", "background-color": "#ffe082" } },
    { selector: "node.person", style: { "background-color": "#f8bbd0" } },
    { selector: "node.alliance, node.agreement", style: { shape: "hexagon", "background-color": "#d1c4e9" } },
    { selector: ":parent", style: {
      "background-color": "#e3f2fd", "background-opacity": 0.55, "border-color": "#90caf9", shape: "round-rectangle",
      "text-valign": "top", "font-weight": "bold", padding: 8,
    } },
    { selector: "edge", style: {
      width: 2, "curve-style": "bezier", "line-color": "#9e9e9e", "target-arrow-color": "#9e9e9e", opacity: 0.9,
    } },
    { selector: "edge.directed", style: { "target-arrow-shape": "triangle", "arrow-scale": 0.9 } },
    { selector: "edge.possible", style: { "line-style": "dashed", "line-dash-pattern": [6, 4] } },
    { selector: "edge.off", style: { display: "none" } },
    { selector: "edge.contested", style: { width: 4, "underlay-color": CONTESTED, "underlay-opacity": 0.35, "underlay-padding": 4 } },
    { selector: "edge.fractured", style: {
      width: 4, "mid-target-arrow-shape": "tee", "mid-target-arrow-color": FRACTURED, "arrow-scale": 1.2,
      "underlay-color": FRACTURED, "underlay-opacity": 0.3, "underlay-padding": 3,
    } },
    { selector: ".picked", style: { "overlay-color": "#1976d2", "overlay-opacity": 0.25, "overlay-padding": 6 } },
    { selector: ".onpath", style: { "overlay-color": "#fbc02d", "overlay-opacity": 0.45, "overlay-padding": 6 } },
    { selector: "edge.added", style: { display: "element", "underlay-color": "#fbc02d", "underlay-opacity": 0.7, "underlay-padding": 5 } },
    { selector: "edge.removed", style: { display: "element", "line-style": "dotted", opacity: 0.5 } },
    { selector: "edge.changed", style: { "underlay-color": "#ef6c00", "underlay-opacity": 0.5, "underlay-padding": 5 } },
    { selector: "node.faded", style: { opacity: 0.35 } },
    { selector: "edge.tether", style: { opacity: 0, events: "no", width: 1 } },
  ];
  for (const k of KINDS) style.splice(7, 0, { selector: `edge.${k}`, style: { "line-color": COLOUR[k], "target-arrow-color": COLOUR[k] } });
  return style;
}

function ensureGraph() {
  if (cy || typeof window.cytoscape !== "function") return cy;
  cy = window.cytoscape({
    container: $("graph"), style: graphStyle(), minZoom: 0.01, maxZoom: 4,
    boxSelectionEnabled: false, autoungrabify: false,
  });
  cy.on("tap", "edge", (ev) => {
    const d = ev.target.data();
    setState({ sel: `${d.source}~${d.target}` });
  });
  cy.on("tap", "node", (ev) => {
    setState({ sel: ev.target.id() });
  });
  return cy;
}

/** Draws a view: the node set is laid out once (positions stay while scrubbing), edges change. */
function drawGraph(view) {
  const g = ensureGraph();
  if (!g) return;
  const ids = new Set(view.nodes.map((n) => n.id));
  const key = view.nodes.map((n) => `${n.id}<${n.parent && ids.has(n.parent) ? n.parent : ""}`).sort().join("|");
  g.batch(() => {
    if (key !== layoutKey) {
      g.elements().remove();
      g.add(view.nodes.map((n) => ({
        group: "nodes",
        data: { id: n.id, label: n.name, degree: n.degree || 0 },
        classes: [n.kind || "unknown"],
      })));
      // Agencies sit near their country: an invisible tether that only the layout feels.
      g.add(view.nodes.filter((n) => n.parent && ids.has(n.parent)).map((n) => ({
        group: "edges", data: { id: `t:${n.id}`, source: n.id, target: n.parent }, classes: ["tether"],
      })));
    }
    const edges = view.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
    const classes = (e) => [e.kind, e.status || "off", e.contested ? "contested" : "", e.directed ? "directed" : ""].filter(Boolean);
    // Only what changed: a capped view sends the day's holding relations, most of which the
    // day before also had; restyling or replacing all 6,000 edges a scrub cost most of its time.
    const want = new Map(edges.map((e) => ["e:" + e.key, e]));
    g.edges().not(".tether").filter((d) => !want.has(d.id())).remove();
    const added = [];
    for (const [id, e] of want) {
      const d = g.getElementById(id);
      const looks = classes(e).join(" ");
      if (d.empty()) {
        added.push({
          group: "edges",
          data: { id, key: e.key, rid: e.id, source: e.source, target: e.target, kind: e.kind, status: e.status, looks },
          classes: looks,
        });
      } else if (d.data("looks") !== looks || d.data("status") !== e.status) {
        d.data({ status: e.status, looks });
        d.classes(looks);
      }
    }
    g.add(added);
  });
  if (key !== layoutKey) {
    layoutKey = key;
    g.resize();
    layOut(g);
    g.fit(undefined, 16);
  }
}

/** A deterministic layout of the whole node set: cose from a start drawn by a seeded
 * generator (not its own random start), so that the same node set always gets the same
 * picture, after a reload too. */
function layOut(g) {
  let seed = 20251112;
  const random = () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const nodes = g.nodes().sort((x, y) => (x.id() < y.id() ? -1 : 1));
  if (nodes.length > LARGE) {
    // cose costs the square of the actors per step: a capped view of 1,500 actors would take
    // minutes. A sunflower spiral costs nothing: evenly spaced, the best connected in the
    // middle, ties by id; and the page offers to narrow such a view.
    const order = nodes.toArray().sort((x, y) => (y.data("degree") || 0) - (x.data("degree") || 0) || (x.id() < y.id() ? -1 : 1));
    const golden = Math.PI * (3 - Math.sqrt(5));
    order.forEach((n, i) => n.position({ x: 40 * Math.sqrt(i) * Math.cos(i * golden), y: 40 * Math.sqrt(i) * Math.sin(i * golden) }));
    return;
  }
  const side = 120 * Math.sqrt(nodes.length + 1);
  nodes.forEach((n) => n.position({ x: random() * side, y: random() * side }));
  // The layout sees every relation of the union, holding or not, so that positions do not
  // depend on the date.
  g.layout({
    // A fixed box and no fit: the result must not depend on the graph's box, which has no
    // size while the table shows (the page fits the picture to the window afterwards).
    name: "cose", randomize: false, animate: false, fit: false, boundingBox: { x1: 0, y1: 0, w: 1000, h: 1000 },
    nodeRepulsion: () => 400000,
    idealEdgeLength: (e) => (e.hasClass("tether") ? 20 : 110), edgeElasticity: (e) => (e.hasClass("tether") ? 1 : 100),
    nestingFactor: 1.0, gravity: 8, numIter: nodes.length > 150 ? 800 : 2500, componentSpacing: 20, nodeOverlap: 20, nodeDimensionsIncludeLabels: false,
  }).run();
  // cose leaves a round cloud: stretch it to the window's shape, so that names get room.
  const box = g.nodes().boundingBox();
  // The stage's shape, not the graph's box: that box has no size while the table shows.
  // (Its outer box: a scroll bar, which the table may bring, must not change the shape.)
  const stage = $("stage").getBoundingClientRect();
  const want = stage.width / Math.max(1, stage.height);
  const have = box.w / Math.max(1, box.h);
  const sx = have < want ? Math.min(2.5, want / have) : 1;
  const sy = have > want ? Math.min(2.5, have / want) : 1;
  g.nodes().positions((n) => ({ x: box.x1 + (n.position("x") - box.x1) * sx, y: box.y1 + (n.position("y") - box.y1) * sy }));
}

function markGraph() {
  if (!cy) return;
  cy.batch(() => {
    cy.elements().removeClass("picked onpath added removed changed faded fractured");
    if (fractured.size) cy.edges().filter((e) => e.data("status") && fractured.has(e.data("rid"))).addClass("fractured");
    if (state.sel) {
      const [a, b] = state.sel.split("~");
      if (b) cy.edges().filter((e) => (e.data("source") === a && e.data("target") === b) || (e.data("source") === b && e.data("target") === a)).addClass("picked");
      else cy.getElementById(a).addClass("picked");
    }
    for (const id of pathActors) cy.getElementById(id).addClass("onpath");
    for (const [a, b] of pathPairs) {
      cy.edges().filter((e) => e.data("status") && ((e.data("source") === a && e.data("target") === b) || (e.data("source") === b && e.data("target") === a))).addClass("onpath");
    }
    if (diffMarks.length) {
      // One pass over the edges (a diff lists hundreds of changes, a view has thousands of edges).
      const marks = new Map(diffMarks);
      cy.edges().forEach((e) => {
        const change = marks.get(e.data("rid"));
        if (change) e.addClass(change);
      });
    }
    if (focusActors) cy.nodes().filter((n) => !focusActors.has(n.id())).addClass("faded");
  });
}

// ---- the time bar ----

let histogram = null;

/** The days the time bar spans: all the dataset's time, or its last years or months. */
function timeSpan() {
  const last = toDays(firstDay(meta.last));
  let first = toDays(firstDay(meta.first));
  const m = /^(\d+)([ym])$/.exec(state.span || "");
  if (m) {
    const d = new Date(last * DAY);
    if (m[2] === "y") d.setUTCFullYear(d.getUTCFullYear() - +m[1]);
    else d.setUTCMonth(d.getUTCMonth() - +m[1]);
    first = Math.max(first, Math.floor(d.getTime() / DAY));
  }
  return [first, last];
}

let barsKey = null;

/** The bars are drawn again only when they change (the data, the filters, the span, the
 * width); a scrub moves only the marker. */
function drawHistogram() {
  const box = $("histogram");
  if (!histogram || !histogram.bins || !histogram.bins.length) {
    clear(box);
    barsKey = null;
    return;
  }
  const [spanFirst, spanLast] = timeSpan();
  const bins = histogram.bins.filter((b) => toDays(b.to) >= spanFirst && toDays(b.from) <= spanLast);
  if (!bins.length) return;
  const width = box.clientWidth || 1000;
  const height = box.clientHeight || 70;
  const first = Math.max(spanFirst, toDays(bins[0].from));
  const last = Math.min(spanLast, toDays(bins[bins.length - 1].to)) + 1;
  const x = (day) => ((day - first) / Math.max(1, last - first)) * width;
  const key = [histogram, spanFirst, spanLast, width, height];
  if (!barsKey || key.some((v, i) => v !== barsKey[i])) {
    clear(box);
    box.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const max = Math.max(1, ...bins.map((b) => KINDS.reduce((sum, k) => sum + (b[k] || 0), 0)));
    const bars = svg("g");
    for (const b of bins) {
      const x0 = Math.max(0, x(toDays(b.from)));
      const w = Math.max(1, Math.min(width, x(toDays(b.to) + 1)) - x0 - 0.5);
      let y = height;
      for (const k of KINDS) {
        const h = ((b[k] || 0) / max) * (height - 4);
        if (h <= 0) continue;
        y -= h;
        const r = svg("rect", { x: x0, y, width: w, height: h, fill: COLOUR[k] });
        const t = svg("title");
        t.textContent = `${b.from} to ${b.to}: ${KINDS.map((k2) => `${b[k2] || 0} ${k2}`).join(", ")}`;
        r.append(t);
        bars.append(r);
      }
    }
    box.append(bars, svg("g", { class: "now" }));
    box.dataset.first = String(first);
    box.dataset.last = String(last);
    barsKey = key;
  }
  const now = clear(box.querySelector("g.now"));
  if (state.from && state.to) {
    now.append(svg("rect", { class: "period", x: x(toDays(state.from)), y: 0, width: Math.max(2, x(toDays(state.to) + 1) - x(toDays(state.from))), height }));
  } else {
    const mx = x(toDays(state.at || meta.default_at));
    now.append(svg("line", { class: "marker", x1: mx, x2: mx, y1: 0, y2: height }));
  }
}

/** The day under a pointer on the histogram. */
function dayAt(ev) {
  const box = $("histogram");
  const r = box.getBoundingClientRect();
  const first = +box.dataset.first;
  const last = +box.dataset.last;
  const f = Math.min(1, Math.max(0, (ev.clientX - r.left) / r.width));
  return Math.min(last - 1, first + Math.floor(f * (last - first)));
}

let dragFrom = null;
function wireTimebar() {
  const box = $("histogram");
  box.addEventListener("mousedown", (ev) => {
    if (!box.dataset.first) return;
    dragFrom = dayAt(ev);
    ev.preventDefault();
  });
  window.addEventListener("mouseup", (ev) => {
    if (dragFrom === null) return;
    const to = dayAt(ev);
    const a = Math.min(dragFrom, to);
    const b = Math.max(dragFrom, to);
    dragFrom = null;
    // A drag selects a period; a click scrubs to a day.
    if (b - a >= 2) setState({ at: "", from: fromDays(a), to: fromDays(b) });
    else setState({ at: fromDays(a), from: "", to: "" });
  });
  const scrub = $("scrub");
  let timer = null;
  scrub.addEventListener("input", () => {
    const day = fromDays(+scrub.value);
    $("at").value = day;
    clearTimeout(timer);
    timer = setTimeout(() => setState({ at: day, from: "", to: "" }), 120);
  });
  $("at").addEventListener("change", () => {
    if (/^\d{4}-\d{2}-\d{2}$/.test($("at").value)) setState({ at: $("at").value, from: "", to: "" });
  });
  $("period-apply").addEventListener("click", () => {
    const f = $("from").value;
    const t = $("to").value;
    if (f && t) setState({ at: "", from: f < t ? f : t, to: f < t ? t : f });
  });
  $("play").addEventListener("click", togglePlay);
  $("span").addEventListener("change", (e) => setState({ span: e.target.value }));
}

let playing = null;
function togglePlay() {
  if (playing) {
    clearInterval(playing);
    playing = null;
  } else {
    playing = setInterval(() => {
      if (busy > 0) return;
      // One bin at a time across the bins the time bar spans; from its start when at its end.
      const [spanFirst, spanLast] = timeSpan();
      const bins = ((histogram && histogram.bins) || []).filter((b) => toDays(b.to) >= spanFirst && toDays(b.from) <= spanLast);
      const at = state.at || state.from || meta.default_at;
      const first = (b) => fromDays(Math.max(spanFirst, toDays(b.from)));
      const next = bins.find((b) => first(b) > at);
      if (!next) {
        togglePlay();
        return;
      }
      setState({ at: first(next), from: "", to: "" });
    }, 900);
    // Pressed at the end of the bar: start again from its beginning.
    const [spanFirst, spanLast] = timeSpan();
    if (toDays(state.at || meta.default_at) >= spanLast) setState({ at: fromDays(spanFirst), from: "", to: "" });
  }
  $("play").setAttribute("aria-pressed", playing ? "true" : "false");
  $("play").textContent = playing ? "❚❚ Pause" : "▶ Play";
}

// ---- filters ----

function buildFilters() {
  const kinds = $("kinds");
  for (const k of meta.kinds || KINDS) {
    const box = el("input", { type: "checkbox", id: `kind-${k}`, value: k, checked: true });
    box.addEventListener("change", () => {
      const on = [...kinds.querySelectorAll("input")].filter((i) => i.checked).map((i) => i.value);
      if (!on.length) {
        // No kind at all would show nothing: keep the last one.
        box.checked = true;
        return;
      }
      setState({ kinds: on.length === (meta.kinds || KINDS).length ? "" : on.join(",") });
    });
    kinds.append(el("label", { for: `kind-${k}` }, box, el("span", { class: "swatch", style: null }), k));
    kinds.lastChild.querySelector(".swatch").style.borderTopColor = COLOUR[k] || "#999";
  }
  for (const r of meta.reliability || ["A", "B", "C", "D", "E", "F"]) $("min-reliability").append(el("option", { value: r }, `${r} or better`));
  for (const c of meta.credibility || [1, 2, 3, 4, 5, 6]) $("min-credibility").append(el("option", { value: c }, `${c} or better`));
  $("min-reliability").addEventListener("change", (e) => setState({ min_reliability: e.target.value }));
  $("min-credibility").addEventListener("change", (e) => setState({ min_credibility: e.target.value }));
  $("by-country").addEventListener("change", (e) => setState({ by_country: e.target.checked ? "1" : "" }));
  const legend = $("legend");
  for (const k of KINDS) {
    const s = el("span", { class: "swatch" });
    s.style.borderTopColor = COLOUR[k];
    legend.append(el("li", {}, s, `${k} (active)`));
  }
  const dashed = el("span", { class: "swatch dashed" });
  legend.append(el("li", {}, dashed, "possible (dashed)"));
  const c = el("span", { class: "swatch" });
  c.style.borderTop = `6px solid ${CONTESTED}`;
  c.style.opacity = "0.5";
  legend.append(el("li", {}, c, "contested"));
  const f = el("span", { class: "swatch" });
  f.style.borderTop = `6px solid ${FRACTURED}`;
  f.style.opacity = "0.6";
  legend.append(el("li", {}, f, "fracture (a strain inside a group; ⊥ mid-edge)"));
  legend.append(el("li", {}, "squares: countries, with their agencies (circles) beside them"));
}

function showFilters() {
  const on = state.kinds ? state.kinds.split(",") : meta.kinds || KINDS;
  for (const i of $("kinds").querySelectorAll("input")) i.checked = on.includes(i.value);
  $("min-reliability").value = state.min_reliability;
  $("min-credibility").value = state.min_credibility;
  $("by-country").checked = !!state.by_country;
}

// ---- the view: graph, table, contests, hidden counts, what was left out ----

function edgeRow(e) {
  const row = el("tr", {
    tabindex: 0, "data-key": e.key, "data-pair": `${e.source}~${e.target}`,
    class: [e.contested ? "contested" : "", e.status || ""].filter(Boolean).join(" ") || null,
  },
  el("td", {}, nameOf(e.source)), el("td", {}, nameOf(e.target)), el("td", {}, e.kind), el("td", {}, e.status || ""),
  el("td", {}, e.contested ? "contested" : ""), el("td", {}, e.start || ""), el("td", {}, e.end || ""),
  el("td", {}, e.grade || ""), el("td", {}, e.id || e.key));
  return row;
}

function drawTable(view) {
  // A keyboard user keeps their place: the focused row has the focus again once redrawn.
  const active = document.activeElement;
  const focused = active && active.closest && active.closest("#table tbody tr") ? [active.dataset.key, active.dataset.id] : null;
  const edges = clear($("edges-table").tBodies[0]);
  for (const e of view.edges) if (e.status) edges.append(edgeRow(e));
  const nodes = clear($("nodes-table").tBodies[0]);
  for (const n of view.nodes) {
    nodes.append(el("tr", { tabindex: 0, "data-id": n.id },
      el("td", {}, n.id), el("td", {}, n.name), el("td", {}, n.kind || ""), el("td", {}, n.parent ? nameOf(n.parent) : ""),
      el("td", {}, String(n.degree ?? ""))));
  }
  if (focused) {
    const [key, id] = focused;
    const again = [...document.querySelectorAll("#table tbody tr")].find((r) => (key && r.dataset.key === key) || (id && r.dataset.id === id));
    if (again) again.focus();
  }
}

function openRow(row) {
  if (row.dataset.pair) setState({ sel: row.dataset.pair });
  else if (row.dataset.id) setState({ sel: row.dataset.id });
}

function wireTable() {
  for (const id of ["edges-table", "nodes-table"]) {
    const t = $(id);
    t.addEventListener("click", (ev) => {
      const row = ev.target.closest("tbody tr");
      if (row) openRow(row);
    });
    t.addEventListener("keydown", (ev) => {
      const row = ev.target.closest("tbody tr");
      if (!row) return;
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        openRow(row);
      } else if (ev.key === "ArrowDown" && row.nextElementSibling) {
        ev.preventDefault();
        row.nextElementSibling.focus();
      } else if (ev.key === "ArrowUp" && row.previousElementSibling) {
        ev.preventDefault();
        row.previousElementSibling.focus();
      }
    });
  }
}

function drawContests(view) {
  const list = clear($("contests"));
  for (const c of view.contested || []) {
    learn({ id: c.a, name: c.a_name });
    learn({ id: c.b, name: c.b_name });
    list.append(el("li", { "data-pair": `${c.a}~${c.b}` },
      el("button", { type: "button", onclick: () => setState({ sel: `${c.a}~${c.b}` }) }, `${c.a_name} — ${c.b_name}`),
      " ", el("span", { class: "why" }, (c.kinds || []).join(", "))));
  }
  if (!list.firstChild) list.append(el("li", { class: "hint" }, "none"));
}

function drawHidden(view) {
  const h = view.hidden_by_filters || {};
  const total = (h.kinds || 0) + (h.grades || 0);
  const p = $("hidden");
  p.dataset.count = String(total);
  p.textContent = total ? `${total} relation${total === 1 ? "" : "s"} hidden by the filters (${h.kinds || 0} by kind, ${h.grades || 0} by grade)` : "no relation hidden by the filters";
}

function drawLeftOut(view) {
  const box = clear($("leftout"));
  const lo = view.left_out;
  box.hidden = !lo;
  if (!lo) return;
  box.append(el("p", {}, `Too large to draw whole: ${lo.nodes} actors and ${lo.edges} relations left out.`));
  if (lo.why) box.append(el("p", {}, `Why: ${lo.why}.`));
  const offers = el("ul");
  for (const n of lo.narrow || []) {
    let act = null;
    if (/actor|focus|neighbour/i.test(n)) act = () => $("focus").focus();
    else if (/kind/i.test(n)) act = () => $("kinds").querySelector("input").focus();
    else if (/country/i.test(n)) act = () => setState({ by_country: "1" });
    offers.append(el("li", {}, act ? el("button", { type: "button", onclick: act }, n) : n));
  }
  box.append(el("p", {}, "Narrow it:"), offers);
}

// ---- evidence ----

function direction(r) {
  return r.directed ? `${nameOf(r.source)} → ${nameOf(r.target)}` : `${nameOf(r.source)} — ${nameOf(r.target)}`;
}

function relationCard(r) {
  const card = el("article", { class: `card ${r.kind} ${r.status ? r.status : "not-holding"}`, "data-key": r.key, "data-id": r.id });
  card.append(el("h3", {}, `${r.kind}: ${direction(r)}`));
  const dl = el("dl");
  const row = (k, v, cls) => {
    if (v === null || v === undefined || v === "") return;
    dl.append(el("dt", {}, k), el("dd", { class: cls || null }, v));
  };
  row("relation", r.id || r.key, "rid");
  row("dates", `${r.start || "?"} to ${r.end || "no end"}`, "dates");
  row("status", r.status || "not holding on this date", "status");
  row("grade", r.grade, "grade");
  row("claimant", r.claimant ? `${r.claimant.name} (${r.claimant.id})` : "none named", "claimant");
  row("why here", r.why, "why-visible");
  if (r.contested_by && r.contested_by.length) row("contested by", r.contested_by.join(", "), "contested-by");
  if (r.contests && r.contests.length) row("contests", r.contests.join(", "), "contests");
  card.append(dl);
  if (r.summary) card.append(el("p", { class: "summary" }, r.summary));
  card.append(sourceList(r.sources || r.evidence || []));
  return card;
}

function sourceList(sources) {
  const ul = el("ul", { class: "sources" });
  for (const s of sources) {
    if (typeof s === "string") {
      ul.append(el("li", { "data-id": s }, s));
      continue;
    }
    const li = el("li", { "data-id": s.id });
    li.append(s.url ? safeLink(s.url, s.title || s.id) : el("span", { class: "title" }, s.title || s.id));
    const more = [s.publisher, s.date, s.reliability ? `reliability ${s.reliability}` : ""].filter(Boolean).join(", ");
    if (more) li.append(document.createTextNode(` — ${more}`));
    ul.append(li);
  }
  if (!ul.firstChild) ul.append(el("li", {}, "no source"));
  return ul;
}

async function showPair(a, b, gen) {
  const doc = await api("pair", { a, b, ...dateParams(), ...filterParams() });
  if (gen !== generation) return;
  learn(doc.a);
  learn(doc.b);
  await known((doc.relations || []).flatMap((r) => [r.source, r.target]));
  if (gen !== generation) return;
  const box = clear($("evidence"));
  box.dataset.pair = `${doc.a.id}~${doc.b.id}`;
  box.append(el("h2", {}, `${doc.a.name} — ${doc.b.name}`));
  box.append(el("p", {}, `On ${shownDate()}: `, el("span", { class: `state ${doc.state}` }, doc.state || "")));
  // The contest first: relations that contest or are contested, then those holding, then the rest
  // (a stable sort keeps the server's order within each group).
  const rank = (r) => ((r.contested_by || []).length || (r.contests || []).length ? 0 : r.status ? 1 : 2);
  for (const r of [...(doc.relations || [])].sort((x, y) => rank(x) - rank(y))) box.append(relationCard(r));
  if (!(doc.relations || []).length) box.append(el("p", { class: "hint" }, "No relation between them."));
}

async function showActor(id, gen) {
  const doc = await api("actor", { id, ...dateParams(), ...filterParams() });
  if (gen !== generation) return;
  const a = doc.actor;
  learn(a);
  await known([a.parent, ...(doc.within || []), ...(doc.contains || [])]);
  if (gen !== generation) return;
  const box = clear($("evidence"));
  box.dataset.pair = "";
  box.append(el("h2", {}, `${a.name} (${a.id})`));
  const dl = el("dl", { class: "card" });
  const row = (k, v) => v && dl.append(el("dt", {}, k), el("dd", {}, v));
  row("kind", a.kind);
  row("part of", a.parent ? nameOf(a.parent) : "");
  row("also known as", (doc.aliases || []).join("; "));
  row("within", (doc.within || []).map(nameOf).join(", "));
  row("contains", (doc.contains || []).map(nameOf).join(", "));
  row("relations on this date", String(doc.relations_on ?? ""));
  box.append(dl);
  box.append(el("p", {},
    el("button", { type: "button", onclick: () => setState({ focus: a.id, depth: state.depth || "1" }) }, "Show its neighbourhood"), " ",
    el("button", { type: "button", onclick: () => { $("path-from").value = a.id; $("path-to").focus(); } }, "Path from here"), " ",
    el("button", { type: "button", onclick: () => { $("path-to").value = a.id; $("path-from").focus(); } }, "Path to here")));
}

// ---- path, neighbourhood, diff ----

let pathActors = [];
let pathPairs = [];
let diffMarks = [];
/** The neighbourhood on the date (null: none asked): the graph fades the other actors. */
let focusActors = null;

async function showPath(gen) {
  const list = clear($("path-list"));
  pathActors = [];
  pathPairs = [];
  if (!state.path) return;
  const [from, to] = state.path.split("~");
  $("path-from").value = from;
  $("path-to").value = to || "";
  if (state.from && state.to) {
    // /api/path takes from and to as its two ends: a path is asked on a day.
    list.append(el("li", {}, "A path is found on a day: pick a day on the time bar."));
    return;
  }
  const doc = await api("path", { from, to, at: state.at || meta.default_at, ...filterParams() });
  if (gen !== generation) return;
  await known(doc.actors || []);
  if (gen !== generation) return;
  clear(list);
  const actors = doc.actors || [];
  pathActors = actors;
  for (let i = 0; i + 1 < actors.length; i++) pathPairs.push([actors[i], actors[i + 1]]);
  if (!actors.length) {
    list.append(el("li", {}, doc.message || `No path from ${from} to ${to} on ${shownDate()}.`));
    return;
  }
  const byHop = new Map();
  for (const r of doc.relations || []) {
    if (!byHop.has(r.hop)) byHop.set(r.hop, []);
    byHop.get(r.hop).push(r);
  }
  const parts = new Map((doc.part_of || []).map((p) => [p.hop, p]));
  for (let h = 1; h < actors.length; h++) {
    const a = actors[h - 1];
    const b = actors[h];
    const li = el("li", { "data-hop": h, "data-pair": `${a}~${b}` });
    li.append(el("button", { type: "button", onclick: () => setState({ sel: `${a}~${b}` }) }, `${nameOf(a)} → ${nameOf(b)}`));
    if (parts.has(h)) {
      const p = parts.get(h);
      li.append(el("span", { class: "why" }, ` ${nameOf(p.member)} is part of ${nameOf(p.parent)}`));
    }
    // The server gives each hop's relations with their evidence (as /api/pair does) under
    // `evidence[path][hop]`; the CLI's document names sources by id only.
    const rich = Array.isArray(doc.evidence) && Array.isArray(doc.evidence[0]) ? doc.evidence[0][h - 1] : null;
    for (const r of rich || byHop.get(h) || []) {
      li.append(el("div", { class: "hop-relation", "data-id": r.id },
        `${r.kind}, ${r.status || ""}${r.contested || (r.contested_by || []).length ? ", contested" : ""}, ${r.grade || ""} (${r.id})`));
      if (r.claimant) li.append(el("div", { class: "why" }, `claimed by ${r.claimant.name}`));
      li.append(sourceList(r.sources || r.evidence || []));
    }
    list.append(li);
  }
  if (doc.weakest_grade) list.append(el("li", { class: "why" }, `weakest grade on the path: ${doc.weakest_grade}`));
}

/** The relations (by id) that are fractures on the date: the graph marks their edges. */
let fractured = new Set();

/** The date's fractures (the CLI's `fractures` document), under the contests: each opens the
 * evidence of its relation's two actors. */
async function showFractures(gen) {
  const doc = await api("fractures", { ...dateParams(), ...filterParams() });
  if (gen !== generation) return;
  learnNames(doc);
  const list = clear($("fractures"));
  fractured = new Set();
  // A relation that strains several groups is one entry, naming them all.
  const byRelation = new Map();
  for (const f of doc.fractures || []) {
    if (!byRelation.has(f.id)) byRelation.set(f.id, { f, groups: [] });
    byRelation.get(f.id).groups.push(f.group);
  }
  for (const id of byRelation.keys()) fractured.add(id);
  // Listed: the first ones (a large dataset has thousands on a day). The server sends the
  // first few hundred (`limit`): the graph marks those.
  const shown = [...byRelation].slice(0, LISTED);
  await known(shown.flatMap(([, { f, groups }]) => [f.source, f.target, f.source_member, f.target_member, ...groups]));
  if (gen !== generation) return;
  for (const [id, { f, groups }] of shown) {
    list.append(el("li", { "data-id": id, "data-pair": `${f.source}~${f.target}` },
      el("button", { type: "button", onclick: () => setState({ sel: `${f.source}~${f.target}` }) },
        `${nameOf(f.source_member)} — ${nameOf(f.target_member)}`),
      " ", el("span", { class: "why" }, `${f.kind}, ${f.status}, within ${groups.map(nameOf).join(", ")} (${id})`)));
  }
  if (byRelation.size > shown.length) list.append(el("li", { class: "hint" }, `and ${byRelation.size - shown.length} more`));
  const left = moreItem(doc.left_out || 0, doc, "fractures (by group and relation) not sent");
  if (left) list.append(left);
  if (!list.firstChild) list.append(el("li", { class: "hint" }, "none"));
}

async function showFocus(gen) {
  const list = clear($("focus-list"));
  focusActors = null;
  if (!state.focus) return;
  $("focus").value = state.focus;
  $("depth").value = state.depth || "1";
  const doc = await api("neighbours", { actor: state.focus, depth: state.depth || "1", ...dateParams(), ...filterParams() });
  if (gen !== generation) return;
  clear(list);
  const actors = [...(doc.actors || [])].sort((x, y) => x.distance - y.distance || (x.name < y.name ? -1 : 1));
  focusActors = new Set(actors.map((a) => a.id));
  for (const a of actors) {
    learn(a);
    list.append(el("li", { "data-id": a.id },
      `${a.distance} hop${a.distance === 1 ? "" : "s"}: `,
      el("button", { type: "button", onclick: () => setState({ sel: a.id }) }, a.name)));
  }
}

let diffKey = null;

async function showDiff(gen) {
  // A diff does not depend on the day shown: scrubbing keeps it as it is.
  const key = JSON.stringify([state.diff, filterParams()]);
  if (key === diffKey) return;
  const list = clear($("diff-list"));
  diffMarks = [];
  diffKey = null;
  if (!state.diff) return;
  const [d1, d2] = state.diff.split("~");
  $("diff-from").value = d1;
  $("diff-to").value = d2 || "";
  const doc = await api("diff", { from: d1, to: d2, ...filterParams() });
  if (gen !== generation) return;
  learnNames(doc);
  await known((doc.changes || []).flatMap((c) => [c.source, c.target]));
  if (gen !== generation) return;
  clear(list);
  const changes = doc.changes || [];
  for (const c of changes) {
    const kind = c.change === "started" || (c.before === null && c.after) ? "added"
      : c.change === "ended" || (c.after === null && c.before) ? "removed" : "changed";
    diffMarks.push([c.id, kind]);
    list.append(el("li", { class: kind, "data-id": c.id },
      `${kind}: `,
      el("button", { type: "button", onclick: () => setState({ sel: `${c.source}~${c.target}` }) }, `${nameOf(c.source)} — ${nameOf(c.target)}`),
      ` ${c.kind}, ${c.before || "none"} → ${c.after || "none"} (${c.id})`));
  }
  if (!changes.length) list.append(el("li", { class: "hint" }, `No change between ${d1} and ${d2}.`));
  // A large diff comes capped: the first changes in the CLI's order, and how many more.
  const left = moreItem((doc.left_out && doc.left_out.changes) || 0, doc, "changes not listed");
  if (left) list.append(left);
  diffKey = key;
}

// ---- export ----

function drawExport() {
  const nav = $("export");
  for (const a of [...nav.querySelectorAll("a")]) a.remove();
  const formats = [["csv", "edges CSV"], ["nodes-csv", "nodes CSV"], ["json", "JSON"], ["dot", "DOT"], ["svg", "SVG"], ["png", "PNG"]];
  for (const [f, label] of formats) {
    const q = new URLSearchParams({ format: f });
    for (const [k, v] of Object.entries(viewParams())) if (v) q.set(k, v);
    nav.append(el("a", { href: `/api/export?${q}`, download: "" }, label));
  }
}

// ---- drawing a state ----

let generation = 0;
/** How long the last view took: the server's answer, drawing it (graph and tables), and the
 * whole state (every call it makes). */
const timings = { view_ms: null, draw_ms: null, render_ms: null, table_ms: null, graph_ms: null };
let histogramKey = null;

async function render() {
  const gen = ++generation;
  const began = performance.now();
  state = readState();
  const s = state;
  $("error").textContent = "";
  $("at").value = s.from ? "" : s.at || meta.default_at;
  $("from").value = s.from;
  $("to").value = s.to;
  if (s.from) $("period-box").open = true;
  const [spanFirst, spanLast] = timeSpan();
  $("scrub").min = String(spanFirst);
  $("scrub").max = String(spanLast);
  $("scrub").value = String(toDays(s.from || s.at || meta.default_at));
  $("span").value = s.span;
  $("span-first").textContent = fromDays(spanFirst);
  $("span-last").textContent = fromDays(spanLast);
  showFilters();
  const table = s.view === "table";
  const wasHidden = $("graph").hidden;
  $("graph").hidden = table;
  if (cy && wasHidden && !table) {
    // Laid out or last fitted while the table showed: fit it to its box now that it has one.
    cy.resize();
    cy.fit(undefined, 16);
  }
  $("table").hidden = !table;
  $("show-graph").setAttribute("aria-pressed", String(!table));
  $("show-table").setAttribute("aria-pressed", String(table));
  drawExport();

  const jobs = [];
  const hkey = JSON.stringify(filterParams());
  if (hkey !== histogramKey) {
    jobs.push(api("histogram", filterParams()).then((h) => {
      if (gen !== generation) return;
      histogram = h;
      histogramKey = hkey;
    }));
  }
  const asked = performance.now();
  jobs.push(api("view", viewParams()).then((view) => {
    if (gen !== generation) return;
    const answered = performance.now();
    lastView = view;
    for (const n of view.nodes || []) learn(n);
    namesLearnt = false;
    drawHidden(view);
    drawLeftOut(view);
    drawContests(view);
    drawTable(view);
    const tabled = performance.now();
    drawGraph(view);
    timings.table_ms = tabled - answered;
    timings.graph_ms = performance.now() - tabled;
    timings.view_ms = answered - asked;
    timings.draw_ms = performance.now() - answered;
  }));
  if (s.sel) {
    const [a, b] = s.sel.split("~");
    jobs.push(b ? showPair(a, b, gen) : showActor(a, gen));
  } else {
    const box = clear($("evidence"));
    box.append(el("h2", {}, "Evidence"), el("p", { class: "hint" }, "Click an edge, a contest or a table row to read why it is there."));
  }
  jobs.push(showPath(gen), showFocus(gen), showDiff(gen), showFractures(gen));
  const results = await Promise.allSettled(jobs);
  if (gen !== generation) return;
  // Some answers name actors the view had not yet named: draw the tables again with them.
  if (lastView && namesLearnt) drawTable(lastView);
  drawHistogram();
  markGraph();
  const failed = results.filter((r) => r.status === "rejected");
  if (failed.length) $("error").textContent = failed.map((r) => (r.reason instanceof ApiError ? errorText(r.reason) : String(r.reason))).join("\n");
  const idle = lastView ? `${shownDate()}: ${lastView.edges.filter((e) => e.status).length} relations among ${lastView.nodes.length} actors` : "";
  $("status").dataset.idle = idle;
  $("status").textContent = idle;
  // The page state the tests wait for: this fragment is fully drawn.
  timings.render_ms = performance.now() - began;
  document.body.dataset.shown = location.hash.replace(/^#/, "");
  document.body.dataset.generation = String(gen);
}

// ---- search and forms ----

function wireForms() {
  let timer = null;
  const results = $("search-results");
  const search = $("search");
  const run = async () => {
    const q = search.value.trim();
    clear(results);
    if (!q) return;
    try {
      const doc = await api("search", { q });
      if (search.value.trim() !== q) return;
      clear(results);
      for (const m of doc.matches || []) {
        learn(m);
        results.append(el("li", { "data-id": m.id },
          el("button", { type: "button", onclick: () => { clear(results); search.value = ""; setState({ sel: m.id }); } },
            `${m.name} `, el("span", { class: "why" }, `${m.id}, ${m.kind || ""}${m.why ? ", " + m.why : ""}`))));
      }
      if (!results.firstChild) results.append(el("li", { class: "hint" }, "no match"));
    } catch (e) {
      $("error").textContent = e instanceof ApiError ? errorText(e) : String(e);
    }
  };
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  });
  $("search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const first = results.querySelector("button");
    if (first) first.click();
    else run();
  });
  search.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") clear(results);
  });
  $("path-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = $("path-from").value.trim();
    const t = $("path-to").value.trim();
    if (f && t) setState({ path: `${f}~${t}` });
  });
  $("path-clear").addEventListener("click", () => setState({ path: "" }));
  $("focus-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = $("focus").value.trim();
    if (f) setState({ focus: f, depth: $("depth").value || "1" });
  });
  $("focus-clear").addEventListener("click", () => setState({ focus: "", depth: "" }));
  $("diff-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const a = $("diff-from").value;
    const b = $("diff-to").value;
    if (a && b) setState({ diff: `${a}~${b}` });
  });
  $("diff-clear").addEventListener("click", () => setState({ diff: "" }));
  $("show-graph").addEventListener("click", () => setState({ view: "" }));
  $("show-table").addEventListener("click", () => setState({ view: "table" }));
  window.addEventListener("resize", () => {
    drawHistogram();
    if (cy) cy.resize();
  });
}

// ---- start ----

async function start() {
  try {
    meta = await api("meta");
  } catch (e) {
    $("error").textContent = `Cannot read the dataset's description: ${e instanceof ApiError ? errorText(e) : e}`;
    return;
  }
  document.title = `georel explorer: ${meta.data}`;
  $("counts").textContent = ` · ${meta.relations} relations, ${meta.actors} actors, ${meta.sources} sources`;
  buildFilters();
  wireTimebar();
  wireTable();
  wireForms();
  window.addEventListener("hashchange", () => {
    // cytoscape may have been loaded after the module: the first view then draws it.
    render();
  });
  if (document.readyState === "loading") await new Promise((r) => document.addEventListener("DOMContentLoaded", r));
  render();
}

// For tests and the curious: where each actor is drawn (positions must not move while scrubbing).
window.georel = {
  timings,
  violations,
  positions: () => (cy ? Object.fromEntries(cy.nodes().map((n) => [n.id(), n.position()])) : {}),
  /** The actors drawn, and whether each is faded. */
  drawn: () => (cy ? cy.nodes().map((n) => ({ id: n.id(), faded: n.hasClass("faded") })) : []),
  /** The relations (ids) whose edges are drawn as fractures. */
  fractured: () => (cy ? cy.edges(".fractured").map((e) => e.data("rid")) : []),
  /** Where a relation (by key) or an actor (by id) is on screen, relative to the graph's box. */
  onScreen: (key) => {
    if (!cy) return null;
    const e = cy.getElementById("e:" + key);
    if (e.nonempty()) return e.renderedMidpoint();
    const n = cy.getElementById(key);
    return n.nonempty() ? n.renderedPosition() : null;
  },
};

start();
