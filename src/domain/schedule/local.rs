//! Turning the local date and time a person typed into an instant, without guessing.
//!
//! A local time can name no instant (the hour skipped when clocks go forward) or two (the
//! hour repeated when they go back). People schedule posts by local time, so both cases
//! are answered with an error that says what happened and what to do instead; only the
//! caller, having asked the person, may pick one side of a fold.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::fmt::temporal::Pieces;
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};

use super::format::{long_date, offset_label};

/// Which of the two instants to take when a local time happens twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disambiguation {
    /// The first one, still on the earlier (usually summer) offset.
    Earlier,
    /// The second one, after the clocks went back.
    Later,
}

/// Why a local time could not become an instant.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LocalTimeError {
    #[error("{0:?} is not an IANA time zone; use a name such as Europe/Paris or UTC")]
    UnknownZone(String),
    #[error("{0:?} is not a local date and time; write it as 2026-03-29T09:30")]
    NotALocalTime(String),
    #[error(
        "{0:?} is not an instant; write it as RFC 3339 with an offset, such as 2026-03-29T09:30:00Z"
    )]
    NotAnInstant(String),
    #[error("{0:?} is outside the range of dates Herald can schedule")]
    OutOfRange(String),
    #[error(
        "{time} does not exist on {date} in {zone}: clocks go forward from {from} to {to}, so {to} is the first time after",
        time = hm(&.0.local), date = long_date(.0.local.date()), zone = .0.zone,
        from = hm(&.0.skipped_from), to = hm(&.0.skipped_to)
    )]
    Skipped(Box<SkippedTime>),
    #[error(
        "{time} happens twice on {date} in {zone}: first at {a}, then at {b}; choose the earlier or the later",
        time = hm(&.0.local), date = long_date(.0.local.date()), zone = .0.zone,
        a = offset_label(.0.earlier_offset), b = offset_label(.0.later_offset)
    )]
    Repeated(Box<RepeatedTime>),
    #[error(
        "offset {given} is not in use at {time} on {date} in {zone}",
        given = offset_label(*.given), time = hm(.local), date = long_date(.local.date())
    )]
    OffsetNotInZone {
        local: DateTime,
        zone: String,
        given: Offset,
    },
}

/// A local time in the hour skipped when clocks went forward.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedTime {
    pub zone: String,
    pub local: DateTime,
    /// The local time at which the clocks jumped (e.g. 02:00)...
    pub skipped_from: DateTime,
    /// ...and the one they jumped to (e.g. 03:00).
    pub skipped_to: DateTime,
    /// What to suggest instead: the first instant after the gap (`skipped_to`).
    pub next_valid_ms: i64,
}

/// A local time in the hour repeated when clocks went back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepeatedTime {
    pub zone: String,
    pub local: DateTime,
    pub earlier_offset: Offset,
    pub later_offset: Offset,
    pub earlier_ms: i64,
    pub later_ms: i64,
}

/// Where a local time falls in a zone, for rules (slots, recurrences) that have a policy
/// for gaps and folds instead of asking a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Placement {
    Unique(i64),
    /// In a gap: the first instant after it.
    Skipped {
        next_valid_ms: i64,
    },
    Repeated {
        earlier_ms: i64,
        later_ms: i64,
    },
}

impl Placement {
    /// The policy of every recurring rule: a skipped time moves to the end of the gap,
    /// a repeated one happens once, at the earlier offset.
    pub(crate) fn policy_ms(self) -> i64 {
        match self {
            Placement::Unique(ms) => ms,
            Placement::Skipped { next_valid_ms } => next_valid_ms,
            Placement::Repeated { earlier_ms, .. } => earlier_ms,
        }
    }
}

/// The time zone of that IANA name (what workspace and channel settings store).
pub fn time_zone(name: &str) -> Result<TimeZone, LocalTimeError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(LocalTimeError::UnknownZone(String::new()));
    }
    TimeZone::get(name).map_err(|_| LocalTimeError::UnknownZone(name.to_owned()))
}

/// Parses an RFC 3339 instant with its offset ("2026-03-29T09:30:00+02:00" or "...Z").
pub fn parse_instant(raw: &str) -> Result<i64, LocalTimeError> {
    let raw = raw.trim();
    let ts: Timestamp = raw
        .parse()
        .map_err(|_| LocalTimeError::NotAnInstant(raw.to_owned()))?;
    Ok(ts.as_millisecond())
}

