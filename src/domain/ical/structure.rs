//! The shape of an iCalendar file: BEGIN/END nesting, content lines, and the VEVENTs
//! directly inside VCALENDAR with the properties Herald reads.

use super::lines::{parse_line, unescape_text, unfold};
use super::read::{MAX_EVENTS, Prop, RawEvent, ReadError};

/// Checks the BEGIN/END structure and collects the VEVENTs directly inside VCALENDAR.
pub(super) fn components(text: &str) -> Result<Vec<RawEvent>, ReadError> {
    let mut stack: Vec<String> = Vec::new();
    let mut events = Vec::new();
    let mut current: Option<RawEvent> = None;
    let mut seen_calendar = false;
    for unfolded in unfold(text) {
        let n = unfolded.number;
        let Some(line) = parse_line(&unfolded.text) else {
            if !seen_calendar {
                return Err(ReadError::NotICalendar);
            }
            let text: String = unfolded.text.chars().take(80).collect();
            return Err(ReadError::BadLine { line: n, text });
        };
        let value = line.value.trim().to_ascii_uppercase();
        match line.name.as_str() {
            "BEGIN" if stack.is_empty() && value != "VCALENDAR" => {
                return Err(if seen_calendar {
                    ReadError::Outside {
                        line: n,
                        name: format!("BEGIN:{value}"),
                    }
                } else {
                    ReadError::NotICalendar
                });
            }
            "BEGIN" => {
                seen_calendar = true;
                if value == "VEVENT" && stack.len() == 1 {
                    if events.len() >= MAX_EVENTS {
                        return Err(ReadError::TooManyEvents { max: MAX_EVENTS });
                    }
                    current = Some(RawEvent {
                        line: n,
                        ..RawEvent::default()
                    });
                }
                stack.push(value);
            }
            "END" => {
                let open = stack.pop().ok_or_else(|| ReadError::Unbalanced {
                    line: n,
                    open: "nothing".into(),
                    found: value.clone(),
                })?;
                if open != value {
                    return Err(ReadError::Unbalanced {
                        line: n,
                        open: format!("BEGIN:{open}"),
                        found: value,
                    });
                }
                if value == "VEVENT" && stack.len() == 1 {
                    events.extend(current.take());
                }
            }
            name if stack.is_empty() => {
                return Err(if seen_calendar {
                    ReadError::Outside {
                        line: n,
                        name: name.to_owned(),
                    }
                } else {
                    ReadError::NotICalendar
                });
            }
            name => {
                if let Some(ev) = current.as_mut().filter(|_| stack.len() == 2) {
                    let prop = || Prop {
                        line: n,
                        tzid: line.param("TZID").map(str::to_owned),
                        value_type: line.param("VALUE").map(|v| v.to_ascii_uppercase()),
                        value: line.value.trim().to_owned(),
                    };
                    match name {
                        "UID" => ev.uid = Some(unescape_text(line.value)),
                        "SUMMARY" => ev.summary = Some(unescape_text(line.value)),
                        "DESCRIPTION" => ev.description = Some(unescape_text(line.value)),
                        "DTSTART" => ev.start = Some(prop()),
                        "DTEND" => ev.end = Some(prop()),
                        "DURATION" => ev.duration = Some(prop()),
                        "RRULE" => ev.rrule = Some(prop()),
                        "EXDATE" => ev.exdates.push(prop()),
                        "RECURRENCE-ID" => ev.recurrence_id = Some(prop()),
                        _ => {}
                    }
                }
            }
        }
    }
    if !seen_calendar {
        return Err(ReadError::NotICalendar);
    }
    match stack.pop() {
        Some(open) => Err(ReadError::Unclosed(open)),
        None => Ok(events),
    }
}
