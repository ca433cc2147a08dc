# SPDX-FileCopyrightText: 2026 The azmi authors
# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Installs what building, testing and running azmi needs on Debian 12, idempotently and quietly:
# Debian packages with apt, and Azurite (pinned) with npm into the project-local .cache/npm.
# Sourced, never run. Set AZMI_SKIP_DEPS=1 to skip (a machine you manage yourself).

# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# libclang-rt-14-dev holds clang's sanitizer runtimes; Debian 12's clang only recommends it.
AZMI_APT_PACKAGES=(
  build-essential cmake g++ clang libclang-rt-14-dev
  libcurl4-openssl-dev nlohmann-json3-dev doctest-dev libpugixml-dev libssl-dev
  openssl python3 nodejs npm curl ca-certificates
)
AZMI_AZURITE_VERSION="3.37.0"
AZMI_NPM_PREFIX="$AZMI_ROOT/.cache/npm"
AZMI_AZURITE_MAIN="$AZMI_NPM_PREFIX/node_modules/azurite/dist/src/blob/main.js"

azmi_package_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

# Debian packages that are not installed yet, one per line.
azmi_missing_packages() {
  local pkg
  for pkg in "${AZMI_APT_PACKAGES[@]}"; do
    case "$pkg" in
      # A Node.js from another packaging (e.g. one that bundles npm) conflicts with Debian's npm
      # package, so node and npm count as present when the commands work.
      nodejs) command -v node >/dev/null 2>&1 && continue ;;
      npm) command -v npm >/dev/null 2>&1 && continue ;;
    esac
    azmi_package_installed "$pkg" || printf '%s\n' "$pkg"
  done
}

azmi_install_apt_packages() {
  local missing log
  mapfile -t missing < <(azmi_missing_packages)
  [[ ${#missing[@]} -eq 0 ]] && return 0
  command -v apt-get >/dev/null 2>&1 || azmi_die "missing packages (${missing[*]}) and no apt-get: install them by hand"
  azmi_step "Installing Debian packages: ${missing[*]}"
  log="$(mktemp "${TMPDIR:-/tmp}/azmi-apt.XXXXXX")"
  # One update, only because something is missing; the lock timeout rides out a concurrent apt.
  if ! azmi_as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 update >"$log" 2>&1 ||
     ! azmi_as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300 \
         install --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
    azmi_log_tail "$log" 30
    azmi_die "apt-get could not install: ${missing[*]} (full log: $log)"
  fi
  rm -f "$log"
}

# The Azurite version installed in .cache/npm, or nothing.
azmi_azurite_installed_version() {
  local pkg="$AZMI_NPM_PREFIX/node_modules/azurite/package.json"
  [[ -f "$pkg" && -f "$AZMI_AZURITE_MAIN" ]] || return 0
  node -e 'process.stdout.write(String(require(process.argv[1]).version))' "$pkg" 2>/dev/null || true
}

# Installs azurite@AZMI_AZURITE_VERSION into .cache/npm unless that version is already there.
# Serialised with a lock so parallel scripts (scripts/test and a CTest fixture) never race npm.
azmi_install_azurite() {
  command -v node >/dev/null 2>&1 || azmi_die "node is not installed (run scripts/test or scripts/demo once to install it)"
  command -v npm >/dev/null 2>&1 || azmi_die "npm is not installed (run scripts/test or scripts/demo once to install it)"
  [[ "$(azmi_azurite_installed_version)" == "$AZMI_AZURITE_VERSION" ]] && return 0
  mkdir -p "$AZMI_NPM_PREFIX"
  (
    flock -w 600 9 || azmi_die "timed out waiting for $AZMI_NPM_PREFIX/.lock"
    [[ "$(azmi_azurite_installed_version)" == "$AZMI_AZURITE_VERSION" ]] && exit 0
    azmi_step "Installing azurite@$AZMI_AZURITE_VERSION into .cache/npm"
    local log="$AZMI_NPM_PREFIX/npm-install.log"
    # A package.json of our own keeps npm from walking up and adopting some parent directory.
    [[ -f "$AZMI_NPM_PREFIX/package.json" ]] || printf '{ "private": true }\n' >"$AZMI_NPM_PREFIX/package.json"
    if ! npm install --prefix "$AZMI_NPM_PREFIX" --no-audit --no-fund --no-update-notifier \
           --loglevel=error "azurite@$AZMI_AZURITE_VERSION" </dev/null >"$log" 2>&1; then
      azmi_log_tail "$log" 30
      azmi_die "npm could not install azurite@$AZMI_AZURITE_VERSION (full log: $log)"
    fi
    [[ "$(azmi_azurite_installed_version)" == "$AZMI_AZURITE_VERSION" ]] ||
      azmi_die "npm finished but azurite@$AZMI_AZURITE_VERSION is not in $AZMI_NPM_PREFIX (log: $log)"
  ) 9>"$AZMI_NPM_PREFIX/.lock"
}

# Everything: Debian packages, then Azurite. Quiet when nothing is missing.
azmi_install_deps() {
  if [[ "${AZMI_SKIP_DEPS:-0}" == 1 ]]; then
    return 0
  fi
  azmi_install_apt_packages
  azmi_install_azurite
}
