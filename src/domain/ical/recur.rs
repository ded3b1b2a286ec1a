//! Expanding imported recurring events (RRULE), within bounds.
//!
//! Holiday and event files mostly repeat simply: every year on a date, every week. Those
//! rules (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY with INTERVAL, COUNT, UNTIL, and BY-parts
//! that only repeat what DTSTART says) are expanded in the event's local time, up to the
//! caller's horizon and at most `MAX_PER_RULE` times, honouring EXDATE and instances
//! replaced by a RECURRENCE-ID event. Any other rule (the fourth Thursday of November...)
//! keeps only its first occurrence, with a note saying so: a partial RRULE engine that
//! guessed would put holidays on the wrong days.

use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use super::read::{ImportedEvent, RawEvent, ReadError, Reader, bad};
use super::values::{Stamp, parse_stamp};

const MAX_PER_RULE: usize = 1_000;

/// An instance moved or changed by its own VEVENT (same UID, RECURRENCE-ID).
pub(super) struct Override {
    pub uid: String,
    pub start_ms: i64,
}

pub(super) struct Expansion<'r, 'a> {
    pub reader: &'r mut Reader<'a>,
    pub overrides: &'r [Override],
    pub until_ms: i64,
    /// How many more events the import may hold.
    pub room: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Freq {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

impl Expansion<'_, '_> {
    /// The occurrences after the first; empty when the event does not repeat.
    pub fn expand(
        &mut self,
        ev: &RawEvent,
        first: &ImportedEvent,
    ) -> Result<Vec<ImportedEvent>, ReadError> {
        let (Some(rule), Some(start), None) = (&ev.rrule, &ev.start, &ev.recurrence_id) else {
            return Ok(Vec::new());
        };
        let stamp = self.reader.stamp(start, "DTSTART")?;
        let tz = self.reader.zone_of(start);
        let local = match stamp {
            Stamp::Date(d) => d.to_datetime(jiff::civil::Time::midnight()),
            Stamp::DateTime { local, .. } => local,
        };
        let Some((freq, interval, count, until)) = self.rule(&rule.value, local)? else {
            self.reader.notes.push(format!(
                "{:?} repeats by a rule Herald does not expand ({}); only its first occurrence was imported",
                first.summary, rule.value
            ));
            return Ok(Vec::new());
        };
        let until_ms = match until {
            Some(u) => {
                stamp_ms(u, &tz).ok_or_else(|| bad(rule, "RRULE UNTIL", "date or date-time"))?
            }
            None => i64::MAX,
        };
        let mut excluded = Vec::new();
        for p in &ev.exdates {
            let tz = self.reader.zone_of(p);
            for v in p.value.split(',') {
                let s = parse_stamp(v).ok_or_else(|| bad(p, "EXDATE", "date or date-time"))?;
                excluded.extend(stamp_ms(s, &tz));
            }
        }
        let length = first.end_ms - first.start_ms;
        let mut out = Vec::new();
        let mut generated = 1; // the first occurrence counts towards COUNT
        for k in 1..(MAX_PER_RULE * 12) as i64 {
            if count.is_some_and(|c| generated >= c) || out.len() >= MAX_PER_RULE {
                break;
            }
            let Some(step) = k.checked_mul(interval) else {
                break;
            };
            // `None`: no such day in that month or year (31 April, 29 February): skipped.
            let Some(at) = nth(local, freq, step) else {
                continue;
            };
            let stamp = match stamp {
                Stamp::Date(_) => Stamp::Date(at.date()),
                Stamp::DateTime { utc, .. } => Stamp::DateTime { local: at, utc },
            };
            let Some(start_ms) = stamp_ms(stamp, &tz) else {
                break;
            };
            if start_ms > until_ms {
                break;
            }
            if start_ms > self.until_ms {
                self.reader.notes.push(
                    "recurring events were imported up to the end of the import's span".into(),
                );
                break;
            }
            generated += 1;
            let replaced = self
                .overrides
                .iter()
                .any(|o| Some(&o.uid) == first.uid.as_ref() && o.start_ms == start_ms);
            if excluded.contains(&start_ms) || replaced {
                continue;
            }
            if out.len() >= self.room {
                self.reader.notes.push(format!(
                    "only the first {} events were imported",
                    super::MAX_EVENTS
                ));
                break;
            }
            let end_ms = if first.all_day {
                // Rounded: a day across a daylight-saving change has 23 or 25 hours.
                let days = ((length + 43_200_000) / 86_400_000).max(1);
                shift(stamp, &tz, days * 86_400).unwrap_or(start_ms)
            } else {
                start_ms.saturating_add(length)
            };
            out.push(ImportedEvent {
                start_ms,
                end_ms,
                ..first.clone()
            });
        }
        Ok(out)
    }

    /// The parts of a simple rule; `None` for a rule Herald does not expand.
    #[allow(clippy::type_complexity)]
    fn rule(
        &self,
        value: &str,
        start: DateTime,
    ) -> Result<Option<(Freq, i64, Option<usize>, Option<Stamp>)>, ReadError> {
        let (mut freq, mut interval, mut count, mut until) = (None, 1i64, None, None);
        for part in value.split(';').filter(|p| !p.is_empty()) {
            let Some((k, v)) = part.split_once('=') else {
                return Ok(None);
            };
            let v = v.to_ascii_uppercase();
            let same = |n: i8| v.parse::<i8>().ok() == Some(n);
            match k.to_ascii_uppercase().as_str() {
                "FREQ" => {
                    freq = match v.as_str() {
                        "DAILY" => Some(Freq::Daily),
                        "WEEKLY" => Some(Freq::Weekly),
                        "MONTHLY" => Some(Freq::Monthly),
                        "YEARLY" => Some(Freq::Yearly),
                        _ => return Ok(None),
                    }
                }
                "INTERVAL" => match v.parse::<i64>() {
                    Ok(n) if (1..=1000).contains(&n) => interval = n,
                    _ => return Ok(None),
                },
                "COUNT" => match v.parse::<usize>() {
                    Ok(n) if n >= 1 => count = Some(n),
                    _ => return Ok(None),
                },
                "UNTIL" => match parse_stamp(&v) {
                    Some(s) => until = Some(s),
                    None => return Ok(None),
                },
                "WKST" => {}
                "BYMONTH" if same(start.month()) => {}
                "BYMONTHDAY" if same(start.day()) => {}
                "BYDAY" if freq == Some(Freq::Weekly) && v == weekday_code(start.date()) => {}
                _ => return Ok(None),
            }
        }
        Ok(freq.map(|f| (f, interval, count, until)))
    }
}

fn weekday_code(d: Date) -> &'static str {
    ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][d.weekday().to_monday_zero_offset() as usize % 7]
}

