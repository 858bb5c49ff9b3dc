#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests. Never fails: without it those tests skip.
# Playwright drives this system browser (executable_path); never `playwright install`.
set -u

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "install_browser: $CHROMIUM already present"
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "install_browser: not root, cannot apt-get install chromium; browser tests will skip"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browser: no apt-get on this machine; browser tests will skip"
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq; then
    echo "install_browser: apt-get update failed; browser tests will skip"
    exit 0
fi
if ! apt-get install -y -qq chromium >/dev/null; then
    echo "install_browser: apt-get install chromium failed; browser tests will skip"
    exit 0
fi
echo "install_browser: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
exit 0
