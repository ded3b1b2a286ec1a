//! Events and holidays on the calendar page: where they fall among the days shown, the
//! period's list with a Delete button each, and the forms that add one by hand
//! (`POST /w/{ws}/calendar/events`), delete one (`.../events/{id}/delete`) and import an
//! .ics file (`.../events/import`, multipart, sent by htmx with the CSRF header).

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Deserialize;
use uuid::Uuid;

use super::calendar::local_parts;
use super::calendar_forms::{answer, back_pairs};
use crate::domain::ical::MAX_INPUT_BYTES;
use crate::services::AppError;
use crate::services::calendar_events::EventInput;
use crate::storage::calendar_events::CalendarEvent;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast};
use crate::web::upload::read_small;

/// An event as a day of the calendar shows it.
pub struct DayEvent {
    pub title: String,
    pub holiday: bool,
    /// `09:30`, for timed events on their first day.
    pub time: String,
}

/// An event in the period's list.
pub struct EventRow {
    pub id: Uuid,
    pub title: String,
    pub holiday: bool,
    /// `25 Dec 2026`, `24 – 26 Dec 2026` or `25 Dec 2026, 09:30`.
    pub when: String,
    pub delete_action: String,
}

/// What the "Add" form holds: empty, or what was typed when it was refused.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct EventDraft {
    pub title: String,
    pub start: String,
    pub end: String,
    pub kind: String,
    pub back: String,
    #[serde(skip)]
    pub errors: Errors,
}

impl EventDraft {
    pub fn is_holiday(&self) -> bool {
        self.kind == "holiday"
    }
}

/// The local days an event covers, clipped to `[first, end)`: all-day events end at the
/// midnight after their last day, timed ones on the day they end.
fn days_of(e: &CalendarEvent, tz: &TimeZone, first: Date, end: Date) -> Vec<Date> {
    let Some((start_day, _)) = local_parts(e.starts_at_ms, tz) else {
        return Vec::new();
    };
    let last_ms = if e.all_day && e.ends_at_ms > e.starts_at_ms {
        e.ends_at_ms - 1
    } else {
        e.ends_at_ms.max(e.starts_at_ms)
    };
    let last_day = local_parts(last_ms, tz).map_or(start_day, |(d, _)| d);
    let mut out = Vec::new();
    let mut d = start_day.max(first);
    while d <= last_day && d < end {
        out.push(d);
        match d.tomorrow() {
            Ok(next) => d = next,
            Err(_) => break,
        }
    }
    out
}

fn describe(e: &CalendarEvent, tz: &TimeZone) -> String {
    let day = |ms: i64| {
        local_parts(ms, tz).map_or_else(String::new, |(d, _)| d.strftime("%-d %b %Y").to_string())
    };
    if e.all_day {
        let last = day((e.ends_at_ms - 1).max(e.starts_at_ms));
        let first = day(e.starts_at_ms);
        if first == last {
            first
        } else {
            format!("{first} – {last}")
        }
    } else {
        let time = local_parts(e.starts_at_ms, tz).map_or_else(String::new, |(_, t)| t);
        format!("{}, {time}", day(e.starts_at_ms))
    }
}

/// The events by day (for the grid) and as a list (for the section below it).
pub(super) fn place(
    ws: Uuid,
    events: &[CalendarEvent],
    tz: &TimeZone,
    first: Date,
    end: Date,
) -> (BTreeMap<Date, Vec<DayEvent>>, Vec<EventRow>) {
    let mut by_day: BTreeMap<Date, Vec<DayEvent>> = BTreeMap::new();
    let mut rows = Vec::with_capacity(events.len());
    for e in events {
        let holiday = e.kind == "holiday";
        let time = if e.all_day {
            String::new()
        } else {
            local_parts(e.starts_at_ms, tz).map_or_else(String::new, |(_, t)| t)
        };
        for (i, d) in days_of(e, tz, first, end).into_iter().enumerate() {
            by_day.entry(d).or_default().push(DayEvent {
                title: e.title.clone(),
                holiday,
                time: if i == 0 { time.clone() } else { String::new() },
            });
        }
        rows.push(EventRow {
            id: e.id,
            title: e.title.clone(),
            holiday,
            when: describe(e, tz),
            delete_action: format!("/w/{ws}/calendar/events/{}/delete", e.id),
        });
    }
    (by_day, rows)
}

