#include "graph/sets/cidr.hpp"

#include <algorithm>

#include <boost/asio/ip/address.hpp>

#include <cstdint>

#include <cctype>

#include "error.hpp"

namespace netpol::graph {

namespace ip = boost::asio::ip;

std::string address_text(bool v4, Address128 a) {
  if (v4) return ip::address_v4(static_cast<std::uint32_t>(a)).to_string();
  ip::address_v6::bytes_type bytes;
  for (int i = 15; i >= 0; --i, a >>= 8) bytes[i] = static_cast<unsigned char>(a & 0xff);
  return ip::address_v6(bytes).to_string();
}

Cidr Cidr::parse(std::string_view text) {
  std::string spelled(text);
  auto slash = spelled.find('/');
  if (slash == std::string::npos)
    throw ValueError("invalid CIDR \"" + spelled + "\": expected address/prefix-length");
  std::string addr_text = spelled.substr(0, slash), len_text = spelled.substr(slash + 1);
  boost::system::error_code ec;
  ip::address addr = ip::make_address(addr_text, ec);
  if (ec || addr_text.find('%') != std::string::npos)
    throw ValueError("invalid CIDR \"" + spelled + "\": \"" + addr_text +
                     "\" is not an IP address");
  int max = addr.is_v4() ? 32 : 128;
  bool digits = !len_text.empty() && len_text.size() <= 3;
  for (char c : len_text) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  int len = digits ? std::stoi(len_text) : -1;
  if (len < 0 || len > max)
    throw ValueError("invalid CIDR \"" + spelled + "\": prefix length " + len_text +
                     " is not in 0-" + std::to_string(max));
  Cidr cidr;
  cidr.prefix_ = len;
  cidr.written_ = spelled;
  cidr.v4_ = addr.is_v4();
  Address128 a = 0;
  if (cidr.v4_)
    a = addr.to_v4().to_uint();
  else
    for (unsigned char byte : addr.to_v6().to_bytes()) a = (a << 8) | byte;
  cidr.network_ = a & ~host_mask(max - len);
  return cidr;
}

std::string Cidr::str() const {
  return address_text(v4_, network_) + "/" + std::to_string(prefix_);
}

bool Cidr::contains(const Cidr& o) const {
  if (v4_ != o.v4_ || o.prefix_ < prefix_) return false;
  return (o.network_ & ~host_mask((v4_ ? 32 : 128) - prefix_)) == network_;
}

std::pair<Address128, Address128> Cidr::range() const {
  return {network_, network_ + host_mask((v4_ ? 32 : 128) - prefix_)};
}

bool Cidr::operator<(const Cidr& cidr) const {
  if (v4_ != cidr.v4_) return v4_;
  if (network_ != cidr.network_) return network_ < cidr.network_;
  return prefix_ < cidr.prefix_;
}

bool IpBlock::holds(const Cidr& o) const {
  return cidr.contains(o) && std::none_of(except.begin(), except.end(), [&](const Cidr& e) {
           return e.contains(o) || o.contains(e);
         });
}

std::string IpBlock::str() const {
  std::string out = cidr.str();
  for (std::size_t i = 0; i < except.size(); ++i)
    out += (i == 0 ? " except " : ", ") + except[i].str();
  return out;
}

}  // namespace netpol::graph
