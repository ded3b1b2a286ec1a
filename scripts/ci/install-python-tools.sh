#!/usr/bin/env bash
# Python tools the tests use as real clients and servers: icalendar reads Herald's calendar
# feed back (tests/it/ical_feed.rs); aiosmtpd is the SMTP sink emails are sent to
# (tests/it/email.rs). Installed from PyPI when missing; quick when already there.
set -euo pipefail
missing=()
python3 -c 'import icalendar' 2>/dev/null || missing+=(icalendar)
python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(aiosmtpd)
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
python3 -m pip install --quiet --disable-pip-version-check "${missing[@]}" \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${missing[@]}"
python3 -c 'import icalendar; print("icalendar", icalendar.__version__)'
python3 -c 'import aiosmtpd; print("aiosmtpd", aiosmtpd.__version__)'
