//! The "Repeat" form as typed, and what it asks of `set_recurrence`. The service checks
//! every field and names the ones at fault; this only reads the form's text into its input,
//! so a number that does not read as one gets the service's own range message.

use super::form::Pairs;
use crate::services::recurrence::RecurrenceInput;

/// The form as typed (kept when it comes back with errors).
#[derive(Clone, Debug, Default)]
pub struct RepeatForm {
    /// `day`, `week` or `month`.
    pub every: String,
    pub interval: String,
    /// The weekday boxes ticked ("mon"); only weekly rules send them on.
    pub weekdays: Vec<String>,
    pub time: String,
    pub start: String,
    pub time_zone: String,
    pub until: String,
    pub count: String,
}

impl RepeatForm {
    pub fn parse(pairs: &Pairs) -> Self {
        let mut f = RepeatForm::default();
        for (key, value) in pairs {
            let slot = match key.as_str() {
                "every" => &mut f.every,
                "interval" => &mut f.interval,
                "time" => &mut f.time,
                "start" => &mut f.start,
                "time_zone" => &mut f.time_zone,
                "until" => &mut f.until,
                "count" => &mut f.count,
                // A week has seven days: more boxes than that were not ticked in the form.
                "weekdays" if f.weekdays.len() < 7 => {
                    if !f.weekdays.contains(value) {
                        f.weekdays.push(value.clone());
                    }
                    continue;
                }
                _ => continue,
            };
            *slot = value.clone();
        }
        f
    }

    pub fn weekly(&self) -> bool {
        matches!(self.every.trim(), "week" | "weeks" | "weekly")
    }

    pub fn to_input(&self) -> RecurrenceInput {
        let optional = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        RecurrenceInput {
            every: self.every.clone(),
            // Empty is once every period, as in the API; unreadable is outside every range,
            // so the service says what the range is.
            interval: match self.interval.trim() {
                "" => 1,
                n => n.parse().unwrap_or(-1),
            },
            // The boxes stay ticked while another period is chosen; they mean nothing then.
            weekdays: if self.weekly() {
                self.weekdays.clone()
            } else {
                Vec::new()
            },
            time: self.time.clone(),
            start: self.start.clone(),
            time_zone: self.time_zone.clone(),
            until: optional(&self.until),
            count: optional(&self.count).map(|c| c.parse().unwrap_or(0)),
        }
    }
}

/// How a field of the form is named in a toast.
pub fn label(field: &str) -> &'static str {
    match field {
        "every" => "Repeat",
        "interval" => "Every",
        "weekdays" => "On",
        "time" => "Time",
        "start" => "First date",
        "time_zone" => "Time zone",
        "until" => "Until",
        "count" => "Times in all",
        "channel_ids" => "Channels",
        _ => "The form",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Pairs {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_form_becomes_the_services_input() {
        let f = RepeatForm::parse(&pairs(&[
            ("csrf_token", "x"),
            ("every", "week"),
            ("interval", " 2 "),
            ("weekdays", "mon"),
            ("weekdays", "thu"),
            ("weekdays", "mon"),
            ("time", "09:00"),
            ("start", "2026-03-02"),
            ("until", " "),
            ("count", "10"),
        ]));
        let input = f.to_input();
        assert_eq!(input.interval, 2);
        assert_eq!(input.weekdays, ["mon", "thu"]);
        assert_eq!(input.until, None);
        assert_eq!(input.count, Some(10));
        let daily = RepeatForm {
            every: "day".into(),
            ..f
        };
        assert!(daily.to_input().weekdays.is_empty(), "boxes left ticked");
    }

    #[test]
    fn unreadable_numbers_fall_outside_the_ranges() {
        let f = RepeatForm::parse(&pairs(&[
            ("interval", "often"),
            ("count", "lots"),
            ("weekdays", "a"),
            ("weekdays", "b"),
            ("weekdays", "c"),
            ("weekdays", "d"),
            ("weekdays", "e"),
            ("weekdays", "f"),
            ("weekdays", "g"),
            ("weekdays", "h"),
        ]));
        let input = f.to_input();
        assert_eq!(input.interval, -1);
        assert_eq!(input.count, Some(0));
        assert_eq!(f.weekdays.len(), 7);
    }
}
