//! A recurrence as a sentence people read ("Every 2 weeks on Monday and Thursday at 09:00,
//! from Monday 2 March 2026"), where the stored text is written for machines.

use jiff::civil::Weekday;

use super::format::long_date;
use super::recurrence::{Every, Recurrence};

const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

pub fn day_name(day: Weekday) -> &'static str {
    DAY_NAMES[day.to_monday_zero_offset() as usize % 7]
}

/// "1st", "2nd", "23rd", "31st".
fn ordinal(n: i8) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "Monday", "Monday and Thursday", "Monday, Wednesday and Friday".
fn join_days(days: &[Weekday]) -> String {
    let names: Vec<&str> = days.iter().map(|d| day_name(*d)).collect();
    match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

impl Recurrence {
    pub fn in_words(&self) -> String {
        let start = self.start();
        let mut out = match self.every() {
            Every::Days(1) => "Every day".to_owned(),
            Every::Days(n) => format!("Every {n} days"),
            Every::Weeks(1) => format!("Every week on {}", join_days(self.weekdays())),
            Every::Weeks(n) => format!("Every {n} weeks on {}", join_days(self.weekdays())),
            Every::Months(n) => {
                let every = if n == 1 {
                    "Every month".to_owned()
                } else {
                    format!("Every {n} months")
                };
                // Months without that day get the month's last day (see `Every::Months`).
                let last = if start.day() > 28 {
                    " (or the month's last day)"
                } else {
                    ""
                };
                format!("{every} on the {}{last}", ordinal(start.day()))
            }
        };
        let t = self.time();
        out.push_str(&format!(
            " at {:02}:{:02}, from {} {}",
            t.hour(),
            t.minute(),
            day_name(start.weekday()),
            long_date(start)
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> String {
        text.parse::<Recurrence>().unwrap().in_words()
    }

    #[test]
    fn rules_read_as_sentences() {
        assert_eq!(
            words("every 2 weeks on thu, mon at 09:00 from 2026-03-02"),
            "Every 2 weeks on Monday and Thursday at 09:00, from Monday 2 March 2026"
        );
        assert_eq!(
            words("every week on mon, wed, fri at 18:30 from 2026-03-02"),
            "Every week on Monday, Wednesday and Friday at 18:30, from Monday 2 March 2026"
        );
        assert_eq!(
            words("every week at 08:00 from 2026-03-04"),
            "Every week on Wednesday at 08:00, from Wednesday 4 March 2026"
        );
        assert_eq!(
            words("every day at 07:05 from 2026-01-01"),
            "Every day at 07:05, from Thursday 1 January 2026"
        );
        assert_eq!(
            words("every 3 days at 23:30 from 2026-01-01"),
            "Every 3 days at 23:30, from Thursday 1 January 2026"
        );
        assert_eq!(
            words("every month at 09:00 from 2026-01-31"),
            "Every month on the 31st (or the month's last day) at 09:00, from Saturday 31 January 2026"
        );
        assert_eq!(
            words("every 2 months at 12:00 from 2026-01-12"),
            "Every 2 months on the 12th at 12:00, from Monday 12 January 2026"
        );
        assert_eq!(ordinal(22), "22nd");
        assert_eq!(ordinal(23), "23rd");
        assert_eq!(ordinal(11), "11th");
    }
}
