//! Files the reader must refuse, and its limits.

use super::super::*;
use super::{FAR, paris};

#[test]
fn malformed_files_are_refused_with_the_reason() {
    let cases: &[(&[u8], &str)] = &[
        (b"hello world", "not an iCalendar file"),
        (b"BEGIN:VCARD\nEND:VCARD", "not an iCalendar file"),
        (b"\xff\xfe\x00B", "not UTF-8"),
        (b"", "not an iCalendar file"),
        (b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VCALENDAR", "line 3: END:VCALENDAR does not close BEGIN:VEVENT"),
        (b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260101\nEND:VEVENT", "ends inside VCALENDAR"),
        (b"BEGIN:VCALENDAR\nEND:VCALENDAR\nEND:VCALENDAR", "line 3: END:VCALENDAR does not close nothing"),
        (b"BEGIN:VCALENDAR\nEND:VCALENDAR\nSUMMARY:x", "line 3: SUMMARY is outside"),
        (b"BEGIN:VCALENDAR\nthis is prose\nEND:VCALENDAR", "line 2: \"this is prose\" is not an iCalendar line"),
        (b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260230\nEND:VEVENT\nEND:VCALENDAR", "line 3: DTSTART \"20260230\""),
        (b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101T100000\nEND:VEVENT\nEND:VCALENDAR", "not a valid date"),
        (b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR", "line 2: the event has no DTSTART"),
        (b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260102\nDTEND:20260101\nEND:VEVENT\nEND:VCALENDAR", "ends before it starts"),
        (b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260102\nDURATION:1 hour\nEND:VEVENT\nEND:VCALENDAR", "DURATION"),
    ];
    for (input, expected) in cases {
        let err = read_calendar(input, &paris(), FAR).unwrap_err().to_string();
        assert!(err.contains(expected), "{err:?} lacks {expected:?}");
    }
}

#[test]
fn size_and_count_limits_hold() {
    let big = vec![b' '; MAX_INPUT_BYTES + 1];
    assert_eq!(
        read_calendar(&big, &paris(), FAR),
        Err(ReadError::TooLarge {
            max: MAX_INPUT_BYTES
        })
    );
    let event = "BEGIN:VEVENT\r\nDTSTART:20260101T000000Z\r\nEND:VEVENT\r\n";
    let many = format!(
        "BEGIN:VCALENDAR\r\n{}END:VCALENDAR\r\n",
        event.repeat(MAX_EVENTS + 1)
    );
    assert_eq!(
        read_calendar(many.as_bytes(), &paris(), FAR),
        Err(ReadError::TooManyEvents { max: MAX_EVENTS })
    );
    let ok = format!(
        "\u{feff}BEGIN:VCALENDAR\r\n{}END:VCALENDAR\r\n",
        event.repeat(MAX_EVENTS)
    );
    assert_eq!(
        read_calendar(ok.as_bytes(), &paris(), FAR)
            .unwrap()
            .events
            .len(),
        MAX_EVENTS
    );
    // An endless daily rule stays within its per-rule bound.
    let daily = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260101T090000Z\nRRULE:FREQ=DAILY\nEND:VEVENT\nEND:VCALENDAR";
    let n = read_calendar(daily.as_bytes(), &paris(), i64::MAX)
        .unwrap()
        .events
        .len();
    assert_eq!(n, 1_001);
}
