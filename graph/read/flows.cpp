#include "graph/read/flows.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include <nlohmann/json.hpp>

#include "graph/sets/cidr.hpp"
#include "text.hpp"

namespace netpol::graph {

std::string FlowEnd::shown() const {
  if (named || !pod) return named ? name : ip;
  return ns + "/" + (!workload.empty() ? workload : name.empty() ? "(pod)" : name);
}

namespace {

// The namespace label every namespace has (kubernetes.io/metadata.name).
constexpr const char* kNamespaceName = "kubernetes.io/metadata.name";

// Throws unless `text` is an IPv4 or IPv6 address (not a CIDR): `what` names the column.
void check_address(const std::string& text, const Location& at, const std::string& what) {
  bool ok = !text.empty() && text.find('/') == std::string::npos;
  if (ok) try {
      Cidr::parse(text + (text.find(':') == std::string::npos ? "/32" : "/128"));
    } catch (const ValueError&) {
      ok = false;
    }
  if (!ok)
    throw InputError(at, what,
                     "expected an address (10.0.0.1, fd00::1), got \"" + one_line(text) + "\"");
}

// Calls f(line, number) for each line of `text` (1-based numbers), without its '\n' or '\r'.
template <typename F>
void for_each_line(std::string_view text, F&& f) {
  int number = 0;
  for (std::string_view rest = text; !rest.empty();) {
    std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    f(line, ++number);
  }
}

// ---- CSV: source,destination,port,protocol[,count]; `#` comments, an optional header line,
// fields in double quotes where they hold a comma or a quote ("" is a quote).

struct Field {
  std::string text;
  int column = 0;  // 1-based, where the field starts
};

std::vector<Field> csv_fields(std::string_view line, const Location& at) {
  std::vector<Field> out;
  std::size_t i = 0;
  while (true) {
    Field field;
    field.column = static_cast<int>(i) + 1;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i < line.size() && line[i] == '"') {
      std::size_t open = i++;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.text += '"';
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        field.text += line[i++];
      }
      if (!closed)
        throw InputError({at.file, at.line, static_cast<int>(open) + 1}, "",
                         "a quoted field is not closed (expected a closing \")");
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (i < line.size() && line[i] != ',')
        throw InputError({at.file, at.line, static_cast<int>(i) + 1}, "",
                         "expected a comma after the quoted field");
    } else {
      std::size_t start = i;
      while (i < line.size() && line[i] != ',') ++i;
      std::string_view raw = line.substr(start, i - start);
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r'))
        raw.remove_suffix(1);
      field.text = std::string(raw);
    }
    out.push_back(std::move(field));
    if (i >= line.size()) break;
    ++i;  // the comma
  }
  return out;
}

long long csv_number(const Field& field, const Location& at, const char* what) {
  long long n = 0;
  const char* end = field.text.data() + field.text.size();
  auto [ptr, ec] = std::from_chars(field.text.data(), end, n);
  if (field.text.empty() || ec != std::errc() || ptr != end)
    throw InputError({at.file, at.line, field.column}, what,
                     "expected a number, got \"" + one_line(field.text) + "\"");
  return n;
}

FlowEnd csv_end(const Field& field, const Location& at, const char* what) {
  FlowEnd end;
  const Location here{at.file, at.line, field.column};
  if (field.text.empty())
    throw InputError(here, what,
                     "expected a service, namespace/workload or address, got an empty field");
  bool address = field.text.find(':') != std::string::npos ||
                 (!field.text.empty() && std::isdigit(static_cast<unsigned char>(field.text[0])) &&
                  field.text.find_first_not_of("0123456789.") == std::string::npos);
  if (address) {
    check_address(field.text, here, what);
    end.ip = field.text;
  } else {
    end.name = field.text;
    end.named = true;
  }
  return end;
}

