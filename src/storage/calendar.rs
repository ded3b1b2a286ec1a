//! The content calendar: a workspace's variants with a time in a range, joined with their
//! posts and channels, filtered and ordered in one statement.

use uuid::Uuid;

use super::{Db, StoreError, with_pool};

/// What the calendar is narrowed to; `None` is "any".
#[derive(Clone, Debug, Default)]
pub struct CalendarFilter {
    pub channel_id: Option<Uuid>,
    pub network: Option<String>,
    /// A tag or a campaign.
    pub tag_id: Option<Uuid>,
    pub state: Option<String>,
    pub assignee_id: Option<Uuid>,
}

/// One variant on the calendar, with what its item shows.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CalendarRow {
    pub variant_id: Uuid,
    pub post_id: Uuid,
    pub channel_id: Uuid,
    pub state: String,
    pub scheduled_at_ms: i64,
    pub time_zone: String,
    pub local_time: String,
    pub published_at_ms: Option<i64>,
    pub remote_url: Option<String>,
    pub error: Option<String>,
    pub error_kind: Option<String>,
    pub retry_at_ms: Option<i64>,
    /// The first characters of the post's text (the variant's own when it has one).
    pub excerpt: String,
    pub promo_score: i64,
    pub assignee_id: Option<Uuid>,
    pub campaign_id: Option<Uuid>,
    pub network: String,
    pub handle: String,
    pub health: String,
    /// The variant has its own text (the excerpt is then the opening of its JSON parts).
    pub detached: bool,
}

impl CalendarRow {
    /// The excerpt as text, on one line, at most `max` characters.
    pub fn text(&self, max: usize) -> String {
        let raw = if self.detached {
            first_json_string(&self.excerpt)
        } else {
            self.excerpt.clone()
        };
        let flat = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if flat.chars().count() > max {
            let mut out: String = flat.chars().take(max).collect();
            out.push('…');
            out
        } else {
            flat
        }
    }
}

/// The first string of a JSON list of strings that may be cut short: `["a\nb", "c"` -> `a b`.
fn first_json_string(raw: &str) -> String {
    let Some(rest) = raw.trim_start().strip_prefix('[') else {
        return String::new();
    };
    let Some(rest) = rest.trim_start().strip_prefix('"') else {
        return String::new();
    };
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => match chars.next() {
                Some('n' | 'r' | 't') => out.push(' '),
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).collect();
                    if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        out.push(ch);
                    }
                }
                Some(other) => out.push(other),
                None => break,
            },
            c => out.push(c),
        }
    }
    out
}

/// The variants of `workspace` whose time is in `[from_ms, to_ms)`, earliest first, at most
/// `limit`. Cancelled ones only when `filter.state` asks for them.
pub async fn range(
    db: &Db,
    workspace: Uuid,
    from_ms: i64,
    to_ms: i64,
    filter: &CalendarFilter,
    limit: i64,
) -> Result<Vec<CalendarRow>, StoreError> {
    // A detached variant's parts are a JSON list: its excerpt is the list's opening, which
    // the page trims of its brackets and quotes; that keeps the JSON functions out of SQL.
    let sql = "SELECT v.id AS variant_id, v.post_id, v.channel_id, v.state, v.scheduled_at_ms,
            v.time_zone, v.local_time, v.published_at_ms, v.remote_url, v.error, v.error_kind,
            v.retry_at_ms,
            CASE WHEN v.detached THEN SUBSTR(CAST(v.parts AS TEXT), 1, 240) ELSE SUBSTR(p.text, 1, 200) END AS excerpt,
            p.promo_score, p.assignee_id, p.campaign_id, c.network, c.handle, c.health, v.detached
         FROM variants v
         JOIN posts p ON p.id = v.post_id
         JOIN channels c ON c.id = v.channel_id
         WHERE p.workspace_id = $1
           AND v.scheduled_at_ms >= $2 AND v.scheduled_at_ms < $3
           AND ($4 IS NULL OR v.channel_id = $4)
           AND ($5 IS NULL OR c.network = $5)
           AND ($6 IS NULL OR v.state = $6)
           AND ($6 IS NOT NULL OR v.state <> 'cancelled')
           AND ($7 IS NULL OR p.assignee_id = $7)
           AND ($8 IS NULL OR p.campaign_id = $8
                OR EXISTS (SELECT 1 FROM post_tags pt WHERE pt.post_id = p.id AND pt.tag_id = $8))
         ORDER BY v.scheduled_at_ms, c.handle, v.id
         LIMIT $9";
    Ok(with_pool!(db, |pool| sqlx::query_as(sql)
        .bind(workspace)
        .bind(from_ms)
        .bind(to_ms)
        .bind(filter.channel_id)
        .bind(filter.network.as_deref())
        .bind(filter.state.as_deref())
        .bind(filter.assignee_id)
        .bind(filter.tag_id)
        .bind(limit)
        .fetch_all(pool)
        .await)?)
}

#[cfg(test)]
mod tests {
    use super::first_json_string;

    #[test]
    fn detached_parts_read_as_text() {
        assert_eq!(
            first_json_string(r#"["Hello \"you\"\nthere", "two"]"#),
            "Hello \"you\" there"
        );
        assert_eq!(first_json_string(r#"["caf\u00e9 open"#), "café open");
        assert_eq!(first_json_string("nonsense"), "");
    }
}
