#!/usr/bin/env bash
# Python tools the tests use as real clients: icalendar reads Herald's calendar feed back
# (tests/it/ical_feed.rs). Installed from PyPI when missing; quick when already there.
set -euo pipefail
if python3 -c 'import icalendar' 2>/dev/null; then
    exit 0
fi
python3 -m pip install --quiet --disable-pip-version-check icalendar \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages icalendar
python3 -c 'import icalendar; print("icalendar", icalendar.__version__)'
