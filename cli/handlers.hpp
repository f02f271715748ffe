#pragma once
// The commands' handlers (run.cpp), which the command table (commands.cpp) names: each reads
// its inputs, writes its output and returns the exit code.

#include "cli/commands.hpp"

namespace netpol::cli::handlers {

int table(const Options& o, Streams& io);
int graph(const Options& o, Streams& io);
int reach(const Options& o, Streams& io);
int diff(const Options& o, Streams& io);
int check(const Options& o, Streams& io);
int manifests(const Options& o, Streams& io);
int values(const Options& o, Streams& io);
int report(const Options& o, Streams& io);
int node_ids(const Options& o, Streams& io);

}  // namespace netpol::cli::handlers
