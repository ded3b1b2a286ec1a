//! iCalendar (RFC 5545) writing and reading.
