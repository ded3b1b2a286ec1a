use super::*;
use jiff::civil::Weekday;
use proptest::prelude::*;

use crate::domain::schedule::local::Placement;

const HOUR: i64 = 3_600_000;

fn tz(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap()
}

fn ms(rfc3339: &str) -> i64 {
    rfc3339.parse::<Timestamp>().unwrap().as_millisecond()
}

fn slots(lines: &[&str]) -> WeeklySlots {
    WeeklySlots::parse("slots", lines.iter().copied()).unwrap()
}

fn instants(os: &[Occurrence]) -> Vec<i64> {
    os.iter().map(|o| o.at_ms).collect()
}

#[test]
fn paris_spring_forward_moves_the_skipped_slot_to_three() {
    let got = occurrences(
        &slots(&["sun 02:30", "sun 03:00", "sun 09:00"]),
        &tz("Europe/Paris"),
        ms("2026-03-28T12:00:00Z"),
        ms("2026-03-30T00:00:00Z"),
    );
    // 02:30 does not exist; it joins the 03:00 slot (one post), then 09:00 CEST.
    assert_eq!(
        instants(&got),
        [ms("2026-03-29T03:00+02:00"), ms("2026-03-29T09:00+02:00")]
    );
    assert!(!got[0].moved, "the real 03:00 slot wins over the moved one");
    let alone = occurrences(
        &slots(&["sun 02:30"]),
        &tz("Europe/Paris"),
        ms("2026-03-28T12:00:00Z"),
        ms("2026-03-30T00:00:00Z"),
    );
    assert_eq!(instants(&alone), [ms("2026-03-29T01:00:00Z")]);
    assert!(alone[0].moved);
}

#[test]
fn paris_fall_back_posts_once_at_the_earlier_offset() {
    let got = occurrences(
        &slots(&["sun 02:30"]),
        &tz("Europe/Paris"),
        ms("2026-10-24T00:00:00Z"),
        ms("2026-10-26T00:00:00Z"),
    );
    assert_eq!(instants(&got), [ms("2026-10-25T02:30+02:00")]);
}

#[test]
fn new_york_both_changes_of_2026() {
    let ny = tz("America/New_York");
    let s = slots(&["sun 02:30", "sun 01:30"]);
    let spring = occurrences(
        &s,
        &ny,
        ms("2026-03-08T00:00:00Z"),
        ms("2026-03-09T00:00:00Z"),
    );
    // 01:30 EST, then 02:30 (skipped) at 03:00 EDT.
    assert_eq!(
        instants(&spring),
        [ms("2026-03-08T01:30-05:00"), ms("2026-03-08T03:00-04:00")]
    );
    let fall = occurrences(
        &s,
        &ny,
        ms("2026-11-01T00:00:00Z"),
        ms("2026-11-02T00:00:00Z"),
    );
    // 01:30 happens twice: only the first (EDT) one; 02:30 EST is ordinary.
    assert_eq!(
        instants(&fall),
        [ms("2026-11-01T01:30-04:00"), ms("2026-11-01T02:30-05:00")]
    );
}

#[test]
fn lord_howe_shifts_by_half_an_hour() {
    let lh = tz("Australia/Lord_Howe");
    // Clocks go from 02:00 to 02:30 on Sunday 4 October 2026.
    let s = slots(&["sun 02:15", "sun 02:45"]);
    let spring = occurrences(
        &s,
        &lh,
        ms("2026-10-03T00:00:00Z"),
        ms("2026-10-05T00:00:00Z"),
    );
    assert_eq!(
        instants(&spring),
        [ms("2026-10-04T02:30+11:00"), ms("2026-10-04T02:45+11:00")]
    );
    assert!(spring[0].moved && !spring[1].moved);
    // And back from 02:00 to 01:30 on Sunday 5 April 2026: 01:45 happens twice.
    let fall = occurrences(
        &slots(&["sun 01:45"]),
        &lh,
        ms("2026-04-04T00:00:00Z"),
        ms("2026-04-06T00:00:00Z"),
    );
    assert_eq!(instants(&fall), [ms("2026-04-05T01:45+11:00")]);
}

#[test]
fn zones_without_dst_repeat_every_seven_days() {
    let got = occurrences(
        &slots(&["mon 09:00", "wed 12:30", "fri 17:00"]),
        &tz("Asia/Kolkata"),
        ms("2026-01-05T00:00:00Z"),
        ms("2026-02-02T00:00:00Z"),
    );
    assert_eq!(got.len(), 12);
    for w in got.windows(4) {
        assert_eq!(w[3].at_ms - w[0].at_ms, 7 * 24 * HOUR);
    }
    assert_eq!(got[0].at_ms, ms("2026-01-05T09:00+05:30"));
}

#[test]
fn spans_are_bounded_and_empty_inputs_give_nothing() {
    let s = slots(&["mon 09:00"]);
    let utc = tz("UTC");
    let year = occurrences(&s, &utc, 0, i64::MAX);
    assert!(year.len() <= 53, "{}", year.len());
    assert!(occurrences(&s, &utc, 10, 10).is_empty());
    assert!(occurrences(&WeeklySlots::default(), &utc, 0, 1_000 * HOUR).is_empty());
    assert!(occurrences(&s, &utc, i64::MAX - 5, i64::MAX).is_empty());
    assert_eq!(next_free_slot(&s, &utc, i64::MIN, &[], None), None);
}

