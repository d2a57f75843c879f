#!/bin/sh
# Install Debian packages the project needs outside Python (a Hangul font, Chromium),
# when apt-get can run here; otherwise say what is missing and carry on.
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing $* from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "$@" >/dev/null
else
    echo "note: $* not installed and apt-get cannot run here (the feature that needs it will say so)"
fi
