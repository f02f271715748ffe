#pragma once
// Observed traffic (`check --flows`): the connections a cluster made in some window, read from
// Hubble's `hubble observe --output jsonpb` (one JSON object a line) or from a plain CSV,
// `source,destination,port,protocol[,count]` (docs/flows.md). The format is told by the first
// character that is not blank: `{` is Hubble's. A malformed line is an error naming its file,
// line and column; nothing of a file is kept when one of its lines is wrong.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "graph/sets/ports.hpp"
#include "graph/sets/selector.hpp"

namespace netpol::graph {

// One end of a flow: a pod (namespace and labels, from Hubble), a name as a CSV gives it (a
// chart service, or `namespace/workload` of a manifest), or an address.
struct FlowEnd {
  std::string ns;        // a pod's namespace ("" for an address or a CSV name)
  Labels labels;         // a pod's labels (Hubble's `k8s:` labels)
  Labels ns_labels;      // its namespace's labels (kubernetes.io/metadata.name at least)
  std::string name;      // CSV: the name as written; Hubble: the pod's name
  std::string workload;  // Hubble: the pod's workload (its first `workloads` entry), if given
  std::string ip;        // the address, for an address end (and a pod's, when Hubble gives it)
  bool pod = false;      // a pod of the cluster (Hubble: an endpoint with a namespace)
  bool named = false;    // CSV: `name` is a service or workload, not an address

  // How a finding names it: the name, "ns/workload" (else "ns/pod") for a pod, or the address.
  std::string shown() const;
};

struct Flow {
  FlowEnd from, to;
  Protocol protocol = Protocol::TCP;
  int port = 0;
  std::size_t count = 1;  // CSV: the count column; Hubble: 1 a line
  bool dropped = false;   // Hubble's verdict DROPPED or ERROR: the datapath refused it
  Location at;            // the line it was read from
};

// The flows of one file, in order. Hubble lines that hold no flow (node status, lost events),
// replies (the connection's other direction) and flows without a TCP, UDP or SCTP port (ICMP,
// L7 records) are left out. Throws InputError for a malformed line.
std::vector<Flow> read_flows(std::string_view text, const std::string& file);

}  // namespace netpol::graph