#[test]
fn next_free_slot_skips_taken_and_too_close_instants() {
    let paris = tz("Europe/Paris");
    let s = slots(&["mon 09:00", "mon 10:00", "tue 09:00"]);
    let now = ms("2026-06-01T06:00:00Z"); // Monday 08:00 in Paris
    let mon9 = ms("2026-06-01T09:00+02:00");
    let mon10 = ms("2026-06-01T10:00+02:00");
    let tue9 = ms("2026-06-02T09:00+02:00");
    assert_eq!(
        next_free_slot(&s, &paris, now, &[], None).unwrap().at_ms,
        mon9
    );
    // At or after: the 09:00 slot itself counts when asked at 09:00.
    assert_eq!(
        next_free_slot(&s, &paris, mon9, &[], None).unwrap().at_ms,
        mon9
    );
    assert_eq!(
        next_free_slot(&s, &paris, now, &[mon9], None)
            .unwrap()
            .at_ms,
        mon10
    );
    // A post at 09:30 (not a slot) with a 2-hour gap rules out both Monday slots.
    let half = mon9 + HOUR / 2;
    let got = next_free_slot(&s, &paris, now, &[half], Some(2 * HOUR)).unwrap();
    assert_eq!(got.at_ms, tue9);
    // A gap longer than the year: nothing, not an endless search.
    assert_eq!(
        next_free_slot(&s, &paris, now, &[now], Some(400 * 24 * HOUR)),
        None
    );
    assert_eq!(
        next_free_slot(&WeeklySlots::default(), &paris, now, &[], None),
        None
    );
}

fn zone_name() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "Europe/Paris",
        "America/New_York",
        "Australia/Lord_Howe",
        "Asia/Kolkata",
        "UTC",
        "America/Sao_Paulo",
        "Pacific/Chatham",
    ])
}

fn slot_set() -> impl Strategy<Value = WeeklySlots> {
    prop::collection::vec((0i8..7, 0i8..24, 0i8..60), 1..12).prop_map(|v| {
        WeeklySlots::from_slots(
            v.into_iter()
                .filter_map(|(d, h, m)| Slot::new(Weekday::from_monday_zero_offset(d).ok()?, h, m))
                .collect(),
        )
    })
}

// 2000-01-01 to 2036-12-31, where every zone here has had rules.
fn instant() -> impl Strategy<Value = i64> {
    946_684_800_000i64..2_114_380_800_000
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_occurrence_is_a_slot_in_the_zone(
        zone in zone_name(), s in slot_set(), from in instant(), days in 1i64..40,
    ) {
        let tz = tz(zone);
        let to = from + days * 24 * HOUR;
        let got = occurrences(&s, &tz, from, to);
        for w in got.windows(2) {
            prop_assert!(w[0].at_ms < w[1].at_ms);
        }
        for o in &got {
            prop_assert!(o.at_ms >= from && o.at_ms < to);
            prop_assert!(s.slots().contains(&o.slot));
            let local = tz.to_datetime(Timestamp::from_millisecond(o.at_ms).unwrap());
            if o.moved {
                // The slot's own time was skipped that day, and this is the gap's end.
                let wanted = local.date().to_datetime(o.slot.time);
                let yesterday = local.date().yesterday().unwrap().to_datetime(o.slot.time);
                let skipped = [wanted, yesterday].into_iter().any(|dt| {
                    placement(&tz, dt) == Some(Placement::Skipped { next_valid_ms: o.at_ms })
                });
                prop_assert!(skipped);
            } else {
                prop_assert_eq!(local.weekday(), o.slot.weekday);
                prop_assert_eq!(local.time(), o.slot.time);
            }
        }
        // About as many as the slots say: one a week each, give or take the ends.
        let weeks = days as f64 / 7.0;
        prop_assert!((got.len() as f64) <= s.slots().len() as f64 * (weeks + 1.0));
    }

    #[test]
    fn next_free_slot_is_the_first_that_keeps_the_gap(
        zone in zone_name(), s in slot_set(), after in instant(),
        taken in prop::collection::vec(0i64..(21 * 24 * HOUR), 0..20),
        gap in prop::option::of(0i64..(48 * HOUR)),
    ) {
        let tz = tz(zone);
        let taken: Vec<i64> = taken.into_iter().map(|t| after + t).collect();
        let g = gap.unwrap_or(0);
        let ok = |at: i64| taken.iter().all(|&t| t != at && (t - at).abs() >= g);
        match next_free_slot(&s, &tz, after, &taken, gap) {
            Some(found) => {
                prop_assert!(found.at_ms >= after);
                prop_assert!(ok(found.at_ms));
                let before = occurrences(&s, &tz, after, found.at_ms);
                prop_assert!(before.iter().all(|o| !ok(o.at_ms)));
            }
            // With taken instants within three weeks, a year always has a free slot.
            None => prop_assert!(false, "no free slot"),
        }
    }
}
