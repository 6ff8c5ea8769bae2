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

# need_windows_target: the toolchain's x86_64-pc-windows-gnu target and MinGW-w64 (for the C
# code of SQLite and ring), so the Windows-only code paths are type-checked here.
need_windows_target() {
  need_packages gcc-mingw-w64-x86-64
  command -v rustup >/dev/null || { say "rustup is needed to add the Windows target"; return 1; }
  rustup target list --installed | grep -qx x86_64-pc-windows-gnu || rustup target add x86_64-pc-windows-gnu
}

# need_node: Node.js and npm (the UI's build, the test OpenID provider, the WebDriver client).
need_node() {
  command -v node >/dev/null && command -v npm >/dev/null || need_packages nodejs npm
}

# need_ui: the desktop app's web UI, built into ui/dist (the app embeds it when it compiles),
# and the system libraries Tauri builds against (WebKitGTK pulls GTK, soup and D-Bus).
need_ui() {
  need_node
  # libayatana-appindicator: the tray icon (loaded at run time; without it there is none).
  need_packages libwebkit2gtk-4.1-dev libayatana-appindicator3-dev
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    say "installing the UI's packages (ui/)"
    # `install`, not `ci`: the lock records rollup's native package only for the platforms
    # the registry served when it was made, and `npm ci` refuses a lock without the others.
    npm install --prefix ui --no-audit --no-fund --loglevel=error
  fi
  say "building the UI (ui/dist)"
  npm --prefix ui run --silent build >/dev/null
}

# need_webdriver: what drives the built desktop app: a virtual display (Xvfb), WebKitWebDriver,
# tauri-driver in front of it, and the WebDriver client of tests/e2e.
need_webdriver() {
  # dunst: a real notification server on the test's D-Bus session (the live-changes test).
  # xdg-utils, desktop-file-utils: the install test opens a lanyard:// link as a desktop does;
  # libunity9: the launcher badge, which the app sends through it (the tray test reads it).
  # imagemagick: screenshots and the QR codes a test's "phone" reads are taken off the display.
  need_packages xvfb webkit2gtk-driver x11-utils dunst xdg-utils desktop-file-utils libunity9 imagemagick
  export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
  if ! command -v tauri-driver >/dev/null; then
    say "installing tauri-driver"
    cargo install tauri-driver --locked --quiet
  fi
  if [ ! -d tests/e2e/node_modules ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
    say "installing the WebDriver client (tests/e2e)"
    npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
  fi
  # The Russian run starts the app in a Russian system (LANG=ru_RU.UTF-8): WebKitGTK takes
  # the web view's language from the C library's locale, which must exist for that.
  if ! locale -a 2>/dev/null | grep -qi '^ru_RU\.utf-\?8$'; then
    need_packages locales
    say "generating the ru_RU.UTF-8 locale"
    $SUDO localedef -i ru_RU -f UTF-8 ru_RU.UTF-8
  fi
}