/// The instant a person meant by a local date and time in a zone.
///
/// `local` is "2026-03-29T02:30" (seconds optional, a space may replace the `T`); it may
/// carry an offset ("2026-11-01T01:30-05:00"), which then must be one the zone uses at that
/// time and settles a fold. Without one, a repeated time needs `choice`.
pub fn resolve_local(
    local: &str,
    zone: &str,
    choice: Option<Disambiguation>,
) -> Result<i64, LocalTimeError> {
    let tz = time_zone(zone)?;
    let zone = tz.iana_name().unwrap_or(zone.trim()).to_owned();
    let raw = local.trim();
    let bad = || LocalTimeError::NotALocalTime(raw.to_owned());
    let pieces = Pieces::parse(raw).map_err(|_| bad())?;
    let time = pieces.time().ok_or_else(bad)?;
    let dt = pieces.date().to_datetime(time);
    if pieces.time_zone_annotation().is_some() {
        // "[Europe/Paris]" would be a second, possibly different, zone: refuse it.
        return Err(bad());
    }
    let given = pieces.offset().map(|o| o.to_numeric_offset());
    let at = placement(&tz, dt).ok_or_else(|| LocalTimeError::OutOfRange(raw.to_owned()))?;
    let to_ms = |o: Offset| {
        o.to_timestamp(dt)
            .map(Timestamp::as_millisecond)
            .map_err(|_| LocalTimeError::OutOfRange(raw.to_owned()))
    };
    let offsets = tz.to_ambiguous_timestamp(dt).offset();
    if let Some(given) = given {
        let in_use = match offsets {
            AmbiguousOffset::Unambiguous { offset } => given == offset,
            AmbiguousOffset::Fold { before, after } => given == before || given == after,
            AmbiguousOffset::Gap { .. } => false,
        };
        if !in_use {
            return Err(LocalTimeError::OffsetNotInZone {
                local: dt,
                zone,
                given,
            });
        }
        return to_ms(given);
    }
    match (at, offsets) {
        (Placement::Unique(ms), _) => Ok(ms),
        (Placement::Skipped { next_valid_ms }, AmbiguousOffset::Gap { before, after }) => {
            let edge = Timestamp::from_millisecond(next_valid_ms)
                .map_err(|_| LocalTimeError::OutOfRange(raw.to_owned()))?;
            Err(LocalTimeError::Skipped(Box::new(SkippedTime {
                zone,
                local: dt,
                skipped_from: before.to_datetime(edge),
                skipped_to: after.to_datetime(edge),
                next_valid_ms,
            })))
        }
        (
            Placement::Repeated {
                earlier_ms,
                later_ms,
            },
            AmbiguousOffset::Fold { before, after },
        ) => match choice {
            Some(Disambiguation::Earlier) => Ok(earlier_ms),
            Some(Disambiguation::Later) => Ok(later_ms),
            None => Err(LocalTimeError::Repeated(Box::new(RepeatedTime {
                zone,
                local: dt,
                earlier_offset: before,
                later_offset: after,
                earlier_ms,
                later_ms,
            }))),
        },
        // `placement` reads the same offsets, so the kinds always agree.
        _ => Err(LocalTimeError::OutOfRange(raw.to_owned())),
    }
}

/// Where `dt` falls in `tz`; `None` only past the ends of the supported range.
pub(crate) fn placement(tz: &TimeZone, dt: DateTime) -> Option<Placement> {
    let ms = |o: Offset| o.to_timestamp(dt).ok().map(Timestamp::as_millisecond);
    match tz.to_ambiguous_timestamp(dt).offset() {
        AmbiguousOffset::Unambiguous { offset } => ms(offset).map(Placement::Unique),
        AmbiguousOffset::Fold { before, after } => Some(Placement::Repeated {
            earlier_ms: ms(before)?,
            later_ms: ms(after)?,
        }),
        AmbiguousOffset::Gap { before, after } => {
            // `dt` read with the later offset is an instant before the jump; the jump is
            // the zone's next transition from there.
            let early = after.to_timestamp(dt).ok()?;
            let jump = tz
                .following(early)
                .next()
                .map(|t| t.timestamp().as_millisecond())
                .or_else(|| ms(before))?;
            Some(Placement::Skipped {
                next_valid_ms: jump,
            })
        }
    }
}

fn hm(dt: &DateTime) -> String {
    format!("{:02}:{:02}", dt.hour(), dt.minute())
}
