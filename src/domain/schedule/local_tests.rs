//! Local time resolution: gaps, folds, offsets and zones, in the zones people complain about.

use super::*;
use jiff::Timestamp;
use proptest::prelude::*;

fn ms(rfc3339: &str) -> i64 {
    rfc3339.parse::<Timestamp>().unwrap().as_millisecond()
}

#[test]
fn ordinary_times_resolve() {
    assert_eq!(
        resolve_local("2026-06-01T09:30", "Europe/Paris", None),
        Ok(ms("2026-06-01T07:30:00Z"))
    );
    assert_eq!(
        resolve_local(" 2026-06-01 09:30:15 ", "Asia/Kolkata", None),
        Ok(ms("2026-06-01T04:00:15Z"))
    );
    assert_eq!(
        resolve_local("2026-01-01T00:00", " UTC ", None),
        Ok(ms("2026-01-01T00:00:00Z"))
    );
}

#[test]
fn a_skipped_time_says_why_and_what_to_use() {
    let err = resolve_local("2026-03-29T02:30", "Europe/Paris", None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "02:30 does not exist on 29 March 2026 in Europe/Paris: clocks go forward from 02:00 \
         to 03:00, so 03:00 is the first time after"
    );
    let LocalTimeError::Skipped(gap) = err else {
        panic!("not a gap")
    };
    assert_eq!(gap.next_valid_ms, ms("2026-03-29T03:00+02:00"));
    // Choosing a side does not make a skipped time exist.
    assert!(matches!(
        resolve_local(
            "2026-03-08T02:00",
            "America/New_York",
            Some(Disambiguation::Later)
        ),
        Err(LocalTimeError::Skipped(_))
    ));
    let err = resolve_local("2026-10-04T02:10", "Australia/Lord_Howe", None).unwrap_err();
    assert!(
        err.to_string()
            .contains("clocks go forward from 02:00 to 02:30"),
        "{err}"
    );
}

#[test]
fn a_repeated_time_needs_a_choice() {
    let err = resolve_local("2026-11-01T01:30", "America/New_York", None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "01:30 happens twice on 1 November 2026 in America/New_York: first at UTC-04:00, then \
         at UTC-05:00; choose the earlier or the later"
    );
    let LocalTimeError::Repeated(fold) = err else {
        panic!("not a fold")
    };
    assert_eq!(fold.later_ms - fold.earlier_ms, 3_600_000);
    assert_eq!(
        resolve_local(
            "2026-11-01T01:30",
            "America/New_York",
            Some(Disambiguation::Earlier)
        ),
        Ok(ms("2026-11-01T01:30-04:00"))
    );
    assert_eq!(
        resolve_local(
            "2026-11-01T01:30",
            "America/New_York",
            Some(Disambiguation::Later)
        ),
        Ok(ms("2026-11-01T01:30-05:00"))
    );
    // Lord Howe goes back half an hour.
    let Err(LocalTimeError::Repeated(fold)) =
        resolve_local("2026-04-05T01:45", "Australia/Lord_Howe", None)
    else {
        panic!("not a fold")
    };
    assert_eq!(fold.later_ms - fold.earlier_ms, 1_800_000);
}

#[test]
fn an_offset_settles_a_fold_but_must_belong_to_the_zone() {
    assert_eq!(
        resolve_local("2026-11-01T01:30-05:00", "America/New_York", None),
        Ok(ms("2026-11-01T06:30:00Z"))
    );
    assert_eq!(
        resolve_local("2026-06-01T09:00+02:00", "Europe/Paris", None),
        Ok(ms("2026-06-01T07:00:00Z"))
    );
    let err = resolve_local("2026-06-01T09:00+01:00", "Europe/Paris", None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "offset UTC+01:00 is not in use at 09:00 on 1 June 2026 in Europe/Paris"
    );
}

#[test]
fn bad_input_is_named() {
    assert_eq!(
        resolve_local("2026-06-01T09:00", "Mars/Olympus", None),
        Err(LocalTimeError::UnknownZone("Mars/Olympus".into()))
    );
    assert!(matches!(time_zone(""), Err(LocalTimeError::UnknownZone(_))));
    for bad in [
        "",
        "tomorrow",
        "2026-06-01",
        "2026-02-30T09:00",
        "2026-06-01T25:00",
        "2026-06-01T09:00[Europe/Paris]",
    ] {
        assert!(
            matches!(
                resolve_local(bad, "UTC", None),
                Err(LocalTimeError::NotALocalTime(_))
            ),
            "{bad}"
        );
    }
}

#[test]
fn instants_need_an_offset() {
    assert_eq!(
        parse_instant("2026-03-29T01:30:00Z"),
        Ok(ms("2026-03-29T01:30:00Z"))
    );
    assert_eq!(
        parse_instant("2026-03-29T03:30:00+02:00"),
        Ok(ms("2026-03-29T01:30:00Z"))
    );
    assert!(matches!(
        parse_instant("2026-03-29T03:30:00"),
        Err(LocalTimeError::NotAnInstant(_))
    ));
    assert!(matches!(
        parse_instant("soon"),
        Err(LocalTimeError::NotAnInstant(_))
    ));
}

#[test]
fn zones_without_dst_have_neither_gaps_nor_folds() {
    for day in 1..=28 {
        for month in [3, 10, 11] {
            let local = format!("2026-{month:02}-{day:02}T02:30");
            assert!(resolve_local(&local, "Asia/Tokyo", None).is_ok());
        }
    }
}

proptest! {
    #[test]
    fn resolved_times_read_back_as_typed(
        secs in 946_684_800i64..2_114_380_800,
        zone in prop::sample::select(vec!["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]),
    ) {
        let tz = time_zone(zone).unwrap();
        let local = tz.to_datetime(Timestamp::from_second(secs).unwrap());
        let typed = local.strftime("%Y-%m-%dT%H:%M:%S").to_string();
        match resolve_local(&typed, zone, None) {
            Ok(at) => prop_assert_eq!(at, secs * 1000),
            // Times that exist twice are refused; the instant is one of the two.
            Err(LocalTimeError::Repeated(fold)) => {
                prop_assert!(fold.earlier_ms == secs * 1000 || fold.later_ms == secs * 1000)
            }
            Err(e) => prop_assert!(false, "{e}"),
        }
    }
}
