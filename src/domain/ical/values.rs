//! iCalendar value types: DATE (20261225), DATE-TIME (20261225T093000[Z]) and DURATION
//! (P1D, PT1H30M, -P1W), in both directions.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::Offset;

/// "20260329T013000Z"; instants past jiff's range are clamped to it (Herald never makes
/// them, and a feed must still be written).
pub fn utc_stamp(ms: i64) -> String {
    let ts = Timestamp::from_millisecond(ms).unwrap_or(if ms < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    });
    let dt = Offset::UTC.to_datetime(ts);
    format!("{}Z", basic_datetime(dt))
}

pub fn basic_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

fn basic_datetime(dt: DateTime) -> String {
    format!(
        "{}T{:02}{:02}{:02}",
        basic_date(dt.date()),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// "PT1H30M", "P1DT2H", "PT0S", to the second; negative durations are written as zero.
pub fn duration(ms: i64) -> String {
    let secs = ms.max(0) / 1000;
    let (d, h, m, s) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    let mut out = String::from("P");
    if d > 0 {
        out.push_str(&format!("{d}D"));
    }
    if h > 0 || m > 0 || s > 0 || d == 0 {
        out.push('T');
        if h > 0 {
            out.push_str(&format!("{h}H"));
        }
        if m > 0 {
            out.push_str(&format!("{m}M"));
        }
        if s > 0 || (h == 0 && m == 0) {
            out.push_str(&format!("{s}S"));
        }
    }
    out
}

/// A DATE or DATE-TIME value as written, before any zone is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stamp {
    Date(Date),
    /// `utc` when it ended in `Z`; otherwise floating or with a TZID.
    DateTime {
        local: DateTime,
        utc: bool,
    },
}

fn digits(s: &str) -> Option<i32> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// "20261225".
pub fn parse_date(s: &str) -> Option<Date> {
    if s.len() != 8 {
        return None;
    }
    let y = i16::try_from(digits(s.get(0..4)?)?).ok()?;
    let m = i8::try_from(digits(s.get(4..6)?)?).ok()?;
    let d = i8::try_from(digits(s.get(6..8)?)?).ok()?;
    Date::new(y, m, d).ok()
}

/// "20261225T093000" or "20261225T093000Z" (a leap second reads as :59).
pub fn parse_stamp(s: &str) -> Option<Stamp> {
    let s = s.trim();
    let Some((date, time)) = s.split_once(['T', 't']) else {
        return parse_date(s).map(Stamp::Date);
    };
    let date = parse_date(date)?;
    let (time, utc) = match time.strip_suffix(['Z', 'z']) {
        Some(t) => (t, true),
        None => (time, false),
    };
    if time.len() != 6 {
        return None;
    }
    let h = i8::try_from(digits(time.get(0..2)?)?).ok()?;
    let m = i8::try_from(digits(time.get(2..4)?)?).ok()?;
    let sec = i8::try_from(digits(time.get(4..6)?)?).ok()?.min(59);
    let time = Time::new(h, m, sec, 0).ok()?;
    Some(Stamp::DateTime {
        local: date.to_datetime(time),
        utc,
    })
}

/// DURATION (RFC 5545 §3.3.6) in seconds: "P2W", "P1DT12H", "-PT15M".
pub fn parse_duration(s: &str) -> Option<i64> {
    let s = s.trim();
    let (sign, rest) = match s.as_bytes().first()? {
        b'-' => (-1, &s[1..]),
        b'+' => (1, &s[1..]),
        _ => (1, s),
    };
    let rest = rest.strip_prefix(['P', 'p'])?;
    let mut total: i64 = 0;
    let mut number = String::new();
    let mut in_time = false;
    let mut any = false;
    for c in rest.chars() {
        match c.to_ascii_uppercase() {
            '0'..='9' if number.len() < 9 => number.push(c),
            'T' if !in_time && number.is_empty() => in_time = true,
            unit @ ('W' | 'D' | 'H' | 'M' | 'S') => {
                let n: i64 = number.parse().ok()?;
                number.clear();
                let secs = match (unit, in_time) {
                    ('W', false) => 7 * 86_400,
                    ('D', false) => 86_400,
                    ('H', true) => 3600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return None,
                };
                total = total.checked_add(n.checked_mul(secs)?)?;
                any = true;
            }
            _ => return None,
        }
    }
    (any && number.is_empty()).then_some(sign * total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn values_are_written_in_basic_form() {
        assert_eq!(utc_stamp(0), "19700101T000000Z");
        assert_eq!(utc_stamp(1_774_747_800_999), "20260329T013000Z");
        assert!(utc_stamp(i64::MAX).starts_with("9999"));
        assert_eq!(basic_date(date(2026, 12, 25)), "20261225");
        assert_eq!(duration(0), "PT0S");
        assert_eq!(duration(-5), "PT0S");
        assert_eq!(duration(90 * 60_000), "PT1H30M");
        assert_eq!(duration(86_400_000), "P1D");
        assert_eq!(duration(86_400_000 + 3_661_000), "P1DT1H1M1S");
        assert_eq!(duration(45_000), "PT45S");
    }

    #[test]
    fn values_are_read_strictly() {
        assert_eq!(parse_date("20261225"), Some(date(2026, 12, 25)));
        for bad in [
            "2026122",
            "20261325",
            "20260230",
            "2026-12-25",
            "+0261225",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(
            parse_stamp("20260308T023000Z"),
            Some(Stamp::DateTime {
                local: date(2026, 3, 8).at(2, 30, 0, 0),
                utc: true
            })
        );
        assert_eq!(
            parse_stamp("20261231T235960"),
            Some(Stamp::DateTime {
                local: date(2026, 12, 31).at(23, 59, 59, 0),
                utc: false
            })
        );
        for bad in [
            "20260308T2530",
            "20260308T250000",
            "20260308T",
            "20260308T12000Z0",
            "T120000",
        ] {
            assert_eq!(parse_stamp(bad), None, "{bad}");
        }
        assert_eq!(parse_duration("P2W"), Some(14 * 86_400));
        assert_eq!(parse_duration("P1DT12H"), Some(36 * 3600));
        assert_eq!(parse_duration("-PT15M"), Some(-900));
        assert_eq!(parse_duration("PT1H0M30S"), Some(3630));
        for bad in [
            "",
            "P",
            "PT",
            "1D",
            "P1H",
            "PT1D",
            "P1",
            "P99999999999D",
            "PT1HT2M",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
