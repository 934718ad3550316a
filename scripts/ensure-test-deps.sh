#!/usr/bin/env bash
# Before the tests: make sure the system programs they use are installed. On Debian as root they
# are installed with apt-get when missing; elsewhere this says what to install and stops.
set -euo pipefail

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# util-linux's `script` gives the client's prompt tests a pseudo-terminal (Debian: in bsdutils).
command -v script >/dev/null 2>&1 || need+=(bsdutils)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing test dependencies: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
else
  echo "the tests need: ${need[*]} — install them (Debian: sudo apt-get install ${need[*]}) and run npm test again" >&2
  exit 1
fi
