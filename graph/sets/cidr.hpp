#pragma once
// IPv4/IPv6 CIDR blocks and NetworkPolicy ipBlocks (a CIDR minus excepts). Parsed and
// printed with Boost.Asio's address types in cidr.cpp only: a block is held as an integer,
// so the many files that include this header do not compile Asio.

#include "error.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netpol::graph {

// An address of either family as an integer (IPv4 in the low 32 bits).
__extension__ typedef unsigned __int128 Address128;

// The host part of a block with `host_bits` host bits (0-128): its low bits set.
inline Address128 host_mask(int host_bits) {
  return host_bits >= 128 ? ~Address128(0) : ((Address128(1) << host_bits) - 1);
}
// An address as text: "10.0.0.1", "fd00::1".
std::string address_text(bool v4, Address128 a);

class Cidr {
 public:
  // Parses "10.0.0.0/16" or "fd00::/8"; throws ValueError with a short reason. A block with
  // host bits set ("10.0.0.1/16") is accepted, as Kubernetes accepts it, and kept as written.
  static Cidr parse(std::string_view text);

  // The network in canonical form, host bits cleared: "10.0.0.0/16".
  std::string str() const;
  // What the input said ("10.0.0.1/16").
  const std::string& written() const { return written_; }
  bool is_canonical() const { return str() == written_; }
  bool is_v4() const { return v4_; }
  int prefix() const { return prefix_; }
  // The whole address family (0.0.0.0/0 or ::/0).
  bool is_everything() const { return prefix_ == 0; }
  // True when every address of `o` is in this block (same family).
  bool contains(const Cidr& o) const;

  // The first and last address of the block as integers (IPv4 in the low 32 bits).
  std::pair<Address128, Address128> range() const;

  // Where the block was written (values path and place), for findings about it; not part of
  // its identity.
  void set_origin(std::string path, Location where) {
    origin_path_ = std::move(path);
    origin_ = std::move(where);
  }
  const std::string& origin_path() const { return origin_path_; }
  const Location& origin() const { return origin_; }

  bool operator==(const Cidr& o) const {
    return v4_ == o.v4_ && network_ == o.network_ && prefix_ == o.prefix_;
  }
  bool operator<(const Cidr& o) const;

 private:
  Address128 network_ = 0;  // host bits cleared; IPv4 in the low 32 bits
  bool v4_ = true;
  int prefix_ = 0;
  std::string written_;
  std::string origin_path_;
  Location origin_;
};

// An ipBlock: `cidr` minus every `except` block.
struct IpBlock {
  Cidr cidr;
  std::vector<Cidr> except;

  // Whether every address of `o` is in the block: in its CIDR and in no except.
  bool holds(const Cidr& o) const;
  // "10.0.0.0/8" or "10.0.0.0/8 except 10.1.0.0/16, 10.2.0.0/16" (canonical forms).
  std::string str() const;
  bool operator==(const IpBlock& o) const { return cidr == o.cidr && except == o.except; }
};

}  // namespace netpol::graph
