#pragma once
// Helm's --set / --set-string syntax, applied to a values tree exactly as Helm applies it:
// `a.b=c`, `list[0].x=y`, `a=1,b=2`, `{x,y}` lists, `\.` `\,` `\=` `\[` escapes.

#include <string>
#include <string_view>

#include "values/value.hpp"

namespace netpol::values {

// Applies one --set (or, with force_string, --set-string) argument to the map `root`.
// Values are typed as Helm types them (true/false, null, integers; strings otherwise).
// Locations are {source, 1, column in arg}. Throws InputError naming the column.
void apply_set(Value& root, std::string_view arg, const std::string& source, bool force_string);

}  // namespace netpol::values
