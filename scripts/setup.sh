# Shared set-up for scripts/run and scripts/test: installs what a fresh Debian or Ubuntu
# machine lacks, and nothing it already has. Sourced, not run.

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
APT_UPDATED=""

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# need_packages PKG...: installs the Debian packages that are not installed yet.
need_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || { say "please install: ${missing[*]}"; return 1; }
  if [ -z "$APT_UPDATED" ]; then
    say "apt-get update"
    $SUDO apt-get update -qq
    APT_UPDATED=1
  fi
  say "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# need_rust: a C toolchain for crates that build C code, and cargo (rust-toolchain.toml pins
# the version; rustup fetches it on first use).
need_rust() {
  need_packages build-essential pkg-config ca-certificates
  if ! command -v cargo >/dev/null; then
    [ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
  fi
  if ! command -v cargo >/dev/null; then
    need_packages rustup
    rustup default stable
  fi
}
