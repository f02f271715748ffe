#pragma once
// Files compiled into the binary (generated from samples/chart/ by cmake/embed.cmake).

namespace netpol::embedded {

// samples/chart/values.yaml: the chart's default values.
extern const char kChartValues[];
// samples/chart/profile.yaml: the chart's profile.
extern const char kChartProfile[];

}  // namespace netpol::embedded
