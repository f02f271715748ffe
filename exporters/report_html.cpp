// index.html of the review bundle: one self-contained page (no network, no external scripts).

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "exporters/dot.hpp"
#include "exporters/json.hpp"
#include "exporters/report.hpp"
#include "graph/analysis/reach.hpp"

namespace netpol::exporters {
namespace {

const char* const kStyle = R"css(
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #111827; }
header, section { padding: 12px 24px; }
header { background: #f3f4f6; border-bottom: 1px solid #d1d5db; }
h1 { margin: 0 0 4px; font-size: 22px; } h2 { font-size: 18px; margin: 16px 0 8px; }
.verdict { font-weight: 600; }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { border: 1px solid #d1d5db; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f9fafb; }
.error { color: #b91c1c; font-weight: 600; } .warning { color: #b45309; } .info { color: #1d4ed8; }
#diagram { display: flex; gap: 16px; align-items: flex-start; }
#svg { flex: 1 1 auto; position: relative; overflow: hidden; height: 75vh;
  border: 1px solid #e5e7eb; cursor: grab; touch-action: none; }
#svg:focus { outline: 2px solid #93c5fd; }
#svg.dragging { cursor: grabbing; }
#viewport { transform-origin: 0 0; position: absolute; left: 0; top: 0; }
#zoom { position: absolute; right: 8px; top: 8px; z-index: 1; display: flex; gap: 4px; }
#zoom button { font: 13px system-ui, sans-serif; min-width: 32px; padding: 2px 6px;
  background: #fff; border: 1px solid #9ca3af; border-radius: 4px; cursor: pointer; }
#details { flex: 0 0 340px; border: 1px solid #e5e7eb; padding: 8px 12px; max-height: 80vh; overflow: auto; }
#details ul { padding-left: 18px; } #details li { margin-bottom: 6px; }
code { background: #f3f4f6; padding: 0 3px; border-radius: 3px; }
g.node { cursor: pointer; }
g.node.selected polygon, g.node.selected ellipse, g.node.selected path { stroke-width: 4px; }
g.edge.highlighted path, g.edge.highlighted polygon { stroke-width: 3px; }
g.edge.dimmed, g.node.dimmed { opacity: 0.2; }
.made { margin: 4px 0; color: #374151; }
table.inputs { margin: 4px 0 0; font-size: 13px; }
code.sha { font-size: 12px; word-break: break-all; }
.scroll { overflow-x: auto; }
.scroll-hint { margin: 4px 0 0; font-size: 12px; color: #4b5563; }
section.card { margin: 12px 24px 0; padding: 4px 16px 8px; border: 1px solid #fca5a5;
  border-left: 6px solid #b91c1c; border-radius: 4px; background: #fef2f2; }
section.card.none { border-color: #86efac; border-left-color: #15803d; background: #f0fdf4; }
section.card h2 { margin-top: 8px; }
section.card table { background: #fff; }
/* A phone: the panel below the diagram, the diagram the whole width. */
@media (max-width: 600px) {
  header, section { padding: 8px 12px; }
  section.card { margin: 8px 8px 0; padding: 4px 8px 8px; }
  #diagram { flex-direction: column; align-items: stretch; }
  #svg { flex: none; height: 60vh; }
  #details { flex: none; max-height: none; }
}
)css";

// With JavaScript off: the picture at its own size in a box that scrolls, and no controls
// that would do nothing.
const char* const kNoScriptStyle = R"css(
#svg { overflow: auto; cursor: auto; height: auto; max-height: 80vh; }
#viewport { position: static; }
#zoom, #details, .js-only { display: none; }
)css";

const char* const kScript = R"js(
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('graph-data').textContent);
  var svg = document.querySelector('#svg svg');
  var nodes = svg ? Array.prototype.slice.call(svg.querySelectorAll('g.node')) : [];
  var edges = svg ? Array.prototype.slice.call(svg.querySelectorAll('g.edge')) : [];
  var titleOf = function (g) { var t = g.querySelector('title'); return t ? t.textContent : ''; };
  var ends = {};
  data.edges.forEach(function (e) { ends[e.from + '->' + e.to] = e; });
  function endsOf(g) {
    var e = ends[titleOf(g)];
    if (e) return [e.from, e.to];
    var parts = titleOf(g).split('->');
    return [parts[0], parts[parts.length - 1]];
  }
  // A location with its file named as the header names it (relative to the bundle, or by
  // its file name), as graph.json's locations name it as given.
  var names = JSON.parse(document.getElementById('input-names').textContent);
  var known = Object.keys(names).sort(function (a, b) { return b.length - a.length; });
  function shownLocation(loc) {
    for (var i = 0; i < known.length; i++) {
      var n = known[i];
      if (loc === n || loc.slice(0, n.length + 1) === n + ':') return names[n] + loc.slice(n.length);
    }
    return loc;
  }
  function item(text, cls) {
    var li = document.createElement('li');
    li.textContent = text;
    if (cls) li.className = cls;
    return li;
  }
  // What each drawn edge stands for (by its SVG title): the graph's edges from any of
  // `from` to any of `to` (an edge of the whole namespace, a group of services, a class).
  var drawn = JSON.parse(document.getElementById('drawn-data').textContent);
  function standsFor(g) {
    var d = drawn[titleOf(g)];
    if (d) return d;
    var fe = endsOf(g);
    return { from: [fe[0]], to: [fe[1]], label: fe[0] + ' \u2192 ' + fe[1] };
  }
  // Clicking a node highlights every drawn edge that stands for one of its edges, and lists
  // exactly those, each with the graph edges of the node behind it and their values keys.
  function select(id) {
    var list = document.getElementById('details-list');
    list.textContent = '';
    var count = 0;
    edges.forEach(function (g) {
      var d = standsFor(g);
      var on = d.from.indexOf(id) >= 0 || d.to.indexOf(id) >= 0;
      g.classList.toggle('highlighted', on);
      g.classList.toggle('dimmed', !on);
      if (!on) return;
      count++;
      var li = item(d.label);
      var inner = document.createElement('ul');
      data.edges.forEach(function (e) {
        if ((e.from !== id && e.to !== id) || d.from.indexOf(e.from) < 0 || d.to.indexOf(e.to) < 0) return;
        var one = item(e.from + ' \u2192 ' + e.to + '  (' + e.ports.join(', ') + ')');
        var keys = document.createElement('ul');
        e.provenance.forEach(function (p) {
          keys.appendChild(item(p.side + ': ' + p.path + (p.location ? '  ' + shownLocation(p.location) : '')));
        });
        one.appendChild(keys);
        inner.appendChild(one);
      });
      li.appendChild(inner);
      list.appendChild(li);
    });
    nodes.forEach(function (g) {
      g.classList.toggle('selected', titleOf(g) === id);
      g.classList.remove('dimmed');
    });
    document.getElementById('details-title').textContent = id;
    if (!count) list.appendChild(item('No edges.'));
    document.body.setAttribute('data-selected', id);
    document.body.setAttribute('data-highlighted-edges', String(count));
    document.body.setAttribute('data-listed-edges', String(count ? list.children.length : 0));
  }
  var moved = false;
  nodes.forEach(function (g) {
    g.addEventListener('click', function () { if (!moved) select(titleOf(g)); });
  });

  // Zoom and pan: the picture opens fitted to the width of its box (never larger than its
  // own size), the box no taller than the picture then is; the wheel zooms at the pointer, a
  // drag pans, the buttons and keys (+ - 0 f, arrows) do both.
  var box = document.getElementById('svg'), view = document.getElementById('viewport');
  var zoom = { s: 1, x: 0, y: 0 };
  function apply() {
    view.style.transform = 'translate(' + zoom.x + 'px,' + zoom.y + 'px) scale(' + zoom.s + ')';
    document.body.setAttribute('data-zoom', zoom.s.toFixed(3));
  }
  function zoomAt(factor, cx, cy) {
    var s = Math.min(8, Math.max(0.05, zoom.s * factor));
    zoom.x = cx - (cx - zoom.x) * (s / zoom.s);
    zoom.y = cy - (cy - zoom.y) * (s / zoom.s);
    zoom.s = s;
    apply();
  }
  function centre(factor) { zoomAt(factor, box.clientWidth / 2, box.clientHeight / 2); }
  // The picture starts below the zoom buttons, which would cover its title on a phone.
  var bar = document.getElementById('zoom');
  function below() { return bar.offsetTop + bar.offsetHeight + 4; }
  function fit() {
    if (!svg) return;
    var w = svg.getBoundingClientRect().width / zoom.s, h = svg.getBoundingClientRect().height / zoom.s;
    zoom.s = Math.min(box.clientWidth / w, (box.clientHeight - below()) / h, 8);
    zoom.x = 0; zoom.y = below();
    apply();
  }
  function actual() { zoom.s = 1; zoom.x = 0; zoom.y = below(); apply(); }
  var actions = { 'zoom-in': function () { centre(1.25); }, 'zoom-out': function () { centre(0.8); },
                  'zoom-fit': fit, 'zoom-actual': actual };
  Object.keys(actions).forEach(function (id) {
    document.getElementById(id).addEventListener('click', function (ev) {
      ev.stopPropagation(); actions[id](); box.focus();
    });
  });
  box.addEventListener('wheel', function (ev) {
    ev.preventDefault();
    var r = box.getBoundingClientRect();
    zoomAt(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });
  var drag = null;
  box.addEventListener('pointerdown', function (ev) {
    if (ev.target.closest && ev.target.closest('#zoom')) return;
    drag = { x: ev.clientX, y: ev.clientY, zx: zoom.x, zy: zoom.y };
    moved = false;
  });
  window.addEventListener('pointermove', function (ev) {
    if (!drag) return;
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    moved = true;
    box.classList.add('dragging');
    zoom.x = drag.zx + dx; zoom.y = drag.zy + dy;
    apply();
  });
  window.addEventListener('pointerup', function () {
    drag = null;
    box.classList.remove('dragging');
    setTimeout(function () { moved = false; }, 0);
  });
  box.addEventListener('keydown', function (ev) {
    var step = 60, handled = true;
    if (ev.key === '+' || ev.key === '=') centre(1.25);
    else if (ev.key === '-' || ev.key === '_') centre(0.8);
    else if (ev.key === '0') actual();
    else if (ev.key === 'f') fit();
    else if (ev.key === 'ArrowLeft') { zoom.x += step; apply(); }
    else if (ev.key === 'ArrowRight') { zoom.x -= step; apply(); }
    else if (ev.key === 'ArrowUp') { zoom.y += step; apply(); }
    else if (ev.key === 'ArrowDown') { zoom.y -= step; apply(); }
    else handled = false;
    if (handled) ev.preventDefault();
  });
  function fitWidth() {
    if (!svg) return;
    actual();
    var r = svg.getBoundingClientRect();
    var s = Math.min(1, (box.clientWidth - 2) / r.width);
    box.style.height = Math.max(160, Math.min(window.innerHeight * 0.75, r.height * s + below() + 4)) + 'px';
    zoom.s = s;
    apply();
  }
  fitWidth();
  apply();
  // A table wider than the screen scrolls sideways; say so above it (a phone).
  function markWide() {
    Array.prototype.forEach.call(document.querySelectorAll('div.scroll'), function (div) {
      var wide = div.scrollWidth > div.clientWidth + 1;
      var hint = div.previousElementSibling;
      if (!hint || !hint.classList.contains('scroll-hint')) {
        hint = document.createElement('p');
        hint.className = 'scroll-hint';
        hint.textContent = 'Wider than the screen: scroll the table sideways.';
        div.parentNode.insertBefore(hint, div);
      }
      hint.hidden = !wide;
    });
  }
  markWide();
  window.addEventListener('resize', markWide);
  document.body.setAttribute('data-ready', 'yes');
})();
)js";

// JSON inside <script>: "</", "<!--" or "<script" in a name would end the element or change
// how the page parses it, so every '<' (which JSON has only inside strings) is written
// \u003c, the same string to a JSON parser. Every '#' is written \u0023: the page's "&#35;"
// for a "##[" CI command (text.hpp) would not be read back inside a script.
std::string script_safe(const std::string& json) {
  std::string out;
  for (char c : json) {
    if (c == '<')
      out += "\\u003c";
    else if (c == '#')
      out += "\\u0023";
    else
      out += c;
  }
  return out;
}

// Each visible edge of the diagram, by the title Graphviz gives it ("from->to", with the
// namespace's edges drawn from its anchor node): the node ids it stands for at each end
// and a label for the page.
nlohmann::ordered_json drawn_edges(const Diagram& diagram) {
  const std::string anchor_out = namespace_anchor(diagram, false),
                    anchor_in = namespace_anchor(diagram, true);
  std::map<std::string, std::vector<std::string>> members;  // a drawn node -> graph nodes
  std::set<std::string> groups;                             // drawn nodes that are groups
  std::vector<std::string> in_namespace;
  for (const auto& node : diagram.nodes) {
    if (!node.members.empty()) groups.insert(node.id);
    std::vector<std::string>& member_list = members[node.id];
    if (!node.members.empty())
      member_list = node.members;
    else
      member_list = {node.id};
    // A class is drawn once, as its senders node, for both of its nodes.
    const std::string senders(graph::kClassSendersPrefix);
    if (node.id.rfind(senders, 0) == 0)
      member_list.push_back(std::string(graph::kClassReceiversPrefix) +
                            node.id.substr(senders.size()));
    if (node.place == Place::Namespace && node.look != Look::ServiceClass &&
        node.look != Look::Junction)
      in_namespace.insert(in_namespace.end(), member_list.begin(), member_list.end());
  }
  std::map<std::string, std::vector<std::string>> in_box;  // another namespace's box
  for (const auto& n : diagram.nodes)
    if (!n.box.empty())
      in_box[n.box].insert(in_box[n.box].end(), members[n.id].begin(), members[n.id].end());
  auto side = [&](const std::string& id) {
    if (id.empty()) return in_namespace;
    auto it = members.find(id);
    return it == members.end() ? std::vector<std::string>{id} : it->second;
  };
  // A junction stands for its bundle: the sources whose edges meet at it, and where the
  // bundle goes on to.
  std::map<std::string, std::vector<std::string>> junction_from, junction_to;
  for (const auto& edge : diagram.edges) {
    if (edge.into_junction) {
      auto more = side(edge.from);
      auto& f = junction_from[edge.to];
      f.insert(f.end(), more.begin(), more.end());
    }
  }
  for (const auto& e : diagram.edges)
    if (junction_from.count(e.from)) junction_to[e.from] = side(e.to);
  auto from_side = [&](const std::string& id) {
    auto it = junction_from.find(id);
    return it == junction_from.end() ? side(id) : it->second;
  };
  auto to_side = [&](const std::string& id) {
    auto it = junction_to.find(id);
    return it == junction_to.end() ? side(id) : it->second;
  };
  auto junction_name = [&](const std::string& id, bool from) {
    // "ui, janitor" for the sources of a bundle, its destination for the other end.
    const auto& ids = from ? junction_from.at(id) : junction_to.at(id);
    std::string out;
    for (const auto& x : ids) out += (out.empty() ? "" : ", ") + x;
    return out;
  };
  auto name = [&](const std::string& id) {
    const std::string noun = service_word(diagram.workloads);
    if (id.empty()) return "every " + noun;
    auto it = members.find(id);
    return groups.count(id) && it->second.size() > 1
               ? std::to_string(it->second.size()) + " " + noun + "s"
               : id;
  };
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& edge : diagram.edges) {
    if (edge.invisible) continue;
    std::string title = (edge.from.empty() ? anchor_out : edge.from) + "->" +
                        (edge.to.empty() ? anchor_in : edge.to);
    std::string from_name =
        junction_from.count(edge.from) ? junction_name(edge.from, true) : name(edge.from);
    std::string to_name =
        junction_to.count(edge.to) ? junction_name(edge.to, false) : name(edge.to);
    if (!edge.from_box.empty()) from_name = "namespace " + edge.from_box;
    if (!edge.to_box.empty()) to_name = "namespace " + edge.to_box;
    out[title] = {{"from", edge.from_box.empty() ? from_side(edge.from) : in_box.at(edge.from_box)},
                  {"to", edge.to_box.empty() ? to_side(edge.to) : in_box.at(edge.to_box)},
                  {"label", from_name + " \u2192 " + to_name +
                                (edge.label.empty() ? "" : "  (" + edge.label + ")")}};
  }
  return out;
}

void map_table(const graph::CommunicationMap& map, std::ostream& out) {
  if (!map.policies_enabled) {
    out << "<p>Network policies are disabled: all traffic is allowed.</p>\n";
    return;
  }
  out << "<div class=\"scroll\"><table><tr><th>Service</th><th>Ingress From</th><th>Egress "
         "To</th><th>External Ingress</th></tr>\n";
  auto cell = [](const std::vector<std::string>& items) {
    std::string s;
    for (const auto& i : items) s += (s.empty() ? "" : ", ") + html_escape(i);
    return s.empty() ? std::string("(none)") : s;
  };
  for (const auto& r : map.rows)
    out << "<tr><td>" << html_escape(r.service) << "</td><td>" << cell(r.ingress_from)
        << "</td><td>" << cell(r.egress_to) << "</td><td>" << (r.external_ingress ? "Yes" : "No")
        << "</td></tr>\n";
  out << "</table></div>\n";
}

// The keys of an exposure row, one per line: the values path and where it was set.
std::string keys_html(const std::vector<graph::Provenance>& keys) {
  std::string out;
  for (const auto& k : keys)
    out += (out.empty() ? "" : "<br>") + std::string("<code>") + html_escape(k.path) + "</code>" +
           (k.where.known() ? " " + html_escape(k.where.str()) : "");
  return out.empty() ? "(none)" : out;
}

}  // namespace

std::string report_html(const ReviewSections& sections, const graph::Analysis& analysis,
                        const std::string& svg, const Diagram& diagram) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>Network policy review</title>\n<style>"
      << kStyle << "</style>\n<noscript><style>" << kNoScriptStyle
      << "</style></noscript>\n</head>\n<body>\n<header>\n<h1>Network policy review</h1>\n";
  out << "<p class=\"verdict\">" << sections.verdict << "</p>\n";
  out << "<p class=\"made\">netpol-graph " << NETPOL_VERSION;
  if (sections.made)
    out << " &middot; generated " << html_escape(sections.made->generated_at) << " (UTC)";
  out << " &middot; " << namespaces_phrase(sections, [](const std::string& ns) {
    return "<code>" + html_escape(ns) + "</code>";
  }) << "</p>\n";
  // The inputs (in layering order, for values), each with its SHA-256 where the bundle has one.
  out << "<div class=\"scroll\"><table class=\"inputs\"><tr><th>"
      << (sections.layered ? "Input, in layering order" : "Input")
      << "</th><th>SHA-256</th></tr>\n";
  for (const auto& i : sections.inputs)
    out << "<tr><td><code>" << html_escape(i.shown) << "</code></td><td>"
        << (i.sha256.empty() ? "" : "<code class=\"sha\">" + i.sha256 + "</code>")
        << "</td></tr>\n";
  out << "</table></div>\n</header>\n";

  // First what the internet reaches: each node, the ports of the hop into it and the keys
  // that open that hop.
  out << "<section id=\"internet\" class=\"card" << (sections.exposed.empty() ? " none" : "")
      << "\">\n<h2>Reachable from the internet</h2>\n";
  if (sections.exposed.empty())
    out << "<p>Nothing: no source outside the cluster reaches a workload.</p>\n";
  else
    out << "<div class=\"scroll\"><table><tr><th>Node</th><th>Hops</th><th>Ports</th><th>Opened "
           "by</th><th>Shortest path</th></tr>\n";
  for (const ExposureRow& row : sections.exposed) {
    std::string path;
    for (const auto& n : row.path) path += (path.empty() ? "" : " \u2192 ") + html_escape(n);
    out << "<tr><td>" << html_escape(row.node) << "</td><td>" << row.hops << "</td><td>"
        << html_escape(row.ports) << "</td><td>" << keys_html(row.keys) << "</td><td>" << path
        << "</td></tr>\n";
  }
  if (!sections.exposed.empty()) out << "</table></div>\n";
  out << "</section>\n";

  auto start = svg.find("<svg");
  out << "<section>\n<h2>Diagram</h2>\n<p class=\"js-only\">Click a node to highlight its "
         "edges and list the values keys that opened them. Zoom with the wheel, the buttons or "
         "+ and -, drag or use the arrow keys to pan; 0 for the actual size, f to fit.</p>\n"
         "<noscript><p>With JavaScript off the diagram is at its own size: scroll it. The "
         "tables hold everything it shows.</p></noscript>\n<div id=\"diagram\">\n"
         "<div id=\"svg\" tabindex=\"0\" aria-label=\"diagram: zoom with + and -, pan with the "
         "arrow keys\">\n<div id=\"zoom\"><button id=\"zoom-in\" title=\"Zoom in (+)\">+</button>"
         "<button id=\"zoom-out\" title=\"Zoom out (-)\">&minus;</button><button id=\"zoom-fit\" "
         "title=\"Fit (f)\">fit</button><button id=\"zoom-actual\" title=\"Actual size "
         "(0)\">1:1</button></div>\n<div id=\"viewport\">\n"
      << (start == std::string::npos ? "" : svg.substr(start))
      << "</div>\n</div>\n<aside id=\"details\"><h3 id=\"details-title\">Select a node</h3><ul "
         "id=\"details-list\"></ul></aside>\n</div>\n</section>\n";

  out << "<section>\n<h2>Findings</h2>\n";
  if (sections.findings.empty())
    out << "<p>None.</p>\n";
  else
    out << "<div class=\"scroll\"><table><tr><th>Severity</th><th>Code</th><th>Values "
           "key</th><th>Message</th><th>Fix</th></tr>\n";
  for (const auto& f : sections.findings)
    out << "<tr><td class=\"" << f.severity << "\">" << f.severity << "</td><td><code>" << f.code
        << "</code></td><td><code>" << html_escape(f.key) << "</code><br>"
        << html_escape(f.location) << "</td><td>" << html_escape(f.message) << "</td><td>"
        << html_escape(f.fix) << "</td></tr>\n";
  if (!sections.findings.empty()) out << "</table></div>\n";
  out << "</section>\n";

  out << "<section>\n<h2>Service Communication Map</h2>\n";
  if (sections.documented) {
    out << "<p>As documented:</p>\n";
    map_table(*sections.documented, out);
    out << "<p>Everything the policies allow:</p>\n";
  } else {
    out << "<p>" << html_escape(sections.one_map) << ":</p>\n";
  }
  map_table(*sections.effective, out);
  out << "</section>\n";

  std::ostringstream json;
  write_json(analysis, json);
  nlohmann::ordered_json shown = nlohmann::ordered_json::object();
  for (const auto& [name, as_shown] : sections.shown_names) shown[name] = as_shown;
  out << "<script type=\"application/json\" id=\"graph-data\">" << script_safe(json.str())
      << "</script>\n<script type=\"application/json\" id=\"drawn-data\">"
      << script_safe(drawn_edges(diagram).dump())
      << "</script>\n<script type=\"application/json\" id=\"input-names\">"
      << script_safe(shown.dump()) << "</script>\n<script>" << kScript
      << "</script>\n</body>\n</html>\n";
  return out.str();
}

std::string report_html(const graph::Analysis& a, const std::string& svg, const Diagram& diagram,
                        const BundleProvenance* provenance) {
  return report_html(review_sections(a, provenance), a, svg, diagram);
}

}  // namespace netpol::exporters
