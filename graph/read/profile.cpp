#include "graph/read/profile.hpp"

#include <algorithm>

#include "graph/read/read_rules.hpp"
#include "graph/rules/node_ids.hpp"
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
  Profile profile;
  Cursor root = Cursor::root(doc);
  for (const Cursor& cursor : root["services"].items()) {
    ProfileService ps;
    ps.name = cursor["name"].as_string();
    if (cursor["description"].present()) ps.description = cursor["description"].as_string();
    if (cursor["externalSources"].present())
      ps.external_sources = cursor["externalSources"].as_string();
    if (cursor["needs"].present()) {
      ps.needs.emplace();
      for (const Cursor& n : cursor["needs"].items()) ps.needs->push_back(n.as_string());
    }
    if (profile.service(ps.name))
      cursor["name"].fail("service \"" + ps.name + "\" is listed twice");
    profile.services.push_back(std::move(ps));
  }
  for (const Cursor& e : root["externals"].items()) {
    ExternalName en;
    en.name = e["name"].as_string();
    if (names_anywhere(en.name))
      e["name"].fail("\"" + en.name + "\" would name netpol-graph's node for any address (" +
                     std::string(kAnywhereId) + "); choose another name");
    en.port = read_port_number(e["port"]);  // checked before narrowing
    if (e["protocol"].present()) en.protocol = e["protocol"].parse(parse_protocol);
    profile.externals.push_back(std::move(en));
  }
  return profile;
}

}  // namespace netpol::graph
