//! Importing posts from a CSV file: every row checked first, every problem reported as
//! (row, column, problem), and only a file without any problem is created, whole, in one
//! transaction (posts, their scheduled variants and publish jobs); then each post is told
//! to the webhooks (`post.created`), as a post written in the composer is.
//!
//! The format (README, "Importing posts"): UTF-8 (a byte-order mark is fine), a header row,
//! then one post per row. Columns, in any order and case:
//! - `text` (required): the post's text; quoted fields may span lines.
//! - `channels` (required): channel handles (`@acme` or `acme`, case-insensitive) or ids,
//!   separated by `|` or `;`.
//! - `time` (required): an RFC 3339 instant (`2026-03-29T09:30:00+02:00`, `...Z`), or a
//!   local date and time (`2026-03-29 09:30`) read in the row's `time_zone` or else the
//!   workspace's zone; or `queue`: each channel's next free posting slot, row after row in
//!   the file's order, clear of the file's own times (a channel without slots is refused).
//! - `time_zone` (optional): an IANA zone for a local `time`.
//! - `media` (optional): ids of items of the workspace's media library, separated by `|`
//!   or `;`.
//! - `tags` (optional): tag names (`#` optional), separated by `|` or `;`; new ones are
//!   created.

use std::collections::{HashMap, HashSet};

use sqlx::types::Json;
use uuid::Uuid;

use super::posts::check_options;
use super::{Actor, AppError, AppResult, Services};
use crate::domain::media::rules::{self as media_rules, MediaContext};
use crate::domain::post;
use crate::domain::post::credit::text_with_credit;
use crate::domain::promo;
use crate::domain::schedule::{self, LocalTimeError};
use crate::domain::text;
use crate::domain::{Permission, Validation};
use crate::jobs::Job;
use crate::storage::channels::{self, Channel};
use crate::storage::imports::{self, NewPost, ScheduledPost, ScheduledVariant};
use crate::storage::media::{self, Media};
use crate::storage::tags::{self, Tag};
use crate::storage::workspaces;

/// Larger files are refused before they are read. Room for 5,000 long posts, and for
/// files of up to about 100,000 rows as people write them, so that too many rows are
/// answered as such rather than as too many bytes.
pub const MAX_CSV_BYTES: usize = 32 * 1024 * 1024;
/// The most rows (posts) one file may have.
pub const MAX_CSV_ROWS: usize = 5_000;
const COLUMNS: [&str; 6] = ["text", "channels", "time", "time_zone", "media", "tags"];
const REQUIRED: [&str; 3] = ["text", "channels", "time"];
/// A time more than this far back is refused.
const PAST_SLACK_MS: i64 = 60_000;
const MAX_AHEAD_MS: i64 = 5 * 365 * 24 * 3_600_000;

/// One problem with an import: `row` is the data row (1 = the first row after the header;
/// `None` for the file or its header), `line` the line of the file where that row starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportProblem {
    pub row: Option<usize>,
    pub line: Option<u64>,
    pub column: Option<String>,
    pub problem: String,
}

/// What an import did, or why it did nothing.
#[derive(Clone, Debug)]
pub enum PostsImport {
    Created {
        post_ids: Vec<Uuid>,
        /// The earliest time a created post goes out (to show the import on the calendar).
        first_at_ms: Option<i64>,
    },
    Refused {
        problems: Vec<ImportProblem>,
    },
}

fn file_problem(column: Option<&str>, problem: impl Into<String>) -> PostsImport {
    PostsImport::Refused {
        problems: vec![ImportProblem {
            row: None,
            line: None,
            column: column.map(str::to_owned),
            problem: problem.into(),
        }],
    }
}

/// A row as read, before it is checked against the workspace.
struct Row {
    number: usize,
    line: u64,
    cells: HashMap<&'static str, String>,
}

/// A row that passed every check.
pub(super) struct Ready {
    pub number: usize,
    pub line: u64,
    text: String,
    pub channels: Vec<Uuid>,
    pub when: RowTime,
    media: Vec<Uuid>,
    tags: Vec<String>,
}

