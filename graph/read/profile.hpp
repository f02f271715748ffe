#pragma once
// The profile: what values cannot say about the chart (service order and descriptions, names
// of external destinations, documented needs, labels of external sources).

#include <optional>
#include <string>
#include <vector>

#include "graph/sets/ports.hpp"
#include "values/value.hpp"

namespace netpol::graph {

struct ProfileService {
  std::string name;
  std::string description;
  std::optional<std::vector<std::string>> needs;  // documented external destinations
  std::string external_sources;                   // e.g. "external ingress controller"
};

struct ExternalName {
  std::string name;
  Protocol protocol = Protocol::TCP;
  int port = 0;
};

struct Profile {
  std::vector<ProfileService> services;
  std::vector<ExternalName> externals;

  const ProfileService* service(const std::string& name) const;
  // The profile's name for an external reached on (protocol, port), if any.
  std::optional<std::string> external_name(Protocol p, int port) const;
  // Position of a service in the profile's order (services it does not list sort last).
  std::size_t rank(const std::string& service) const;
};

// Reads a profile document (see docs/model.md); throws InputError on a malformed one.
Profile read_profile(const values::Value& doc);

}  // namespace netpol::graph
