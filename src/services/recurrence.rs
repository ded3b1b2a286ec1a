//! Recurring posts (issue 5): a post repeats every N days, weeks (on chosen weekdays) or
//! months, at a local time in a zone, until a date or N times. The post is the template;
//! each occurrence is a copy scheduled at its time through the usual path (approval
//! included), made by the periodic pass once it is a week away, so the calendar shows the
//! coming week and each occurrence can be changed or cancelled on its own.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use uuid::Uuid;

use super::recurrence_input::read_rule;
use super::schedule::When;
use super::{Actor, AppError, AppResult, Services};
use crate::domain::schedule::{self, Recurrence};
use crate::domain::{Permission, Validation};
use crate::storage::copies::{self, PostCopy};
use crate::storage::posts;
use crate::storage::publishing;
use crate::storage::recurrences::{self, Series};

/// Occurrences are made this long before their time.
pub const LOOKAHEAD_MS: i64 = 7 * 86_400_000;
pub const MAX_COUNT: i64 = 1_000;
/// Occurrences made in one pass for one series, at most (a daily post makes 7 a week).
const MAX_PER_PASS: usize = 64;

/// A rule as people give it.
#[derive(Clone, Debug, Default)]
pub struct RecurrenceInput {
    /// `day`, `week` or `month`.
    pub every: String,
    pub interval: i64,
    /// For weekly rules ("mon", "thu"); none: the start date's weekday.
    pub weekdays: Vec<String>,
    /// "09:00".
    pub time: String,
    /// The first date ("2026-03-02"); empty: today in the zone.
    pub start: String,
    /// IANA zone; empty: the workspace's.
    pub time_zone: String,
    /// The last date an occurrence may fall on (inclusive).
    pub until: Option<String>,
    /// How many occurrences in all.
    pub count: Option<i64>,
}

/// A series with what people need to see of it.
#[derive(Clone, Debug)]
pub struct SeriesView {
    pub series: Series,
    /// The next few occurrences still to make, within the series' end.
    pub upcoming_ms: Vec<i64>,
    /// The occurrences made so far (copy post, its time), earliest first.
    pub made: Vec<(Uuid, i64)>,
}

