#pragma once
// Helm's layering of values: user layers merge over each other, then over the chart defaults.

#include "values/value.hpp"

namespace netpol::values {

// Merges `over` into `base` as Helm merges one -f file over the previous ones: maps merge key
// by key; anything else (lists, scalars, null) replaces.
void merge_over(Value& base, const Value& over);
// The same, moving the entries of a layer that is not needed afterwards.
void merge_over(Value& base, Value&& over);

// Coalesces the user's values over the chart defaults as Helm does: maps merge, lists and
// scalars from the user replace, and a user `null` deletes the default key.
Value coalesce(const Value& user, const Value& defaults);
Value coalesce(Value&& user, const Value& defaults);

}  // namespace netpol::values
