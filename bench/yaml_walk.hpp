#pragma once
// Visiting every node of a yaml-cpp tree once: the floor the benchmarks compare with.
#include <yaml-cpp/yaml.h>

#include <cstddef>

namespace netpol::bench {

// The nodes of `n`, keys included.
inline std::size_t walk(const YAML::Node& n) {
  std::size_t count = 1;
  if (n.IsMap())
    for (const auto& kv : n) count += walk(kv.first) + walk(kv.second);
  else if (n.IsSequence())
    for (const auto& item : n) count += walk(item);
  return count;
}

}  // namespace netpol::bench
