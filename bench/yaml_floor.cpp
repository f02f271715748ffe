// The floor the dense targets are measured against: yaml-cpp alone reading a file
// (every document, as YAML::LoadAll does) and visiting every node once, as a process of its
// own, so that its time is comparable with a netpol-graph command's. Prints the nodes seen.
//   netpol-yaml-floor FILE
#include <fstream>
#include <iostream>
#include <sstream>

#include "yaml_walk.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: netpol-yaml-floor FILE\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::size_t nodes = 0;
  for (const YAML::Node& doc : YAML::LoadAll(text.str())) nodes += netpol::bench::walk(doc);
  std::cout << nodes << "\n";
  return 0;
}
