#pragma once
// Files compiled into the binary (generated from samples/chart/ by cmake/embed.cmake), and
// the same files as values trees, parsed at build time (by tools/embed_trees.cpp).

#include <cstddef>

#include "values/value.hpp"

namespace netpol::embedded {

// samples/chart/values.yaml: the chart's default values, and its name in messages.
extern const char kChartValues[];
inline constexpr char kChartValuesName[] = "<defaults>";
// samples/chart/profile.yaml: the chart's profile, and its name in messages.
extern const char kChartProfile[];
inline constexpr char kChartProfileName[] = "<profile>";

// Both as encoded values trees (values/value_codec.hpp).
extern const unsigned char kChartValuesTree[];
extern const std::size_t kChartValuesTreeSize;
extern const unsigned char kChartProfileTree[];
extern const std::size_t kChartProfileTreeSize;

// The trees read_yaml gives for kChartValues and kChartProfile under their names, decoded
// from the build-time parse instead of parsed again.
values::Value chart_values();
values::Value chart_profile();

}  // namespace netpol::embedded
