#include "graph/read/profile.hpp"

#include <algorithm>

#include "graph/read/read_rules.hpp"
#include "values/cursor.hpp"

namespace netpol::graph {

const ProfileService* Profile::service(const std::string& name) const {
  for (const auto& s : services)
    if (s.name == name) return &s;
  return nullptr;
}

std::optional<std::string> Profile::external_name(Protocol p, int port) const {
  for (const auto& e : externals)
    if (e.protocol == p && e.port == port) return e.name;
  return std::nullopt;
}

std::size_t Profile::rank(const std::string& service) const {
  for (std::size_t i = 0; i < services.size(); ++i)
    if (services[i].name == service) return i;
  return services.size();
}

Profile read_profile(const values::Value& doc) {
  using values::Cursor;
  Profile p;
  Cursor root = Cursor::root(doc);
  for (const Cursor& s : root["services"].items()) {
    ProfileService ps;
    ps.name = s["name"].as_string();
    if (s["description"].present()) ps.description = s["description"].as_string();
    if (s["externalSources"].present()) ps.external_sources = s["externalSources"].as_string();
    if (s["needs"].present()) {
      ps.needs.emplace();
      for (const Cursor& n : s["needs"].items()) ps.needs->push_back(n.as_string());
    }
    if (p.service(ps.name)) s["name"].fail("service \"" + ps.name + "\" is listed twice");
    p.services.push_back(std::move(ps));
  }
  for (const Cursor& e : root["externals"].items()) {
    ExternalName en;
    en.name = e["name"].as_string();
    en.port = read_port_number(e["port"]);  // checked before narrowing
    if (e["protocol"].present()) en.protocol = e["protocol"].parse(parse_protocol);
    p.externals.push_back(std::move(en));
  }
  return p;
}

}  // namespace netpol::graph
