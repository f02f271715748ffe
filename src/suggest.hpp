#pragma once
// "Did you mean" suggestions for names a user typed.

#include <string>
#include <vector>

namespace netpol {

// The closest of `candidates` to `word` when it is a plausible typo, else "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace netpol
