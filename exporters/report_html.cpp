// index.html of the review bundle: one self-contained page (no network, no external scripts).

#include <sstream>

#include "exporters/json.hpp"
#include "exporters/report.hpp"
#include "graph/reach.hpp"

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
#svg { flex: 1 1 auto; overflow: auto; border: 1px solid #e5e7eb; }
#svg svg { max-width: 100%; height: auto; }
#details { flex: 0 0 340px; border: 1px solid #e5e7eb; padding: 8px 12px; max-height: 80vh; overflow: auto; }
#details ul { padding-left: 18px; } #details li { margin-bottom: 6px; }
code { background: #f3f4f6; padding: 0 3px; border-radius: 3px; }
g.node { cursor: pointer; }
g.node.selected polygon, g.node.selected ellipse, g.node.selected path { stroke-width: 4px; }
g.edge.highlighted path, g.edge.highlighted polygon { stroke-width: 3px; }
g.edge.dimmed, g.node.dimmed { opacity: 0.2; }
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
  function item(text, cls) {
    var li = document.createElement('li');
    li.textContent = text;
    if (cls) li.className = cls;
    return li;
  }
  function select(id) {
    var count = 0;
    edges.forEach(function (g) {
      var fe = endsOf(g), on = fe[0] === id || fe[1] === id;
      g.classList.toggle('highlighted', on);
      g.classList.toggle('dimmed', !on);
      if (on) count++;
    });
    nodes.forEach(function (g) {
      g.classList.toggle('selected', titleOf(g) === id);
      g.classList.remove('dimmed');
    });
    document.getElementById('details-title').textContent = id;
    var list = document.getElementById('details-list');
    list.textContent = '';
    var related = data.edges.filter(function (e) { return e.from === id || e.to === id; });
    if (!related.length) list.appendChild(item('No edges.'));
    related.forEach(function (e) {
      var li = item(e.from + ' \u2192 ' + e.to + '  (' + e.ports.join(', ') + ')');
      var keys = document.createElement('ul');
      e.provenance.forEach(function (p) {
        keys.appendChild(item(p.side + ': ' + p.path + (p.location ? '  ' + p.location : '')));
      });
      li.appendChild(keys);
      list.appendChild(li);
    });
    document.body.setAttribute('data-selected', id);
    document.body.setAttribute('data-highlighted-edges', String(count));
    document.body.setAttribute('data-listed-edges', String(related.length));
  }
  nodes.forEach(function (g) {
    g.addEventListener('click', function () { select(titleOf(g)); });
  });
  document.body.setAttribute('data-ready', 'yes');
})();
)js";

// JSON inside <script>: "</", "<!--" or "<script" in a name would end the element or change
// how the page parses it, so every '<' (which JSON has only inside strings) is written
// \u003c, the same string to a JSON parser.
std::string script_safe(const std::string& json) {
  std::string out;
  for (char c : json) {
    if (c == '<')
      out += "\\u003c";
    else
      out += c;
  }
  return out;
}

void map_table(const graph::CommunicationMap& m, std::ostream& out) {
  if (!m.policies_enabled) {
    out << "<p>Network policies are disabled: all traffic is allowed.</p>\n";
    return;
  }
  out << "<table><tr><th>Service</th><th>Ingress From</th><th>Egress To</th><th>External "
         "Ingress</th></tr>\n";
  auto cell = [](const std::vector<std::string>& items) {
    std::string s;
    for (const auto& i : items) s += (s.empty() ? "" : ", ") + html_escape(i);
    return s.empty() ? std::string("(none)") : s;
  };
  for (const auto& r : m.rows)
    out << "<tr><td>" << html_escape(r.service) << "</td><td>" << cell(r.ingress_from)
        << "</td><td>" << cell(r.egress_to) << "</td><td>" << (r.external_ingress ? "Yes" : "No")
        << "</td></tr>\n";
  out << "</table>\n";
}

}  // namespace

std::string report_html(const graph::Analysis& a, const std::string& svg) {
  const graph::PolicyGraph& g = a.graph;
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>Network policy review</title>\n<style>"
      << kStyle << "</style>\n</head>\n<body>\n<header>\n<h1>Network policy review</h1>\n";
  out << "<p class=\"verdict\">" << a.count_text() << ". Network policies are "
      << (g.policies_enabled ? "enabled." : "DISABLED: all traffic is allowed.") << "</p>\n";
  std::string inputs;
  for (const auto& i : a.inputs)
    inputs += (inputs.empty() ? "" : ", ") + std::string("<code>") + html_escape(i) + "</code>";
  out << "<p>Inputs, in layering order: " << inputs << "; namespace <code>" << html_escape(g.ns)
      << "</code>.</p>\n</header>\n";

  auto start = svg.find("<svg");
  out << "<section>\n<h2>Diagram</h2>\n<p>Click a node to highlight its edges and list the "
         "values keys that opened them.</p>\n<div id=\"diagram\">\n<div id=\"svg\">\n"
      << (start == std::string::npos ? "" : svg.substr(start))
      << "</div>\n<aside id=\"details\"><h3 id=\"details-title\">Select a node</h3><ul "
         "id=\"details-list\"></ul></aside>\n</div>\n</section>\n";

  out << "<section>\n<h2>Findings</h2>\n";
  if (a.findings.empty())
    out << "<p>None.</p>\n";
  else
    out << "<table><tr><th>Severity</th><th>Code</th><th>Values "
           "key</th><th>Message</th><th>Fix</th></tr>\n";
  for (const auto& f : a.findings) {
    std::string sev(graph::severity_name(f.severity));
    out << "<tr><td class=\"" << sev << "\">" << sev << "</td><td><code>" << f.code
        << "</code></td><td><code>" << html_escape(f.where.path) << "</code><br>"
        << html_escape(f.where.where.str()) << "</td><td>" << html_escape(f.message) << "</td><td>"
        << html_escape(f.fix) << "</td></tr>\n";
  }
  if (!a.findings.empty()) out << "</table>\n";
  out << "</section>\n";

  out << "<section>\n<h2>Service Communication Map</h2>\n<p>As documented:</p>\n";
  map_table(a.documented(), out);
  out << "<p>Everything the policies allow:</p>\n";
  map_table(a.effective(), out);
  out << "</section>\n";

  out << "<section>\n<h2>Reachable from any source</h2>\n";
  const std::vector<graph::Route>& routes = a.exposed;
  if (routes.empty())
    out << "<p>Nothing.</p>\n";
  else
    out << "<table><tr><th>Node</th><th>Hops</th><th>Shortest path</th></tr>\n";
  for (const auto& r : routes) {
    std::string path;
    for (auto v : r.path) path += (path.empty() ? "" : " \u2192 ") + html_escape(g.node(v).id);
    out << "<tr><td>" << html_escape(g.node(r.to).id) << "</td><td>" << r.hops() << "</td><td>"
        << path << "</td></tr>\n";
  }
  if (!routes.empty()) out << "</table>\n";
  out << "</section>\n";

  std::ostringstream json;
  write_json(a, json);
  out << "<script type=\"application/json\" id=\"graph-data\">" << script_safe(json.str())
      << "</script>\n<script>" << kScript << "</script>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace netpol::exporters
