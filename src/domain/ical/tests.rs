//! The writer and the reader together: output shape, round trips, real-world files and
//! malformed ones.

use super::*;
use jiff::Timestamp;
use jiff::civil::date;
use jiff::tz::TimeZone;

fn ms(rfc3339: &str) -> i64 {
    rfc3339.parse::<Timestamp>().unwrap().as_millisecond()
}

fn paris() -> TimeZone {
    TimeZone::get("Europe/Paris").unwrap()
}

const FAR: i64 = 4_102_444_800_000; // 2100-01-01

fn post(uid: &str, start: &str) -> Event {
    Event {
        uid: uid.into(),
        stamp_ms: ms("2026-03-01T12:00:00Z"),
        when: When::Timed {
            start_ms: ms(start),
            end: End::Duration(15 * 60_000),
        },
        summary: "Launch; part 1, the \"big\" one\\".into(),
        description: Some("Line one\nLine two: ✓ 日本語".into()),
        url: Some("https://example.com/p/1?a=1,b=2".into()),
        status: Some(EventStatus::Confirmed),
        categories: vec!["X".into(), "Mastodon, fediverse".into()],
        sequence: 2,
        last_modified_ms: Some(ms("2026-03-02T08:00:00Z")),
    }
}

fn calendar() -> Calendar {
    Calendar {
        name: "Acme, Inc. posts".into(),
        zone: Some("Europe/Paris".into()),
        events: vec![
            post("variant-1@herald.example", "2026-03-29T01:30:00Z"),
            Event {
                when: When::AllDay {
                    first: date(2026, 12, 24),
                    days: 2,
                },
                summary: "Christmas".into(),
                description: None,
                url: None,
                status: None,
                categories: vec![],
                last_modified_ms: None,
                ..post("holiday-1@herald.example", "2026-12-24T00:00:00Z")
            },
        ],
    }
}

#[test]
fn the_writer_produces_a_well_formed_feed() {
    let text = write_calendar(&calendar());
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nPRODID:"));
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{line}");
    }
    let unfolded = text.replace("\r\n ", "");
    for expected in [
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Acme\\, Inc. posts",
        "X-WR-TIMEZONE:Europe/Paris",
        "UID:variant-1@herald.example",
        "DTSTAMP:20260301T120000Z",
        "DTSTART:20260329T013000Z",
        "DURATION:PT15M",
        "SUMMARY:Launch\\; part 1\\, the \"big\" one\\\\",
        "DESCRIPTION:Line one\\nLine two: ✓ 日本語",
        "URL:https://example.com/p/1?a=1,b=2",
        "STATUS:CONFIRMED",
        "CATEGORIES:X,Mastodon\\, fediverse",
        "SEQUENCE:2",
        "LAST-MODIFIED:20260302T080000Z",
        "DTSTART;VALUE=DATE:20261224",
        "DTEND;VALUE=DATE:20261226",
    ] {
        assert!(
            unfolded.contains(&format!("\r\n{expected}\r\n")),
            "{expected}\n{unfolded}"
        );
    }
}

#[test]
fn what_the_writer_writes_the_reader_reads() {
    let cal = calendar();
    let text = write_calendar(&cal);
    let import = read_calendar(text.as_bytes(), &paris(), FAR).unwrap();
    assert_eq!(import.notes, Vec::<String>::new());
    assert_eq!(
        import.events,
        [
            ImportedEvent {
                uid: Some("variant-1@herald.example".into()),
                summary: cal.events[0].summary.clone(),
                description: cal.events[0].description.clone(),
                start_ms: ms("2026-03-29T01:30:00Z"),
                end_ms: ms("2026-03-29T01:45:00Z"),
                all_day: false,
            },
            ImportedEvent {
                uid: Some("holiday-1@herald.example".into()),
                summary: "Christmas".into(),
                description: None,
                start_ms: ms("2026-12-24T00:00:00+01:00"),
                end_ms: ms("2026-12-26T00:00:00+01:00"),
                all_day: true,
            },
        ]
    );
}

/// Shaped like the public-holiday feeds calendar apps offer: LF endings, all-day DATE
/// events without DTEND, a yearly rule, an unexpandable rule, a VTIMEZONE and a VALARM.
const HOLIDAYS: &str = "BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example//Holidays FR//EN
X-WR-CALNAME:Jours fériés
BEGIN:VTIMEZONE
TZID:Europe/Paris
BEGIN:STANDARD
DTSTART:19701025T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
UID:jour-an@example
DTSTAMP:20250101T000000Z
DTSTART;VALUE=DATE:20260101
SUMMARY:Jour de l'an
RRULE:FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1;COUNT=3
END:VEVENT
BEGIN:VEVENT
UID:fete-travail@example
DTSTAMP:20250101T000000Z
DTSTART;VALUE=DATE:20260501
DTEND;VALUE=DATE:20260502
SUMMARY:Fête du Travail
DESCRIPTION:Jour férié\\, chômé\\; partout en France.
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:ignored
TRIGGER:-PT15M
END:VALARM
END:VEVENT
BEGIN:VEVENT
UID:thanksgiving@example
DTSTAMP:20250101T000000Z
DTSTART;VALUE=DATE:20261126
SUMMARY:Thanksgiving
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH
END:VEVENT
BEGIN:VEVENT
UID:meet@example
DTSTAMP:20250101T000000Z
DTSTART;TZID=America/New_York:20260302T093000
DURATION:PT1H
SUMMARY:Weekly sync
RRULE:FREQ=WEEKLY;UNTIL=20260320T000000Z
EXDATE;TZID=America/New_York:20260309T093000
END:VEVENT
BEGIN:VEVENT
UID:meet@example
RECURRENCE-ID;TZID=America/New_York:20260316T093000
DTSTART;TZID=America/New_York:20260316T110000
DTEND;TZID=America/New_York:20260316T113000
SUMMARY:Weekly sync (moved)
END:VEVENT
END:VCALENDAR
";

