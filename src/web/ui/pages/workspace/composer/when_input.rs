//! Reading the "When" form's date, time and zone into an instant, without guessing: a time
//! that does not exist (clocks going forward) is explained, one that happens twice (going
//! back) is asked about, and the answer (`fold`) read on the next submission.

use jiff::civil::{Date, Time};

use super::when_view::{FoldChoice, WhenForm};
use crate::domain::schedule::{self, Disambiguation, LocalTimeError, format_in_zone};
use crate::web::ui::forms::Errors;

/// What was typed, as an instant: `at_ms`, the zone's name and the local time meant.
pub struct Chosen {
    pub at_ms: i64,
    pub time_zone: String,
    pub local_time: String,
}

pub enum Unclear {
    /// Fields to fix, each named.
    Fields(Errors),
    /// The time happens twice: the person picks one.
    Fold(FoldChoice),
}

/// The instant the form names; `Ok(None)` when both the date and the time are empty and
/// `optional` (a review request without a time).
pub fn chosen(
    form: &WhenForm,
    workspace_zone: &str,
    optional: bool,
) -> Result<Option<Chosen>, Unclear> {
    let (date, time) = (form.date.trim(), form.time.trim());
    if optional && date.is_empty() && time.is_empty() {
        return Ok(None);
    }
    let mut errors = Errors::default();
    let day = match date {
        "" => {
            errors.add("date", "Choose a day.");
            None
        }
        d => d
            .parse::<Date>()
            .ok()
            .filter(|_| d.len() <= 10)
            .or_else(|| {
                errors.add("date", "Is not a date; write it as 2026-03-29.");
                None
            }),
    };
    let clock = match time {
        "" => {
            errors.add("time", "Choose a time of day.");
            None
        }
        t => t
            .parse::<Time>()
            .ok()
            .filter(|_| t.len() <= 12)
            .or_else(|| {
                errors.add("time", "Is not a time of day; write it as 09:30.");
                None
            }),
    };
    let zone_name = match form.time_zone.trim() {
        "" => workspace_zone,
        z => z,
    };
    let zone = match schedule::time_zone(zone_name) {
        Ok(tz) if zone_name.len() <= 64 => tz.iana_name().unwrap_or(zone_name).to_owned(),
        _ => {
            errors.add(
                "time_zone",
                "Is not a time zone Herald knows; choose one from the list.",
            );
            String::new()
        }
    };
    let (Some(day), Some(clock), false) = (day, clock, zone.is_empty()) else {
        return Err(Unclear::Fields(errors));
    };
    let local = format!("{day}T{}", clock.strftime("%H:%M"));
    let fold = match form.fold.as_str() {
        "earlier" => Some(Disambiguation::Earlier),
        "later" => Some(Disambiguation::Later),
        _ => None,
    };
    match schedule::resolve_local(&local, &zone, fold) {
        Ok(at_ms) => Ok(Some(Chosen {
            at_ms,
            time_zone: zone,
            local_time: local,
        })),
        Err(LocalTimeError::Repeated(r)) => {
            let tz = schedule::time_zone(&zone).unwrap_or(jiff::tz::TimeZone::UTC);
            Err(Unclear::Fold(FoldChoice {
                message: LocalTimeError::Repeated(r.clone()).to_string(),
                earlier: format!(
                    "The first, before the clocks go back: {}",
                    format_in_zone(r.earlier_ms, &tz)
                ),
                later: format!(
                    "The second, after the clocks go back: {}",
                    format_in_zone(r.later_ms, &tz)
                ),
            }))
        }
        Err(e) => {
            let mut errors = Errors::default();
            errors.add(
                "time",
                &format!("{}.", super::view::capitalise(&e.to_string())),
            );
            Err(Unclear::Fields(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(date: &str, time: &str, zone: &str, fold: &str) -> WhenForm {
        WhenForm {
            date: date.into(),
            time: time.into(),
            time_zone: zone.into(),
            fold: fold.into(),
            ..WhenForm::default()
        }
    }

    fn fields(r: Result<Option<Chosen>, Unclear>) -> Vec<String> {
        match r {
            Err(Unclear::Fields(e)) => e.0.into_iter().map(|f| f.field).collect(),
            _ => panic!("expected field errors"),
        }
    }

    #[test]
    fn a_local_time_becomes_an_instant_in_its_zone() {
        let c = chosen(
            &form("2026-06-01", "09:30", "Europe/Paris", ""),
            "UTC",
            false,
        )
        .ok()
        .flatten()
        .expect("an instant");
        assert_eq!(schedule::format_utc(c.at_ms), "2026-06-01T07:30:00Z");
        assert_eq!(c.local_time, "2026-06-01T09:30");
        assert_eq!(c.time_zone, "Europe/Paris");
    }

    #[test]
    fn folds_are_asked_about_and_gaps_explained() {
        let r = chosen(
            &form("2026-10-25", "02:30", "Europe/Paris", ""),
            "UTC",
            false,
        );
        let Err(Unclear::Fold(choice)) = r else {
            panic!("expected a fold")
        };
        assert!(
            choice.earlier.contains("CEST") && choice.later.contains("CET"),
            "{}",
            choice.later
        );
        let later = chosen(
            &form("2026-10-25", "02:30", "Europe/Paris", "later"),
            "UTC",
            false,
        );
        assert_eq!(
            schedule::format_utc(later.ok().flatten().unwrap().at_ms),
            "2026-10-25T01:30:00Z"
        );
        let gap = chosen(
            &form("2026-03-29", "02:30", "Europe/Paris", ""),
            "UTC",
            false,
        );
        assert_eq!(fields(gap), ["time"]);
    }

    #[test]
    fn bad_input_names_its_field() {
        assert_eq!(
            fields(chosen(&form("", "", "", ""), "UTC", false)),
            ["date", "time"]
        );
        assert!(matches!(
            chosen(&form("", "", "", ""), "UTC", true),
            Ok(None)
        ));
        assert_eq!(
            fields(chosen(
                &form("29/03/2026", "9h", "Mars/Olympus", ""),
                "UTC",
                false
            )),
            ["date", "time", "time_zone"]
        );
        let huge = "2".repeat(10_000);
        assert_eq!(
            fields(chosen(&form(&huge, &huge, &huge, ""), "UTC", false)),
            ["date", "time", "time_zone"]
        );
        assert_eq!(
            fields(chosen(
                &form("2026-02-30", "25:00", "UTC", ""),
                "UTC",
                false
            )),
            ["date", "time"]
        );
    }
}
