//! Showing instants to people (always with the zone named) and to machines (RFC 3339 UTC).

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};

/// "Sun 29 Mar 2026, 03:30 CEST (Europe/Paris)": the instant in the zone, with its
/// abbreviation (or numeric offset where the zone has none) and the zone's name, so nobody
/// has to guess which clock a time was read from. Empty for an instant out of range.
pub fn format_in_zone(ms: i64, tz: &TimeZone) -> String {
    let Ok(ts) = Timestamp::from_millisecond(ms) else {
        return String::new();
    };
    let zoned = ts.to_zoned_datetime(tz.clone());
    let local = jiff::fmt::strtime::format("%a %-d %b %Y, %H:%M %Z", &zoned).unwrap_or_default();
    match tz.iana_name() {
        Some(name) => format!("{local} ({name})"),
        None => local,
    }
}

/// "2026-03-29T01:30:00Z": how the API and the iCalendar feed give instants.
/// Milliseconds are kept only when there are some. Empty for an instant out of range.
pub fn format_utc(ms: i64) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// "29 March 2026", as messages about a day read.
pub(crate) fn long_date(date: Date) -> String {
    jiff::fmt::strtime::format("%-d %B %Y", date).unwrap_or_else(|_| date.to_string())
}

/// "UTC+02:00", "UTC-04:00", "UTC+10:30".
pub(crate) fn offset_label(offset: Offset) -> String {
    let secs = offset.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", secs / 3600, secs % 3600 / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz(name: &str) -> TimeZone {
        TimeZone::get(name).unwrap()
    }

    #[test]
    fn instants_name_their_zone() {
        // 2026-03-29T01:30Z is 03:30 summer time in Paris, just after the jump.
        let ms = "2026-03-29T01:30:00Z"
            .parse::<Timestamp>()
            .unwrap()
            .as_millisecond();
        assert_eq!(
            format_in_zone(ms, &tz("Europe/Paris")),
            "Sun 29 Mar 2026, 03:30 CEST (Europe/Paris)"
        );
        assert_eq!(
            format_in_zone(ms, &tz("America/New_York")),
            "Sat 28 Mar 2026, 21:30 EDT (America/New_York)"
        );
        assert_eq!(format_utc(ms), "2026-03-29T01:30:00Z");
        assert_eq!(format_utc(ms + 250), "2026-03-29T01:30:00.25Z");
    }

    #[test]
    fn out_of_range_instants_show_nothing_rather_than_panic() {
        assert_eq!(format_in_zone(i64::MAX, &tz("UTC")), "");
        assert_eq!(format_utc(i64::MIN), "");
    }

    #[test]
    fn offsets_read_as_utc_plus_minus() {
        assert_eq!(offset_label(Offset::constant(2)), "UTC+02:00");
        assert_eq!(offset_label(Offset::constant(-4)), "UTC-04:00");
        assert_eq!(
            offset_label(Offset::from_seconds(10 * 3600 + 1800).unwrap()),
            "UTC+10:30"
        );
        assert_eq!(long_date(jiff::civil::date(2026, 3, 29)), "29 March 2026");
    }
}