#[test]
fn a_holiday_file_imports_with_its_simple_recurrences() {
    let import = read_calendar(HOLIDAYS.as_bytes(), &paris(), FAR).unwrap();
    let got: Vec<(&str, i64, i64, bool)> = import
        .events
        .iter()
        .map(|e| (e.summary.as_str(), e.start_ms, e.end_ms, e.all_day))
        .collect();
    let day = |d: &str, next: &str| {
        (
            ms(&format!("{d}T00:00:00+01:00")),
            ms(&format!("{next}T00:00:00+01:00")),
        )
    };
    let (a, b) = day("2026-01-01", "2026-01-02");
    let (c, d) = day("2027-01-01", "2027-01-02");
    let (e, f) = day("2028-01-01", "2028-01-02");
    assert_eq!(
        got,
        [
            ("Jour de l'an", a, b, true),
            (
                "Weekly sync",
                ms("2026-03-02T09:30-05:00"),
                ms("2026-03-02T10:30-05:00"),
                false
            ),
            // 9 March is excluded; 16 March is replaced by the moved one.
            (
                "Weekly sync (moved)",
                ms("2026-03-16T11:00-04:00"),
                ms("2026-03-16T11:30-04:00"),
                false
            ),
            (
                "Fête du Travail",
                ms("2026-05-01T00:00+02:00"),
                ms("2026-05-02T00:00+02:00"),
                true
            ),
            (
                "Thanksgiving",
                ms("2026-11-26T00:00+01:00"),
                ms("2026-11-27T00:00+01:00"),
                true
            ),
            ("Jour de l'an", c, d, true),
            ("Jour de l'an", e, f, true),
        ]
    );
    let may = import
        .events
        .iter()
        .find(|e| e.summary == "Fête du Travail")
        .unwrap();
    assert_eq!(
        may.description.as_deref(),
        Some("Jour férié, chômé; partout en France.")
    );
    assert_eq!(import.notes.len(), 1);
    assert!(
        import.notes[0].contains("Thanksgiving"),
        "{:?}",
        import.notes
    );
}

#[test]
fn expansion_stops_at_the_horizon_and_skips_missing_days() {
    let file = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:leap\r\nDTSTART;VALUE=DATE:20240229\r\n\
                SUMMARY:Leap day\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let import = read_calendar(file.as_bytes(), &paris(), ms("2033-01-01T00:00:00Z")).unwrap();
    let years: Vec<i16> = import
        .events
        .iter()
        .map(|e| {
            paris()
                .to_datetime(Timestamp::from_millisecond(e.start_ms).unwrap())
                .year()
        })
        .collect();
    assert_eq!(years, [2024, 2028, 2032]);
    assert!(import.notes.iter().any(|n| n.contains("up to the end")));
}

#[test]
fn times_are_read_in_their_zone() {
    let file = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260329T023000\nSUMMARY:floating in a gap\nEND:VEVENT\n\
                BEGIN:VEVENT\nDTSTART;TZID=/mozilla.org/20050126_1/America/New_York:20261101T013000\n\
                SUMMARY:fold\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART;TZID=W. Europe Standard Time:20260601T090000\n\
                SUMMARY:windows zone\nEND:VEVENT\nEND:VCALENDAR";
    let import = read_calendar(file.as_bytes(), &paris(), FAR).unwrap();
    let starts: Vec<i64> = import.events.iter().map(|e| e.start_ms).collect();
    assert_eq!(
        starts,
        [
            // Skipped 02:30 is read with the offset before the jump: 03:30 CEST.
            ms("2026-03-29T01:30:00Z"),
            ms("2026-06-01T09:00+02:00"),
            // The first of the two 01:30s.
            ms("2026-11-01T01:30-04:00"),
        ]
    );
    assert!(
        import
            .events
            .iter()
            .all(|e| e.uid.is_none() && e.end_ms == e.start_ms)
    );
    assert_eq!(import.notes.len(), 1);
    assert!(import.notes[0].contains("W. Europe Standard Time"));
}

#[path = "read_tests.rs"]
mod read;