/// Adds an event or holiday by hand: a title, a day or a range of days, a kind.
pub async fn add(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(ws_id): UiPath<Uuid>,
    UiForm(draft): UiForm<EventDraft>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let q = back_pairs(&draft.back);
    let input = EventInput {
        title: draft.title.clone(),
        start: draft.start.clone(),
        end: draft.end.clone(),
        all_day: true,
        kind: draft.kind.clone(),
        ..EventInput::default()
    };
    match state
        .services
        .add_calendar_event(&actor, ws_id, input)
        .await
    {
        Ok(e) => {
            let zone = TimeZone::get(&ws.workspace.time_zone).unwrap_or(TimeZone::UTC);
            let text = format!(
                "Added the {} “{}” ({}).",
                if e.kind == "holiday" {
                    "holiday"
                } else {
                    "event"
                },
                e.title,
                describe(&e, &zone)
            );
            answer(
                &state,
                &actor,
                &ws,
                htmx,
                &q,
                Toast::ok(text),
                StatusCode::OK,
                |_| {},
            )
            .await
        }
        Err(AppError::Validation(fields)) => {
            let toast = Toast::error(format!("Not added: {}.", field_words(&fields)));
            let mut draft = draft;
            draft.errors = Errors(fields);
            let keep = move |cal: &mut super::calendar::CalendarView| cal.event_draft = draft;
            answer(
                &state,
                &actor,
                &ws,
                htmx,
                &q,
                toast,
                StatusCode::UNPROCESSABLE_ENTITY,
                keep,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct DeleteBody {
    back: String,
}

pub async fn delete(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws_id, id)): UiPath<(Uuid, Uuid)>,
    UiForm(body): UiForm<DeleteBody>,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    state
        .services
        .delete_calendar_event(&actor, ws_id, id)
        .await?;
    let q = back_pairs(&body.back);
    let toast = Toast::ok("Event deleted.");
    answer(&state, &actor, &ws, htmx, &q, toast, StatusCode::OK, |_| {}).await
}

/// Imports an .ics file; a refusal names the line and the problem in a toast.
pub async fn import(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(ws_id): UiPath<Uuid>,
    request: Request,
) -> Result<Response, UiError> {
    let ws = state.services.workspace(&actor, ws_id).await?;
    let form = read_small(request, MAX_INPUT_BYTES).await;
    let fields: HashMap<String, String> =
        form.as_ref().map(|f| f.fields.clone()).unwrap_or_default();
    let q = back_pairs(fields.get("back").map_or("", String::as_str));
    let kind = fields.get("kind").map_or("event", String::as_str);
    let result = match form {
        Ok(f) => {
            state
                .services
                .import_calendar_events_as(&actor, ws_id, &f.file, kind)
                .await
        }
        Err(e) => Err(e),
    };
    let status = match &result {
        Err(AppError::TooLarge(_)) => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    match result {
        Ok(done) => {
            let mut text = format!(
                "Imported {} event{} from the file",
                done.imported,
                if done.imported == 1 { "" } else { "s" }
            );
            if done.replaced > 0 {
                text.push_str(&format!(
                    ", replacing {} from an earlier import",
                    done.replaced
                ));
            }
            text.push('.');
            for note in &done.notes {
                text.push(' ');
                text.push_str(note);
            }
            answer(
                &state,
                &actor,
                &ws,
                htmx,
                &q,
                Toast::ok(text),
                StatusCode::OK,
                |_| {},
            )
            .await
        }
        Err(AppError::Validation(fields) | AppError::TooLarge(fields)) => {
            let toast = Toast::error(format!("Nothing imported: {}.", field_words(&fields)));
            answer(&state, &actor, &ws, htmx, &q, toast, status, |_| {}).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `title is empty; start "x" is not a date`: each field's problems, as one sentence.
fn field_words(fields: &[crate::domain::FieldError]) -> String {
    fields
        .iter()
        .map(|f| {
            let message = f.message.trim_end_matches('.');
            if f.field == "file" && message.starts_with("is ") {
                format!("the file {message}")
            } else if f.field == "file" {
                // The reader's own sentence: "line 12: ..." or "this is not an iCalendar file".
                message.to_owned()
            } else {
                format!("{} {message}", f.field.replace('_', " "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(start: &str, end: &str, all_day: bool) -> CalendarEvent {
        let ms = |s: &str| {
            jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M", s)
                .unwrap()
                .to_zoned_datetime(TimeZone::UTC)
                .unwrap()
                .timestamp()
                .as_millisecond()
        };
        CalendarEvent {
            id: Uuid::nil(),
            workspace_id: Uuid::nil(),
            title: "Fair".into(),
            description: String::new(),
            starts_at_ms: ms(start),
            ends_at_ms: ms(end),
            all_day,
            source: "manual".into(),
            uid: None,
            created_by: None,
            created_at_ms: 0,
            updated_at_ms: 0,
            kind: "event".into(),
        }
    }

    #[test]
    fn events_cover_their_days_within_the_period() {
        let (first, end): (Date, Date) =
            ("2026-03-01".parse().unwrap(), "2026-04-01".parse().unwrap());
        let tz = TimeZone::UTC;
        let one = event("2026-03-10 00:00", "2026-03-11 00:00", true);
        assert_eq!(days_of(&one, &tz, first, end).len(), 1);
        assert_eq!(describe(&one, &tz), "10 Mar 2026");
        let three = event("2026-03-30 00:00", "2026-04-02 00:00", true);
        assert_eq!(
            days_of(&three, &tz, first, end).len(),
            2,
            "clipped to March"
        );
        assert_eq!(describe(&three, &tz), "30 Mar 2026 – 1 Apr 2026");
        let timed = event("2026-03-10 09:30", "2026-03-10 09:30", false);
        assert_eq!(days_of(&timed, &tz, first, end).len(), 1);
        assert_eq!(describe(&timed, &tz), "10 Mar 2026, 09:30");
    }
}