impl Services {
    /// Makes `post` repeat (editors and above); replaces any rule it had. Occurrences in
    /// the coming week are made at once.
    pub async fn set_recurrence(
        &self,
        actor: &Actor,
        ws: Uuid,
        post: Uuid,
        input: RecurrenceInput,
    ) -> AppResult<SeriesView> {
        let member = self
            .active_workspace_for(actor, ws, Permission::Schedule)
            .await?;
        let post = posts::get(&self.db, ws, post)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut v = Validation::new();
        if posts::variants(&self.db, post.id).await?.is_empty() {
            v.add(
                "channel_ids",
                "choose at least one channel for the post first",
            );
        }
        let zone_name = if input.time_zone.trim().is_empty() {
            member.workspace.time_zone.clone()
        } else {
            schedule::check_time_zone(&mut v, "time_zone", input.time_zone.trim())
        };
        let tz = TimeZone::get(&zone_name).ok();
        let now = self.now_ms();
        let today = tz.as_ref().and_then(|tz| {
            jiff::Timestamp::from_millisecond(now)
                .ok()
                .map(|t| tz.to_datetime(t).date())
        });
        let rule = read_rule(&mut v, &input, today);
        let until = input
            .until
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty());
        let until = until.and_then(|u| match u.parse::<Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                v.add("until", "give a date such as 2026-06-30");
                None
            }
        });
        if let (Some(until), Some(rule)) = (until, &rule)
            && until < rule.start()
        {
            v.add("until", "is before the first date");
        }
        if let Some(count) = input.count {
            v.check(
                (1..=MAX_COUNT).contains(&count),
                "count",
                "must be between 1 and 1000",
            );
        }
        v.finish()?;
        let (Some(rule), Some(tz)) = (rule, tz) else {
            return Err(AppError::field("every", "is not a rule"));
        };
        let mut series = Series {
            post_id: post.id,
            workspace_id: ws,
            rule: rule.to_string(),
            time_zone: zone_name,
            until_date: until.map(|d| d.to_string()),
            max_count: input.count,
            made_count: 0,
            next_at_ms: None,
            state: "active".into(),
            created_by: Some(actor.user.id),
            last_note: String::new(),
            created_at_ms: now,
            updated_at_ms: now,
        };
        series.next_at_ms = next_occurrence(&series, &rule, &tz, now);
        if series.next_at_ms.is_none() {
            return Err(AppError::field(
                "until",
                "no occurrence falls between the first date and the end",
            ));
        }
        recurrences::save(&self.db, &series).await?;
        self.advance_series(series).await?;
        self.recurrence(actor, ws, post.id).await
    }

    pub async fn recurrence(&self, actor: &Actor, ws: Uuid, post: Uuid) -> AppResult<SeriesView> {
        self.workspace(actor, ws).await?;
        let series = recurrences::get(&self.db, ws, post)
            .await?
            .ok_or(AppError::NotFound)?;
        self.series_view(series).await
    }

    /// Stops the series and cancels its occurrences that have not gone out.
    pub async fn cancel_recurrence(
        &self,
        actor: &Actor,
        ws: Uuid,
        post: Uuid,
    ) -> AppResult<SeriesView> {
        self.active_workspace_for(actor, ws, Permission::Schedule)
            .await?;
        let now = self.now_ms();
        if !recurrences::cancel(&self.db, ws, post, now).await? {
            return Err(match recurrences::get(&self.db, ws, post).await? {
                None => AppError::NotFound,
                Some(_) => AppError::Conflict("This series has already ended.".into()),
            });
        }
        for made in copies::of_source(&self.db, post, "recurrence").await? {
            let ids: Vec<Uuid> = posts::variants(&self.db, made.copy_post_id)
                .await?
                .iter()
                .map(|v| v.id)
                .collect();
            publishing::cancel(&self.db, &ids, now).await?;
        }
        self.recurrence(actor, ws, post).await
    }

    /// The periodic pass: makes every occurrence due within the look-ahead.
    pub(super) async fn make_occurrences(&self) -> AppResult<()> {
        for series in recurrences::due(&self.db, self.now_ms() + LOOKAHEAD_MS).await? {
            let post = series.post_id;
            if let Err(e) = self.advance_series(series).await {
                tracing::warn!(post = %post, error = %e, "making a recurring post's occurrence failed");
            }
        }
        Ok(())
    }

    /// Makes the series' occurrences up to the look-ahead, one at a time; an occurrence
    /// whose time has passed (Herald was not running) is skipped, not posted late.
    async fn advance_series(&self, mut series: Series) -> AppResult<()> {
        let Ok(rule) = series.rule.parse::<Recurrence>() else {
            return Ok(());
        };
        let Ok(tz) = TimeZone::get(&series.time_zone) else {
            return Ok(());
        };
        for _ in 0..MAX_PER_PASS {
            let now = self.now_ms();
            let Some(at) = series.next_at_ms.filter(|at| *at <= now + LOOKAHEAD_MS) else {
                break;
            };
            let (made, note) = if at < now - 60_000 {
                (
                    false,
                    format!(
                        "Skipped {}: Herald was not running then.",
                        schedule::format_in_zone(at, &tz)
                    ),
                )
            } else {
                match self.make_occurrence(&series, at, &tz).await? {
                    Ok(()) => (
                        true,
                        format!(
                            "Made the occurrence of {}.",
                            schedule::format_in_zone(at, &tz)
                        ),
                    ),
                    Err(why) => (
                        false,
                        format!(
                            "Could not schedule {}: {why}",
                            schedule::format_in_zone(at, &tz)
                        ),
                    ),
                }
            };
            if made {
                series.made_count += 1;
            }
            let next = next_occurrence(&series, &rule, &tz, at + 1);
            if !recurrences::advance(&self.db, series.post_id, at, next, made, &note, now).await? {
                break;
            }
            series.next_at_ms = next;
        }
        Ok(())
    }

    async fn make_occurrence(
        &self,
        series: &Series,
        at_ms: i64,
        tz: &TimeZone,
    ) -> AppResult<Result<(), String>> {
        let ws = series.workspace_id;
        let actor = match self
            .acting_as(ws, series.created_by, Permission::Schedule)
            .await?
        {
            Ok(actor) => actor,
            Err(why) => return Ok(Err(why)),
        };
        let Some(source) = posts::get(&self.db, ws, series.post_id).await? else {
            return Ok(Err("the post is gone".into()));
        };
        let copy = match self
            .copy_post(&source, None, actor.user.id, "recurrence", at_ms)
            .await
        {
            Ok(copy) => copy,
            // Another pass made this occurrence (the unique index on occurrences).
            Err(AppError::Conflict(_)) => return Ok(Err("made by another pass".into())),
            Err(e) => return Err(e),
        };
        let local = jiff::Timestamp::from_millisecond(at_ms)
            .ok()
            .and_then(|t| {
                jiff::fmt::strtime::format("%Y-%m-%dT%H:%M", &t.to_zoned_datetime(tz.clone())).ok()
            })
            .unwrap_or_default();
        let when = When::At {
            at_ms,
            time_zone: series.time_zone.clone(),
            local_time: local,
        };
        self.send_on(
            &actor,
            &copy,
            when,
            "An occurrence of a recurring post.",
            true,
        )
        .await
    }

    async fn series_view(&self, series: Series) -> AppResult<SeriesView> {
        let mut upcoming_ms = Vec::new();
        if let (Ok(rule), Ok(tz), Some(mut at)) = (
            series.rule.parse::<Recurrence>(),
            TimeZone::get(&series.time_zone),
            series.next_at_ms,
        ) {
            let mut probe = series.clone();
            upcoming_ms.push(at);
            while upcoming_ms.len() < 5 {
                probe.made_count += 1;
                let Some(next) = next_occurrence(&probe, &rule, &tz, at + 1) else {
                    break;
                };
                upcoming_ms.push(next);
                at = next;
            }
        }
        let made = copies::of_source(&self.db, series.post_id, "recurrence")
            .await?
            .iter()
            .map(|c: &PostCopy| (c.copy_post_id, c.for_at_ms))
            .collect();
        Ok(SeriesView {
            series,
            upcoming_ms,
            made,
        })
    }
}

/// The series' first occurrence at or after `after_ms`, unless the series has ended by
/// then (its count reached, or past its last date).
fn next_occurrence(
    series: &Series,
    rule: &Recurrence,
    tz: &TimeZone,
    after_ms: i64,
) -> Option<i64> {
    if series.max_count.is_some_and(|max| series.made_count >= max) {
        return None;
    }
    let at = *rule.next_occurrences(tz, after_ms, 1).first()?;
    if let Some(until) = series
        .until_date
        .as_deref()
        .and_then(|d| d.parse::<Date>().ok())
    {
        let day = jiff::Timestamp::from_millisecond(at)
            .ok()?
            .to_zoned_datetime(tz.clone())
            .date();
        if day > until {
            return None;
        }
    }
    Some(at)
}