/// The `step`-th period after `start`, at the same local time.
fn nth(start: DateTime, freq: Freq, step: i64) -> Option<DateTime> {
    let days = |n: i64| {
        start
            .checked_add(SignedDuration::from_secs(n.checked_mul(86_400)?))
            .ok()
    };
    match freq {
        Freq::Daily => days(step),
        Freq::Weekly => days(step.checked_mul(7)?),
        Freq::Monthly => {
            let months = i64::from(start.month() - 1) + step;
            let year = i64::from(start.year()) + months.div_euclid(12);
            let month = months.rem_euclid(12) + 1;
            let date = Date::new(i16::try_from(year).ok()?, month as i8, start.day()).ok()?;
            Some(date.to_datetime(start.time()))
        }
        Freq::Yearly => {
            let year = i16::try_from(i64::from(start.year()) + step).ok()?;
            let date = Date::new(year, start.month(), start.day()).ok()?;
            Some(date.to_datetime(start.time()))
        }
    }
}

/// A DATE or DATE-TIME as an instant: UTC when it says `Z`, otherwise in `tz` (a DATE at
/// local midnight), gaps and folds as RFC 5545 §3.3.5 says (jiff's "compatible").
pub(super) fn stamp_ms(stamp: Stamp, tz: &TimeZone) -> Option<i64> {
    let ts = match stamp {
        Stamp::Date(d) => tz
            .to_ambiguous_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
            .compatible(),
        Stamp::DateTime { local, utc: true } => Offset::UTC.to_timestamp(local),
        Stamp::DateTime { local, utc: false } => tz.to_ambiguous_timestamp(local).compatible(),
    };
    ts.ok().map(Timestamp::as_millisecond)
}

/// `secs` after a start: whole days are calendar days in local time (an all-day event
/// lasts to midnight, a P1D event ends at the same wall-clock time), the rest is exact.
pub(super) fn shift(stamp: Stamp, tz: &TimeZone, secs: i64) -> Option<i64> {
    let by = SignedDuration::from_secs(secs);
    match stamp {
        Stamp::Date(d) if secs % 86_400 == 0 => stamp_ms(Stamp::Date(d.checked_add(by).ok()?), tz),
        Stamp::DateTime { local, utc } if secs % 86_400 == 0 => stamp_ms(
            Stamp::DateTime {
                local: local.checked_add(by).ok()?,
                utc,
            },
            tz,
        ),
        _ => stamp_ms(stamp, tz)?.checked_add(secs.checked_mul(1000)?),
    }
}