/// When a row's variants go out.
pub(super) enum RowTime {
    /// One time for every channel of the row.
    At(Timed),
    /// `queue`: placed on each channel's slots once every row is read, then `Placed`.
    Queue,
    /// Per channel (in the row's order), from the channels' queues.
    Placed(Vec<Timed>),
}

#[derive(Clone, Debug)]
pub(super) struct Timed {
    pub at_ms: i64,
    pub time_zone: String,
    pub local_time: String,
    pub queued: bool,
}

impl Services {
    /// Imports the posts of a CSV file, scheduled at their times, all or nothing (editors
    /// and above; not in workspaces that require approval, where posts are reviewed one by
    /// one).
    pub async fn import_posts_csv(
        &self,
        actor: &Actor,
        ws: Uuid,
        bytes: &[u8],
    ) -> AppResult<PostsImport> {
        let member = self
            .active_workspace_for(actor, ws, Permission::Schedule)
            .await?;
        if member.workspace.requires_approval {
            return Err(AppError::Conflict(
                "This workspace publishes approved posts only, so imported posts cannot be scheduled; \
                 write them in the composer and send them for review."
                    .into(),
            ));
        }
        let rows = match read_rows(bytes) {
            Ok(rows) => rows,
            Err(refused) => return Ok(refused),
        };
        let settings = workspaces::by_id(&self.db, ws).await?.settings();
        let channels = channels::list(&self.db, ws).await?;
        let media_ids: HashSet<Uuid> = rows
            .iter()
            .filter_map(|r| r.cells.get("media"))
            .flat_map(|m| split_list(m))
            .filter_map(|m| m.parse().ok())
            .collect();
        let media: HashMap<Uuid, Media> =
            media::get_many(&self.db, ws, &media_ids.into_iter().collect::<Vec<_>>())
                .await?
                .into_iter()
                .map(|m| (m.id, m))
                .collect();
        let now = self.now_ms();
        let ctx = RowContext {
            channels: &channels,
            media: &media,
            workspace_zone: &member.workspace.time_zone,
            require_alt_text: settings.require_alt_text,
            now,
        };
        let mut problems = Vec::new();
        let mut ready = Vec::with_capacity(rows.len());
        for row in &rows {
            match ctx.check(row) {
                Ok(r) => ready.push(r),
                Err(mut p) => problems.append(&mut p),
            }
        }
        // Queued rows only once every row is read: they keep clear of the file's own times.
        self.place_queued_rows(&member.workspace, &channels, &mut ready, &mut problems)
            .await?;
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.row);
            return Ok(PostsImport::Refused { problems });
        }
        let existing_tags = tags::list(&self.db, ws).await?;
        let mut new_tags: Vec<Tag> = Vec::new();
        for name in ready.iter().flat_map(|r| r.tags.iter()) {
            let key = name.to_lowercase();
            if new_tags.iter().any(|t| t.name.to_lowercase() == key) {
                continue;
            }
            let existing = existing_tags
                .iter()
                .find(|t| t.kind == "tag" && t.name.to_lowercase() == key);
            new_tags.push(Tag {
                id: existing.map_or_else(Uuid::now_v7, |t| t.id),
                workspace_id: ws,
                kind: "tag".into(),
                name: existing.map_or_else(|| name.clone(), |t| t.name.clone()),
                color: existing.map_or_else(
                    || super::tags::palette_color(existing_tags.len() + new_tags.len()).to_owned(),
                    |t| t.color.clone(),
                ),
                created_at_ms: now,
            });
        }
        let by_id: HashMap<Uuid, &Channel> = channels.iter().map(|c| (c.id, c)).collect();
        let mut posts = Vec::with_capacity(ready.len());
        for r in ready {
            let post = NewPost {
                id: Uuid::now_v7(),
                workspace_id: ws,
                author_id: actor.user.id,
                text: r.text.clone(),
                promo_score: i64::from(promo::assess(&r.text, &settings.brand).score),
                created_at_ms: now,
            };
            let mut variants = Vec::new();
            let mut jobs = Vec::new();
            for (i, channel) in r.channels.iter().enumerate() {
                let network = by_id[channel].network;
                let timed = match &r.when {
                    RowTime::At(t) => t,
                    RowTime::Placed(per_channel) => &per_channel[i],
                    RowTime::Queue => {
                        return Err(AppError::Internal(anyhow::anyhow!(
                            "row {} was not placed in its queues",
                            r.number
                        )));
                    }
                };
                let variant = scheduled_variant(*channel, network, &r.text, timed);
                jobs.push(
                    Job::PublishVariant {
                        variant_id: variant.id,
                    }
                    .row(timed.at_ms, now),
                );
                variants.push(variant);
            }
            posts.push(ScheduledPost {
                post,
                variants,
                jobs,
                tag_keys: r.tags.iter().map(|t| t.to_lowercase()).collect(),
                media_ids: r.media,
            });
        }
        imports::create_scheduled(&self.db, &new_tags, &posts).await?;
        self.wake_workers().await;
        // Told once the posts are committed, like a post's first save in the composer: a
        // webhook hearing of a post then finds it. A workspace without such a webhook (an
        // import has up to MAX_CSV_ROWS posts) is not walked through post by post.
        let event = "post.created";
        if !matches!(self.webhooks_hear(ws, event).await, Ok(false)) {
            for p in &posts {
                let created = super::Event::PostCreated { post_id: p.post.id };
                self.notify(ws, created).await;
            }
        }
        Ok(PostsImport::Created {
            post_ids: posts.iter().map(|p| p.post.id).collect(),
            first_at_ms: posts
                .iter()
                .flat_map(|p| p.variants.iter().map(|v| v.scheduled_at_ms))
                .min(),
        })
    }
}

