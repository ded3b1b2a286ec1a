use super::*;
use jiff::Timestamp;
use jiff::civil::{date, time};
use proptest::prelude::*;

fn tz(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap()
}

fn ms(rfc3339: &str) -> i64 {
    rfc3339.parse::<Timestamp>().unwrap().as_millisecond()
}

#[test]
fn text_round_trips() {
    for text in [
        "every 2 weeks on mon, thu at 09:00 from 2026-03-02",
        "every day at 08:00 from 2026-01-01",
        "every 3 days at 23:30 from 2026-01-01",
        "every week on sun at 02:30 from 2026-03-01",
    ] {
        let rule: Recurrence = text.parse().unwrap();
        assert_eq!(rule.to_string(), text);
    }
    let rule: Recurrence = "Every week on Thu,mon,MON at 9:00 from 2026-03-02"
        .parse()
        .unwrap();
    assert_eq!(
        rule.to_string(),
        "every week on mon, thu at 09:00 from 2026-03-02"
    );
    // A weekly rule without weekdays takes the start's (2026-03-04 is a Wednesday).
    let rule: Recurrence = "every week at 09:00 from 2026-03-04".parse().unwrap();
    assert_eq!(
        rule.to_string(),
        "every week on wed at 09:00 from 2026-03-04"
    );
}

#[test]
fn bad_rules_are_refused() {
    for bad in [
        "",
        "every",
        "every 0 days at 09:00 from 2026-01-01",
        "every 400 days at 09:00 from 2026-01-01",
        "every 53 weeks at 09:00 from 2026-01-01",
        "every 2 days on mon at 09:00 from 2026-01-01",
        "every 2 fortnights at 09:00 from 2026-01-01",
        "every week on at 09:00 from 2026-01-01",
        "every week on funday at 09:00 from 2026-01-01",
        "every day at 25:00 from 2026-01-01",
        "every day at 09:00 from 2026-02-30",
        "every -1 days at 09:00 from 2026-01-01",
    ] {
        assert!(bad.parse::<Recurrence>().is_err(), "{bad}");
    }
}

#[test]
fn every_two_weeks_keeps_local_time_across_dst() {
    let rule = Recurrence::new(
        Every::Weeks(2),
        &[Weekday::Monday, Weekday::Thursday],
        time(9, 0, 0, 0),
        date(2026, 3, 2),
    )
    .unwrap();
    let got = rule.next_occurrences(&tz("Europe/Paris"), ms("2026-03-01T00:00:00Z"), 5);
    assert_eq!(
        got,
        [
            ms("2026-03-02T09:00+01:00"),
            ms("2026-03-05T09:00+01:00"),
            ms("2026-03-16T09:00+01:00"),
            ms("2026-03-19T09:00+01:00"),
            // After the change to summer time, still 09:00 on the wall.
            ms("2026-03-30T09:00+02:00"),
        ]
    );
    // Asking from the middle of a run continues the same fortnights.
    let later = rule.next_occurrences(&tz("Europe/Paris"), ms("2026-03-17T00:00:00Z"), 2);
    assert_eq!(later, got[3..5]);
}

#[test]
fn skipped_and_repeated_times_follow_the_slot_policy() {
    let ny = tz("America/New_York");
    let daily: Recurrence = "every day at 02:30 from 2026-03-07".parse().unwrap();
    let got = daily.next_occurrences(&ny, ms("2026-03-07T00:00:00Z"), 3);
    assert_eq!(
        got,
        [
            ms("2026-03-07T02:30-05:00"),
            ms("2026-03-08T03:00-04:00"),
            ms("2026-03-09T02:30-04:00"),
        ]
    );
    let fall: Recurrence = "every day at 01:30 from 2026-10-31".parse().unwrap();
    let got = fall.next_occurrences(&ny, ms("2026-10-31T12:00:00Z"), 2);
    assert_eq!(
        got,
        [ms("2026-11-01T01:30-04:00"), ms("2026-11-02T01:30-05:00")]
    );
}

