#include "graph/cidr.hpp"

#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

#include <cctype>

#include "error.hpp"

namespace netpol::graph {

namespace ip = boost::asio::ip;

Cidr Cidr::parse(std::string_view text) {
  std::string s(text);
  auto slash = s.find('/');
  if (slash == std::string::npos)
    throw ValueError("invalid CIDR \"" + s + "\": expected address/prefix-length");
  std::string addr_text = s.substr(0, slash), len_text = s.substr(slash + 1);
  boost::system::error_code ec;
  ip::address addr = ip::make_address(addr_text, ec);
  if (ec || addr_text.find('%') != std::string::npos)
    throw ValueError("invalid CIDR \"" + s + "\": \"" + addr_text + "\" is not an IP address");
  int max = addr.is_v4() ? 32 : 128;
  bool digits = !len_text.empty() && len_text.size() <= 3;
  for (char c : len_text) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  int len = digits ? std::stoi(len_text) : -1;
  if (len < 0 || len > max)
    throw ValueError("invalid CIDR \"" + s + "\": prefix length " + len_text + " is not in 0-" +
                     std::to_string(max));
  Cidr c;
  c.prefix_ = len;
  c.written_ = s;
  if (addr.is_v4())
    c.network_ = ip::make_network_v4(addr.to_v4(), len).network();
  else
    c.network_ = ip::make_network_v6(addr.to_v6(), len).canonical().address();
  return c;
}

std::string Cidr::str() const {
  return network_.to_string() + "/" + std::to_string(prefix_);
}

bool Cidr::contains(const Cidr& o) const {
  if (network_.is_v4() != o.network_.is_v4() || o.prefix_ < prefix_) return false;
  if (network_.is_v4()) {
    auto mine = ip::make_network_v4(network_.to_v4(), prefix_);
    auto theirs = ip::make_network_v4(o.network_.to_v4(), prefix_).canonical();
    return mine.network() == theirs.network();
  }
  auto mine = ip::make_network_v6(network_.to_v6(), prefix_);
  auto theirs = ip::make_network_v6(o.network_.to_v6(), prefix_).canonical();
  return mine.network() == theirs.network();
}

std::pair<Address128, Address128> Cidr::range() const {
  using U = Address128;
  U start = 0;
  int bits = 32;
  if (network_.is_v4()) {
    start = network_.to_v4().to_uint();
  } else {
    bits = 128;
    for (unsigned char byte : network_.to_v6().to_bytes()) start = (start << 8) | byte;
  }
  int host = bits - prefix_;
  U span = host >= 128 ? ~U(0) : ((U(1) << host) - 1);
  return {start, start + span};
}

bool Cidr::operator<(const Cidr& o) const {
  if (network_.is_v4() != o.network_.is_v4()) return network_.is_v4();
  if (network_ != o.network_) return network_ < o.network_;
  return prefix_ < o.prefix_;
}

std::string IpBlock::str() const {
  std::string out = cidr.str();
  for (std::size_t i = 0; i < except.size(); ++i)
    out += (i == 0 ? " except " : ", ") + except[i].str();
  return out;
}

}  // namespace netpol::graph
