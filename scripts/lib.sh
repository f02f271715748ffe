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