#[test]
fn counts_are_bounded_and_nothing_before_the_start() {
    let rule: Recurrence = "every day at 12:00 from 2030-01-01".parse().unwrap();
    let utc = tz("UTC");
    let got = rule.next_occurrences(&utc, 0, 2);
    assert_eq!(
        got,
        [ms("2030-01-01T12:00:00Z"), ms("2030-01-02T12:00:00Z")]
    );
    assert_eq!(rule.next_occurrences(&utc, 0, 5_000).len(), MAX_OCCURRENCES);
    assert!(rule.next_occurrences(&utc, 0, 0).is_empty());
    assert!(rule.next_occurrences(&utc, i64::MAX, 3).is_empty());
    // At the end of time there is no next day: fewer occurrences, no panic.
    let end: Recurrence = "every day at 12:00 from 9999-12-29".parse().unwrap();
    assert!(end.next_occurrences(&utc, 0, 10).len() <= 3);
}

#[test]
fn monthly_keeps_the_day_or_takes_the_months_last() {
    let paris = tz("Europe/Paris");
    let rule: Recurrence = "every month at 09:00 from 2026-01-31".parse().unwrap();
    assert_eq!(rule.to_string(), "every month at 09:00 from 2026-01-31");
    let got = rule.next_occurrences(&paris, ms("2026-01-01T00:00:00Z"), 4);
    assert_eq!(
        got,
        [
            ms("2026-01-31T09:00+01:00"),
            ms("2026-02-28T09:00+01:00"),
            ms("2026-03-31T09:00+02:00"),
            ms("2026-04-30T09:00+02:00"),
        ]
    );
    // From the middle of the run, every other month.
    let rule: Recurrence = "every 2 months at 12:00 from 2026-01-15".parse().unwrap();
    let got = rule.next_occurrences(&paris, ms("2026-04-01T00:00:00Z"), 2);
    assert_eq!(
        got,
        [ms("2026-05-15T12:00+02:00"), ms("2026-07-15T12:00+02:00")]
    );
    assert!(
        "every 13 months at 12:00 from 2026-01-15"
            .parse::<Recurrence>()
            .is_err()
    );
    assert!(
        "every month on mon at 12:00 from 2026-01-15"
            .parse::<Recurrence>()
            .is_err()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn occurrences_are_increasing_on_rule_days_at_rule_time(
        n in 1u16..10, weekly in any::<bool>(), days in prop::collection::vec(0i8..7, 0..4),
        h in 0i8..24, m in 0i8..60, start_offset in 0i32..3000, after_days in 0i64..4000,
        zone in prop::sample::select(vec!["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "UTC"]),
    ) {
        let start = date(2020, 1, 1).checked_add(SignedDuration::from_hours(24 * i64::from(start_offset))).unwrap();
        let (every, weekdays): (Every, Vec<Weekday>) = if weekly {
            (Every::Weeks(n), days.iter().map(|d| Weekday::from_monday_zero_offset(*d).unwrap()).collect())
        } else {
            (Every::Days(n), vec![])
        };
        let rule = Recurrence::new(every, &weekdays, time(h, m, 0, 0), start).unwrap();
        let tz = tz(zone);
        let after = ms("2020-01-01T00:00:00Z") + after_days * 86_400_000;
        let got = rule.next_occurrences(&tz, after, 20);
        prop_assert_eq!(got.len(), 20);
        for w in got.windows(2) {
            prop_assert!(w[0] < w[1]);
        }
        for at in got {
            prop_assert!(at >= after);
            let local = tz.to_datetime(Timestamp::from_millisecond(at).unwrap());
            prop_assert!(local.date() >= start);
            if local.time() == rule.time {
                let since = start.duration_until(local.date()).as_secs() / 86_400;
                match rule.every {
                    Every::Days(n) => prop_assert_eq!(since % i64::from(n), 0),
                    Every::Weeks(_) => prop_assert!(rule.weekdays.contains(&local.weekday())),
                    Every::Months(_) => {}
                }
            }
        }
    }
}
