# SPDX-FileCopyrightText: 2026 The azmi authors
# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Helpers every azmi script sources: where the repository is, how to talk, how to fail.
# Sourced, never run; defines functions and AZMI_ROOT only.

# The repository root, whatever directory the calling script was started from.
AZMI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
export AZMI_ROOT

# Step headers are bold on a terminal and plain in CI logs.
if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then
  azmi_bold=$'\033[1m' azmi_red=$'\033[31m' azmi_reset=$'\033[0m'
else
  azmi_bold='' azmi_red='' azmi_reset=''
fi

azmi_step() { printf '%s==> %s%s\n' "$azmi_bold" "$*" "$azmi_reset"; }
azmi_info() { printf '    %s\n' "$*"; }
azmi_warn() { printf '%swarning:%s %s\n' "$azmi_red" "$azmi_reset" "$*" >&2; }
azmi_die() {
  printf '%serror:%s %s\n' "$azmi_red" "$azmi_reset" "$*" >&2
  exit 1
}

# Runs "$@" as root: directly when we are root, through sudo otherwise.
azmi_as_root() {
  if [[ "$(id -u)" == 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    azmi_die "need root to run '$1' and sudo is not installed; run this script as root"
  fi
}

# Prints the last lines of a log file, indented, to stderr, so a failure shows its cause.
azmi_log_tail() {
  local file="$1" lines="${2:-40}"
  [[ -f "$file" ]] || return 0
  printf -- '--- last %s lines of %s ---\n' "$lines" "$file" >&2
  tail -n "$lines" "$file" >&2 || true
  printf -- '--- end of %s ---\n' "$file" >&2
}

# Prints a script's header comment (after the SPDX lines and one "#" line, up to the first line of code) as its usage.
azmi_usage_text() {
  awk 'NR > 4 && /^#/ { sub(/^# ?/, ""); print; next } NR > 4 { exit }' "$1"
}
