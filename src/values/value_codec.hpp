#pragma once
// A compact binary form of a values tree, for the trees compiled into the binary: the chart
// defaults and profile are parsed once at build time (tools/embed_trees.cpp) and decoded at
// start-up, which costs a small fraction of parsing their YAML again on every run.

#include <stdexcept>
#include <string>
#include <string_view>

#include "values/value.hpp"

namespace netpol::values {

// Every node's kind, text, quoting, order and location. All located nodes must name the same
// file (a tree read from one document does); throws std::invalid_argument otherwise.
std::string encode(const Value& tree);

// The tree `encode` was given, node for node. Throws std::invalid_argument on data that is
// not such an encoding (truncated, a wrong tag, bytes left over).
Value decode(std::string_view data);

}  // namespace netpol::values