fn scheduled_variant(
    channel: Uuid,
    network: text::Network,
    text: &str,
    t: &Timed,
) -> ScheduledVariant {
    ScheduledVariant {
        id: Uuid::now_v7(),
        channel_id: channel,
        parts: Json(vec![text_with_credit(text, None, network)]),
        scheduled_at_ms: t.at_ms,
        time_zone: t.time_zone.clone(),
        local_time: t.local_time.clone(),
        queued: t.queued,
    }
}

/// `a|b;c` as a list, blanks dropped.
fn split_list(raw: &str) -> impl Iterator<Item = &str> {
    raw.split(['|', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The file's rows, or why the file as a whole is refused (encoding, size, header).
fn read_rows(bytes: &[u8]) -> Result<Vec<Row>, PostsImport> {
    if bytes.len() > MAX_CSV_BYTES {
        return Err(file_problem(
            None,
            format!(
                "the file is larger than {} MB, the most one import takes; split it into smaller files",
                MAX_CSV_BYTES / (1024 * 1024)
            ),
        ));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(file_problem(
            None,
            "the file is UTF-16, not UTF-8: save the file as UTF-8 (\"CSV UTF-8\")",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
        return Err(file_problem(
            None,
            format!("not UTF-8 (line {line} has a byte that is not): save the file as UTF-8"),
        ));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(file_problem(
            None,
            format!(
                "the file is empty: the first row names the columns ({})",
                COLUMNS.join(", ")
            ),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(file_problem(
                None,
                format!("the header row cannot be read: {e}"),
            ));
        }
    };
    let mut problems = Vec::new();
    let mut index: Vec<Option<&'static str>> = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let key = name.trim().to_lowercase();
        match COLUMNS.iter().find(|c| **c == key) {
            Some(c) if index.contains(&Some(*c)) => {
                problems.push(header_problem(name, format!("column {c:?} appears twice")));
                index.push(None);
            }
            Some(c) => index.push(Some(*c)),
            None if key.is_empty() && i + 1 == header.len() => index.push(None),
            None => {
                problems.push(header_problem(
                    name,
                    format!(
                        "unknown column {name:?}; the columns are {}",
                        COLUMNS.join(", ")
                    ),
                ));
                index.push(None);
            }
        }
    }
    for required in REQUIRED {
        if !index.contains(&Some(required)) {
            problems.push(header_problem(
                required,
                format!("the required column {required:?} is missing"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(PostsImport::Refused { problems });
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let number = i + 1;
        if number > MAX_CSV_ROWS {
            return Err(file_problem(
                None,
                format!(
                    "the file has more than {MAX_CSV_ROWS} rows, the most one import takes; split it into smaller files"
                ),
            ));
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line());
                problems.push(ImportProblem {
                    row: Some(number),
                    line,
                    column: None,
                    problem: format!("cannot be read as CSV: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() > index.len() {
            problems.push(ImportProblem {
                row: Some(number),
                line: Some(line),
                column: None,
                problem: format!(
                    "has {} cells but the header names {} columns",
                    record.len(),
                    index.len()
                ),
            });
            continue;
        }
        let cells = index
            .iter()
            .zip(record.iter())
            .filter_map(|(col, cell)| col.map(|c| (c, cell.to_owned())))
            .collect();
        rows.push(Row {
            number,
            line,
            cells,
        });
    }
    if !problems.is_empty() {
        return Err(PostsImport::Refused { problems });
    }
    if rows.is_empty() {
        return Err(file_problem(None, "the file has a header but no rows"));
    }
    Ok(rows)
}

fn header_problem(column: &str, problem: String) -> ImportProblem {
    ImportProblem {
        row: None,
        line: Some(1),
        column: Some(column.to_owned()),
        problem,
    }
}

/// What checking a row needs from the workspace.
struct RowContext<'a> {
    channels: &'a [Channel],
    media: &'a HashMap<Uuid, Media>,
    workspace_zone: &'a str,
    require_alt_text: bool,
    now: i64,
}

impl RowContext<'_> {
    fn check(&self, row: &Row) -> Result<Ready, Vec<ImportProblem>> {
        let mut problems = Vec::new();
        let mut add = |column: &str, problem: String| {
            problems.push(ImportProblem {
                row: Some(row.number),
                line: Some(row.line),
                column: Some(column.to_owned()),
                problem,
            })
        };
        let cell = |c: &str| row.cells.get(c).map(String::as_str).unwrap_or("");

        let mut v = Validation::new();
        let text = post::clean_post_text(&mut v, "text", cell("text"));
        if let Err(errors) = v.finish() {
            for e in errors {
                add("text", e.message);
            }
        } else if text.is_empty() {
            add("text", "is empty: every row needs the post's text".into());
        }

        let mut chosen: Vec<&Channel> = Vec::new();
        for name in split_list(cell("channels")) {
            match self.channel(name) {
                Ok(c) if chosen.iter().any(|x| x.id == c.id) => {
                    add("channels", format!("{name:?} is named twice"));
                }
                Ok(c) => {
                    if c.credentials.is_none() {
                        add(
                            "channels",
                            format!(
                                "{} ({}) is not connected; reconnect it first",
                                c.handle,
                                c.network.label()
                            ),
                        );
                    }
                    chosen.push(c);
                }
                Err(p) => add("channels", p),
            }
        }
        if chosen.is_empty() && cell("channels").trim().is_empty() {
            add(
                "channels",
                "is empty: name at least one channel (handles or ids, separated by | or ;)".into(),
            );
        }

        let zone_cell = cell("time_zone").trim();
        let zone = if zone_cell.is_empty() {
            self.workspace_zone.to_owned()
        } else {
            match schedule::time_zone(zone_cell) {
                Ok(z) => z.iana_name().unwrap_or(zone_cell).to_owned(),
                Err(e) => {
                    add("time_zone", e.to_string());
                    String::new()
                }
            }
        };
        let time = cell("time").trim();
        let mut at = None;
        let mut local_time = String::new();
        let queue = time.eq_ignore_ascii_case("queue");
        if queue {
            // Placed on the channels' slots once every row is read.
        } else if time.is_empty() {
            add(
                "time",
                "is empty: give a date and time such as 2026-03-29 09:30 or 2026-03-29T09:30:00Z"
                    .into(),
            );
        } else if time.len() > 64 {
            add("time", "is not a date and time".into());
        } else if let Ok(ms) = schedule::parse_instant(time) {
            at = Some(ms);
        } else if !zone.is_empty() {
            match schedule::resolve_local(time, &zone, None) {
                Ok(ms) => {
                    at = Some(ms);
                    local_time = time.to_owned();
                }
                Err(e @ LocalTimeError::Repeated(_)) => add(
                    "time",
                    format!("{e}; add the offset to say which, e.g. {time}+01:00"),
                ),
                Err(e) => add("time", e.to_string()),
            }
        }
        if let Some(ms) = at {
            if ms < self.now - PAST_SLACK_MS {
                add("time", format!("{time} is in the past"));
                at = None;
            } else if ms > self.now + MAX_AHEAD_MS {
                add("time", format!("{time} is more than five years ahead"));
                at = None;
            }
        }

        let mut media_ids = Vec::new();
        for raw in split_list(cell("media")) {
            match raw
                .parse::<Uuid>()
                .ok()
                .filter(|id| self.media.contains_key(id))
            {
                Some(id) if media_ids.contains(&id) => {
                    add("media", format!("{raw} is named twice"))
                }
                Some(id) => media_ids.push(id),
                None => add(
                    "media",
                    format!("{raw:?} is not an item of this workspace's media library"),
                ),
            }
        }
        if media_ids.len() > super::posts::MAX_MEDIA_PER_POST {
            add(
                "media",
                format!(
                    "at most {} pictures or videos per post",
                    super::posts::MAX_MEDIA_PER_POST
                ),
            );
        }

        let mut tags = Vec::new();
        for raw in split_list(cell("tags")) {
            let mut v = Validation::new();
            let name = crate::domain::validation::clean_name(
                &mut v,
                "tags",
                raw.trim_start_matches('#'),
                60,
            );
            match v.finish() {
                Err(errors) => {
                    for e in errors {
                        add("tags", format!("{raw:?} {}", e.message));
                    }
                }
                Ok(()) if !tags.iter().any(|t: &String| t.eq_ignore_ascii_case(&name)) => {
                    tags.push(name)
                }
                Ok(()) => {}
            }
        }

        // What each network would refuse, as scheduling from the composer checks it.
        if !text.is_empty() {
            let facts: Vec<_> = media_ids.iter().map(|id| self.media[id].facts()).collect();
            for c in &chosen {
                let check = text::check(c.network, &text, &check_options(c, None));
                if let Some(p) = check.problems.first() {
                    add(
                        "text",
                        format!("{} ({}): {}", c.handle, c.network.label(), p.message),
                    );
                }
                let context = MediaContext {
                    instagram_format: None,
                    facebook_format: None,
                    require_alt_text: self.require_alt_text,
                    mastodon: None,
                };
                let problem = media_rules::check(c.network, &facts, &context)
                    .into_iter()
                    .find(|p| {
                        let cropped = p.index.and_then(|i| media_ids.get(i)).is_some_and(|id| {
                            super::media::crop_for(&self.media[id], c.network).is_some()
                        });
                        !(p.code == "aspect_ratio_out_of_range" && cropped)
                    });
                if let Some(p) = problem {
                    add(
                        "media",
                        format!("{} ({}): {}", c.handle, c.network.label(), p.message),
                    );
                }
            }
        }

        let when = match at {
            Some(at_ms) => RowTime::At(Timed {
                at_ms,
                time_zone: zone,
                local_time,
                queued: false,
            }),
            None if queue => RowTime::Queue,
            None => return Err(problems),
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Ready {
            number: row.number,
            line: row.line,
            text,
            channels: chosen.iter().map(|c| c.id).collect(),
            when,
            media: media_ids,
            tags,
        })
    }

    /// A channel by id or handle (`@` optional, case-insensitive).
    fn channel(&self, name: &str) -> Result<&Channel, String> {
        if let Ok(id) = name.parse::<Uuid>() {
            return self
                .channels
                .iter()
                .find(|c| c.id == id)
                .ok_or_else(|| format!("{name} is not a channel of this workspace"));
        }
        let key = name.trim_start_matches('@').to_lowercase();
        let found: Vec<&Channel> = self
            .channels
            .iter()
            .filter(|c| c.handle.trim_start_matches('@').to_lowercase() == key)
            .collect();
        match found.as_slice() {
            [one] => Ok(one),
            [] => Err(format!("{name:?} is not a channel of this workspace")),
            many => Err(format!(
                "{name:?} names {} channels ({}); use the channel's id",
                many.len(),
                many.iter()
                    .map(|c| c.network.label())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}