std::vector<Flow> read_csv(std::string_view text, const std::string& file) {
  std::vector<Flow> out;
  out.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  const FileName name(file);
  bool first = true;
  for_each_line(text, [&](std::string_view line, int line_no) {
    std::size_t lead = line.find_first_not_of(" \t");
    if (lead == std::string_view::npos || line[lead] == '#') return;
    const Location at{name, line_no, 1};
    std::vector<Field> fields = csv_fields(line, at);
    if (first) {
      first = false;
      std::string head = fields[0].text;
      std::transform(head.begin(), head.end(), head.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (head == "source" || head == "src") return;  // the header line
    }
    if (fields.size() < 4 || fields.size() > 5)
      throw InputError({name, line_no, fields.back().column}, "",
                       "expected 4 or 5 fields (source,destination,port,protocol[,count]), got " +
                           std::to_string(fields.size()));
    Flow flow;
    flow.at = at;
    flow.from = csv_end(fields[0], at, "source");
    flow.to = csv_end(fields[1], at, "destination");
    long long port = csv_number(fields[2], at, "port");
    if (std::string why = port_number_problem(port); !why.empty())
      throw InputError({name, line_no, fields[2].column}, "port", why);
    flow.port = static_cast<int>(port);
    try {
      std::string proto = fields[3].text;
      std::transform(proto.begin(), proto.end(), proto.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      flow.protocol = parse_protocol(proto);
    } catch (const ValueError& error) {
      throw InputError({name, line_no, fields[3].column}, "protocol", error.what());
    }
    if (fields.size() == 5) {
      long long count = csv_number(fields[4], at, "count");
      if (count < 1)
        throw InputError({name, line_no, fields[4].column}, "count",
                         "expected a count of 1 or more, got " + std::to_string(count));
      flow.count = static_cast<std::size_t>(count);
    }
    out.push_back(std::move(flow));
  });
  return out;
}

// ---- Hubble: `hubble observe --output jsonpb`, a GetFlowsResponse a line ({"flow": {...}}),
// field names as the proto spells them (source_port), or in JSON's lowerCamelCase.

const nlohmann::json* member(const nlohmann::json& obj, const char* snake, const char* camel) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(snake);
  if (it == obj.end() && camel) it = obj.find(camel);
  return it == obj.end() ? nullptr : &*it;
}

std::string string_member(const nlohmann::json& obj, const char* snake, const char* camel,
                          const Location& at, const std::string& path) {
  const nlohmann::json* v = member(obj, snake, camel);
  if (!v || v->is_null()) return "";
  if (!v->is_string())
    throw InputError(at, path + "." + snake,
                     "expected a string, got " + std::string(v->type_name()));
  return v->get<std::string>();
}

FlowEnd hubble_end(const nlohmann::json& flow, const char* side, const std::string& ip,
                   const Location& at) {
  FlowEnd end;
  end.ip = ip;
  const nlohmann::json* endpoint = member(flow, side, nullptr);
  const std::string path = std::string("flow.") + side;
  if (!endpoint || endpoint->is_null()) return end;
  if (!endpoint->is_object())
    throw InputError(at, path,
                     "expected an endpoint object, got " + std::string(endpoint->type_name()));
  end.ns = string_member(*endpoint, "namespace", nullptr, at, path);
  end.name = string_member(*endpoint, "pod_name", "podName", at, path);
  end.pod = !end.ns.empty();
  if (const nlohmann::json* workloads = member(*endpoint, "workloads", nullptr);
      workloads && workloads->is_array() && !workloads->empty() && (*workloads)[0].is_object())
    end.workload = string_member((*workloads)[0], "name", nullptr, at, path + ".workloads[0]");
  if (const nlohmann::json* labels = member(*endpoint, "labels", nullptr)) {
    if (!labels->is_array())
      throw InputError(at, path + ".labels",
                       "expected a list of labels, got " + std::string(labels->type_name()));
    for (const auto& label : *labels) {
      if (!label.is_string())
        throw InputError(
            at, path + ".labels",
            "expected a label \"k8s:key=value\", got " + std::string(label.type_name()));
      const std::string& text = label.get_ref<const std::string&>();
      if (text.rfind("k8s:", 0) != 0) continue;  // reserved:, cidr:, ... are Cilium's own
      std::size_t eq = text.find('=');
      std::string key = text.substr(4, eq == std::string::npos ? std::string::npos : eq - 4);
      std::string value = eq == std::string::npos ? "" : text.substr(eq + 1);
      static const std::string ns_prefix = "io.cilium.k8s.namespace.labels.";
      if (key.rfind(ns_prefix, 0) == 0)
        end.ns_labels[key.substr(ns_prefix.size())] = value;
      else if (key != "io.kubernetes.pod.namespace" && key.rfind("io.cilium.k8s.", 0) != 0)
        end.labels[key] = value;
    }
  }
  if (end.pod) end.ns_labels[kNamespaceName] = end.ns;
  return end;
}

std::optional<Flow> hubble_flow(const nlohmann::json& line, const Location& at) {
  if (!line.is_object())
    throw InputError(at, "", "expected a JSON object a line, got " + std::string(line.type_name()));
  const nlohmann::json* flow = member(line, "flow", nullptr);
  if (!flow) {
    if (!member(line, "source", nullptr) && !member(line, "l4", nullptr))
      return std::nullopt;  // node status, lost events, ...
    flow = &line;           // a bare Flow (hubble observe -o json of older versions)
  }
  if (!flow->is_object())
    throw InputError(at, "flow", "expected a flow object, got " + std::string(flow->type_name()));
  if (const nlohmann::json* reply = member(*flow, "is_reply", "isReply");
      reply && reply->is_boolean() && reply->get<bool>())
    return std::nullopt;
  const nlohmann::json* l4 = member(*flow, "l4", nullptr);
  if (!l4 || !l4->is_object()) return std::nullopt;
  Flow out;
  out.at = at;
  const nlohmann::json* transport = nullptr;
  for (Protocol p : kProtocols)
    if (const nlohmann::json* t = member(*l4, std::string(protocol_name(p)).c_str(), nullptr)) {
      transport = t;
      out.protocol = p;
    }
  if (!transport) return std::nullopt;  // ICMP
  const nlohmann::json* port = member(*transport, "destination_port", "destinationPort");
  if (!port || !port->is_number_integer())
    throw InputError(at,
                     "flow.l4." + std::string(protocol_name(out.protocol)) + ".destination_port",
                     "expected the destination port as a number");
  long long number = port->get<long long>();
  if (std::string why = port_number_problem(number); !why.empty())
    throw InputError(
        at, "flow.l4." + std::string(protocol_name(out.protocol)) + ".destination_port", why);
  out.port = static_cast<int>(number);
  std::string source_ip, destination_ip;
  if (const nlohmann::json* ip = member(*flow, "IP", "ip"); ip && ip->is_object()) {
    source_ip = string_member(*ip, "source", nullptr, at, "flow.IP");
    destination_ip = string_member(*ip, "destination", nullptr, at, "flow.IP");
    for (const auto* a : {&source_ip, &destination_ip})
      if (!a->empty()) check_address(*a, at, "flow.IP");
  }
  out.from = hubble_end(*flow, "source", source_ip, at);
  out.to = hubble_end(*flow, "destination", destination_ip, at);
  for (const FlowEnd* end : {&out.from, &out.to})
    if (!end->pod && end->ip.empty())
      throw InputError(at, "flow", "a flow end with neither a namespace nor an address");
  std::string verdict = string_member(*flow, "verdict", nullptr, at, "flow");
  out.dropped = verdict == "DROPPED" || verdict == "ERROR";
  return out;
}

std::vector<Flow> read_hubble(std::string_view text, const std::string& file) {
  std::vector<Flow> out;
  out.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  const FileName name(file);
  for_each_line(text, [&](std::string_view line, int line_no) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) return;
    nlohmann::json json;
    try {
      json = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {  // not JSON, or a number past a double
      std::size_t byte = 1;                         // nlohmann says where only for a parse error
      if (const auto* parse = dynamic_cast<const nlohmann::json::parse_error*>(&e))
        byte = parse->byte;
      int column = static_cast<int>(std::min<std::size_t>(byte, line.size() + 1));
      std::string what = e.what();
      if (auto colon = what.rfind(": "); colon != std::string::npos)
        what = what.substr(colon + 2);  // "[json.exception.parse_error.101] ...: syntax error"
      else if (auto tag = what.find("] "); tag != std::string::npos)
        what = what.substr(tag + 2);  // "[json.exception.out_of_range.406] number overflow ..."
      throw InputError(
          {name, line_no, std::max(column, 1)}, "",
          "not a JSON object a line, as hubble observe --output jsonpb prints (" + what + ")");
    }
    if (auto f = hubble_flow(json, {name, line_no, 1})) out.push_back(std::move(*f));
  });
  return out;
}

}  // namespace

std::vector<Flow> read_flows(std::string_view text, const std::string& file) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') return read_hubble(text, file);
  return read_csv(text, file);
}

}  // namespace netpol::graph
