// suggest: one rule narrowed (ports, blocks to a cover of the addresses contacted) and the
// values that say it.

#include "graph/analysis/least_privilege_planner.hpp"

namespace netpol::graph::least_privilege_detail {

std::vector<IpBlock> Planner::entry_blocks(const Rule& rule) {
  std::vector<IpBlock> out;
  for (const Peer& p : rule.peers)
    if (p.ip_block) out.push_back(*p.ip_block);
  return out;
}

std::string Planner::blocks_text(const std::vector<IpBlock>& blocks) {
  std::string out;
  for (const auto& b : blocks) out += (out.empty() ? "" : ", ") + b.str();
  return out;
}

PortSet Planner::narrowed_ports(const Rule& rule, const KeyUse& use, const Value* item) {
  PortSet numeric = rule.ports.without_names();
  if (numeric != rule.ports) {
    if (item) out_.unexpressible.push_back(item->loc.str() + ": named ports are kept as they are");
    return rule.ports;
  }
  PortSet p = rule.ports.intersect(use.ports);
  return p.empty() ? rule.ports : p;
}

std::vector<IpBlock> Planner::narrowed_blocks(const Rule& rule, const KeyUse& use) const {
  std::vector<IpBlock> blocks;
  for (const Peer& p : rule.peers)
    if (p.ip_block) blocks.push_back(*p.ip_block);
  if (use.whole || use.addresses.empty() || !review_.flows) return blocks;
  std::vector<IpBlock> out;
  for (const IpBlock& block : blocks) {
    std::vector<Cidr> inside;
    for (const Cidr& a : use.addresses)
      if (block.holds(a)) inside.push_back(a);
    if (inside.empty()) continue;
    for (const Cidr& c : cover(inside, options_.max_prefixes)) {
      if (c.prefix() <= block.cidr.prefix()) {  // no narrower than the block: keep it
        out.push_back(block);
        break;
      }
      IpBlock nb;
      nb.cidr = c;
      for (const Cidr& e : block.except)
        if (c.contains(e) && !(e == c)) nb.except.push_back(e);
      out.push_back(std::move(nb));
    }
  }
  return out.empty() ? blocks : out;
}

Value Planner::narrow_item(const Value& item, const Rule& rule, const KeyUse& use,
                           std::vector<std::string>& comment) {
  Value out = item;
  if (!item.is_map()) return out;
  PortSet ports = narrowed_ports(rule, use, &item);
  if (ports != rule.ports) {
    out.set("ports", ports_value(ports, rule.origin == RuleOrigin::PeerApp));
    comment.push_back("ports narrowed to " + ports.label() + " (was " + rule.ports.label() + ")");
  }
  if (!has_block(rule) || rule.any_peer) return out;
  std::vector<IpBlock> blocks = narrowed_blocks(rule, use);
  std::vector<IpBlock> before;
  for (const Peer& p : rule.peers)
    if (p.ip_block) before.push_back(*p.ip_block);
  if (blocks == before) return out;
  std::string was, now;
  for (const auto& b : before) was += (was.empty() ? "" : ", ") + b.str();
  for (const auto& b : blocks) now += (now.empty() ? "" : ", ") + b.str();
  comment.push_back("narrowed to " + now + " (was " + was + "): the addresses the flows contacted");
  if (rule.origin == RuleOrigin::ExternalEgress || rule.origin == RuleOrigin::OtlpExternal) {
    Value parts = Value::make_seq({});
    for (const IpBlock& block : blocks) {
      Value part = out;
      part.set("cidr", text_value(block.cidr.str()));
      part.erase("except");
      if (!block.except.empty()) part.set("except", cidrs_value(block.except));
      parts.seq.push_back(std::move(part));
    }
    return parts.seq.size() == 1 ? parts.seq.front() : parts;
  }
  // A raw rule whose peers are all blocks: one ipBlock peer per prefix.
  if (selects_pods(rule)) return out;
  const char* side = item.find("to") ? "to" : "from";
  Value peers = Value::make_seq({});
  for (const IpBlock& b : blocks) {
    Value peer = Value::make_map({});
    peer.set("ipBlock", block_value(b));
    peers.seq.push_back(std::move(peer));
  }
  out.set(side, std::move(peers));
  return out;
}

Value Planner::cidrs_value(const std::vector<Cidr>& cidrs) {
  Value seq = Value::make_seq({});
  for (const Cidr& c : cidrs) seq.seq.push_back(text_value(c.str()));
  return seq;
}

Value Planner::block_value(const IpBlock& block) {
  Value value = Value::make_map({});
  value.set("cidr", text_value(block.cidr.str()));
  if (!block.except.empty()) value.set("except", cidrs_value(block.except));
  return value;
}

Value Planner::ports_value(const PortSet& ports, bool bare_tcp) {
  Value seq = Value::make_seq({});
  for (const auto& item : ports.items()) {
    const std::string protocol(protocol_name(item.protocol));
    if (!item.all && item.name.empty() && bare_tcp && item.protocol == Protocol::TCP) {
      for (int p = item.lo; p <= item.hi && p - item.lo < 64; ++p)
        seq.seq.push_back(Value::make_scalar(std::to_string(p), false, {}));
      if (item.hi - item.lo < 64) continue;
      seq.seq.pop_back();  // a long range: as a map below
    }
    Value value = Value::make_map({});
    if (!item.all)
      value.set("port", item.name.empty() ? Value::make_scalar(std::to_string(item.lo), false, {})
                                          : text_value(item.name));
    value.set("protocol", Value::make_scalar(protocol, false, {}));
    if (!item.all && item.name.empty() && item.hi > item.lo)
      value.set("endPort", Value::make_scalar(std::to_string(item.hi), false, {}));
    seq.seq.push_back(std::move(value));
  }
  return seq;
}

std::vector<Cidr> Planner::cover(const std::vector<Cidr>& addresses, std::size_t max) {
  std::vector<Cidr> out;
  max = std::max<std::size_t>(max, 1);
  for (bool v4 : {true, false}) {
    std::vector<std::pair<Address128, int>> blocks;  // network, prefix length
    const int bits = v4 ? 32 : 128;
    for (const Cidr& a : addresses)
      if (a.is_v4() == v4) blocks.emplace_back(a.range().first, bits);
    std::sort(blocks.begin(), blocks.end());
    blocks.erase(std::unique(blocks.begin(), blocks.end()), blocks.end());
    for (int len = bits - 1; len >= 0 && blocks.size() > max; --len) {
      auto prefix = [&](Address128 a) { return len == 0 ? Address128(0) : a >> (bits - len); };
      std::vector<std::pair<Address128, int>> next;
      std::size_t count = blocks.size();
      for (std::size_t i = 0; i < blocks.size();) {
        std::size_t j = i + 1;
        if (count > max)
          while (j < blocks.size() && prefix(blocks[j].first) == prefix(blocks[i].first)) ++j;
        if (j - i > 1) {
          next.emplace_back(blocks[i].first & ~host_mask(bits - len), len);
          count -= j - i - 1;
        } else {
          next.push_back(blocks[i]);
        }
        i = j;
      }
      blocks = std::move(next);
    }
    for (const auto& [net, len] : blocks)
      out.push_back(Cidr::parse(address_text(v4, net) + "/" + std::to_string(len)));
  }
  return out;
}

}  // namespace netpol::graph::least_privilege_detail
