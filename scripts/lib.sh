# Shared by the scripts: source it, then call its functions.

# install_missing PACKAGE...: installs those of the Debian packages that are not installed
# yet (refreshing the package lists first), as root or through sudo; does nothing when all
# are there.
install_missing() {
  local p sudo="" missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "$(basename "$0"): installing ${missing[*]}"
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# generator_args DIR: "-G Ninja" for a tree not configured yet (Ninja starts a target's
# files while the targets it links are still compiling: a cold build 13 s sooner on two
# cores); nothing for a configured tree, which keeps its generator.
generator_args() {
  [ -f "$1/CMakeCache.txt" ] || echo "-GNinja"
}

# The sanitizer tree, build-asan/: clang 14 with AddressSanitizer, UndefinedBehaviorSanitizer
# and libFuzzer's coverage. scripts/test.sh runs the tests and clang-tidy (scripts/tidy.sh) in it
# and scripts/fuzz.sh the fuzz targets, so CI compiles the sanitized code once (with clang: GCC took four times as long
# to compile with the sanitizers).
# -O1 with line tables only (not -O2 -g): the sanitizers' reports still name function, file
# and line, and the tree builds a fifth faster (CI builds it cold every run).
sanitizer_cmake_args=(-DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo
                      "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only -DNDEBUG"
                      -DNETPOL_SANITIZE=ON -DNETPOL_FUZZ=ON
                      -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)  # for scripts/tidy.sh

# prepare_sanitizer_tree: installs clang, its sanitizer runtimes and clang-tidy (one apt-get
# update for the three), and removes a build-asan/ that an older version configured with GCC
# (CMake cannot change a tree's compiler).
prepare_sanitizer_tree() {
  install_missing clang-14 libclang-rt-14-dev clang-tidy-14  # clang-tidy: scripts/tidy.sh
  if [ -f build-asan/CMakeCache.txt ] &&
     ! grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang++-14$' build-asan/CMakeCache.txt; then
    rm -rf build-asan
  fi
}
