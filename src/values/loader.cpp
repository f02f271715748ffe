#include "values/loader.hpp"

#include <optional>

#include "values/merge.hpp"
#include "values/set_parser.hpp"

namespace netpol::values {

std::string set_source_name(std::size_t index, bool force_string) {
  return std::string(force_string ? "<--set-string " : "<--set ") + std::to_string(index + 1) + ">";
}

Value read_values_file(std::string_view text, const std::string& file, const ReadLimits& limits) {
  Value out = Value::make_map(Location{file, 1, 1});
  for (Value& doc : read_yaml_documents(text, file, limits)) {
    if (doc.is_null()) continue;
    if (!doc.is_map())
      throw InputError(doc.loc, "",
                       "expected a map at the top of the values file, got " + describe(doc));
    merge_over(out, std::move(doc));
  }
  return out;
}

Value load_values(const Layers& layers, const ReadLimits& limits) {
  // The defaults as given (the embedded tree is read, not copied: coalesce copies what it
  // keeps of them), or as read from their text.
  std::optional<Value> read;
  const Value& defaults =
      layers.defaults_tree
          ? *layers.defaults_tree
          : read.emplace(read_values_file(layers.defaults.text, layers.defaults.name, limits));
  Value user = Value::make_map(Location{});
  for (std::size_t i = 0; i < layers.files.size(); ++i) {
    const Value* tree = i < layers.file_trees.size() ? layers.file_trees[i] : nullptr;
    const Source& source = layers.files[i];
    if (tree)
      merge_over(user, *tree);
    else
      merge_over(user, read_values_file(source.text, source.name, limits));
  }
  for (std::size_t i = 0; i < layers.set.size(); ++i) {
    check_text(layers.set[i], set_source_name(i, false), limits);
    apply_set(user, layers.set[i], set_source_name(i, false), false);
  }
  for (std::size_t i = 0; i < layers.set_string.size(); ++i) {
    check_text(layers.set_string[i], set_source_name(i, true), limits);
    apply_set(user, layers.set_string[i], set_source_name(i, true), true);
  }
  return coalesce(std::move(user), defaults);
}

}  // namespace netpol::values
