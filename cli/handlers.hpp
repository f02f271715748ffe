#pragma once
// The commands' handlers (run.cpp), which the command table (commands.cpp) names: each reads
// its inputs, writes its output and returns the exit code.

#include "cli/commands.hpp"

namespace netpol::cli::handlers {

int table(const Options& opts, Streams& io);
int graph(const Options& opts, Streams& io);
int reach(const Options& opts, Streams& io);
int diff(const Options& opts, Streams& io);
int check(const Options& opts, Streams& io);
int manifests(const Options& opts, Streams& io);
int values(const Options& opts, Streams& io);
int report(const Options& opts, Streams& io);
int suggest(const Options& opts, Streams& io);
int node_ids(const Options& opts, Streams& io);

}  // namespace netpol::cli::handlers
