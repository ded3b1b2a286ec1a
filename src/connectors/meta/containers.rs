//! Instagram and Threads publish in two steps: a media container Meta prepares (it fetches
//! the files itself), then a publish call naming it. A container is polled until it is
//! FINISHED (<https://developers.facebook.com/docs/instagram-platform/content-publishing/#troubleshooting>,
//! <https://developers.facebook.com/documentation/threads/troubleshooting>): ERROR and EXPIRED
//! are final, IN_PROGRESS keeps polling within a limit. Both networks also count posts per
//! 24 hours, checked before anything is made.

use std::time::Duration;

use serde::Deserialize;
use url::Url;

use super::errors::{self, MEDIA_NOT_READY};
use super::graph::Graph;
use super::wire::{Id, Paged};
use crate::connectors::error::{ConnectorError, ConnectorResult};
use crate::connectors::http::Kind;

/// How a container is polled: a check right away, then pauses doubling from `first_pause`
/// up to `max_pause`, `checks` checks in all. The default waits about five minutes, Meta's
/// advice for videos (Threads: "no more than 5 minutes").
#[derive(Clone, Copy, Debug)]
pub struct Polling {
    pub first_pause: Duration,
    pub max_pause: Duration,
    pub checks: u32,
}

impl Default for Polling {
    fn default() -> Self {
        Polling {
            first_pause: Duration::from_secs(3),
            max_pause: Duration::from_secs(60),
            checks: 10,
        }
    }
}

impl Polling {
    /// The pause before check number `check` (0 = none).
    fn pause(&self, check: u32) -> Duration {
        if check == 0 {
            return Duration::ZERO;
        }
        let doubled = self
            .first_pause
            .saturating_mul(2u32.saturating_pow(check.saturating_sub(1).min(16)));
        doubled.min(self.max_pause)
    }
}

/// Which network's status fields: Instagram's `status_code` (with `status` as words), or
/// Threads' `status` (with `error_message`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Instagram,
    Threads,
}

#[derive(Deserialize)]
struct Status {
    status_code: Option<String>,
    status: Option<String>,
    error_message: Option<String>,
}

/// Polls a container until it is ready to publish.
pub async fn wait_until_finished(
    graph: &Graph,
    base: &Url,
    token: &str,
    container: &str,
    flavour: Flavour,
    polling: Polling,
) -> ConnectorResult<()> {
    let fields = match flavour {
        Flavour::Instagram => "status_code,status",
        Flavour::Threads => "status,error_message",
    };
    let path = format!("/{}", super::encode(container));
    for check in 0..polling.checks.max(1) {
        tokio::time::sleep(polling.pause(check)).await;
        let status: Status = graph
            .call(
                graph.get(base, &path, token, &[("fields", fields)]),
                Kind::Read,
            )
            .await?;
        let (code, words) = match flavour {
            Flavour::Instagram => (status.status_code, status.status),
            Flavour::Threads => (status.status, status.error_message),
        };
        match code.as_deref() {
            Some("FINISHED") => return Ok(()),
            Some("ERROR") => {
                return Err(ConnectorError::rejected(
                    words.unwrap_or_else(|| "the network could not process the media".into()),
                    Some("container_error".into()),
                ));
            }
            Some("EXPIRED") => {
                return Err(ConnectorError::rejected(
                    "the network let the prepared media expire before it was published",
                    Some("container_expired".into()),
                ));
            }
            Some("PUBLISHED") => {
                return Err(ConnectorError::rejected(
                    "this prepared media was already published",
                    Some("container_published".into()),
                ));
            }
            // IN_PROGRESS, or a state Meta adds later: keep waiting.
            _ => {}
        }
    }
    Err(ConnectorError::transient(format!(
        "the network is still processing the media after {} checks",
        polling.checks
    )))
}

/// Publishes a finished container (`media_publish`, `threads_publish`). "Media ID is not
/// available" (9007) means Meta was not quite ready despite FINISHED: nothing was published,
/// so the call is repeated after a pause.
pub async fn publish(
    graph: &Graph,
    base: &Url,
    path: &str,
    token: &str,
    container: &str,
    polling: Polling,
) -> ConnectorResult<String> {
    let form = [("creation_id", container.to_owned())];
    let mut check = 0;
    loop {
        let answer = graph
            .answer(graph.post(base, path, token, &form), Kind::Write)
            .await?;
        let not_ready = errors::graph_error(&answer).and_then(|e| e.code) == Some(MEDIA_NOT_READY);
        if not_ready && check + 1 < polling.checks {
            check += 1;
            tokio::time::sleep(polling.pause(check)).await;
            continue;
        }
        if let Some(error) = graph.failure(&answer) {
            return Err(error);
        }
        return answer.json::<Id>().map(|id| id.id);
    }
}

#[derive(Deserialize)]
struct Permalink {
    permalink: Option<String>,
}

/// Where people see a post just published. Its failure must not fail a publish that
/// happened, so any error is only logged.
pub async fn permalink(graph: &Graph, base: &Url, token: &str, id: &str) -> Option<String> {
    let request = graph.get(
        base,
        &format!("/{}", super::encode(id)),
        token,
        &[("fields", "permalink")],
    );
    match graph.call::<Permalink>(request, Kind::Read).await {
        Ok(p) => p.permalink,
        Err(e) => {
            tracing::warn!(error = %e, "the permalink of a published post could not be read");
            None
        }
    }
}

/// `content_publishing_limit` (Instagram) and `threads_publishing_limit` (Threads).
#[derive(Debug, Default, Deserialize)]
pub struct Limit {
    pub quota_usage: Option<i64>,
    pub config: Option<Quota>,
    pub reply_quota_usage: Option<i64>,
    pub reply_config: Option<Quota>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Quota {
    pub quota_total: Option<i64>,
}

/// How long Herald waits when a 24-hour quota is used up. The window rolls, and Meta does not
/// say when its oldest post ages out, so Herald looks again in an hour.
const QUOTA_PAUSE_MS: i64 = 60 * 60_000;

/// Refuses (as `RateLimited`) when `posts` more posts or `replies` more replies would go over
/// the quota.
pub fn check_quota(
    limits: &Paged<Limit>,
    posts: i64,
    replies: i64,
    now_ms: i64,
) -> ConnectorResult<()> {
    let Some(limit) = limits.data.first() else {
        return Ok(());
    };
    let over = |used: Option<i64>, quota: &Option<Quota>, wanted: i64| {
        let total = quota.as_ref().and_then(|q| q.quota_total);
        matches!((used, total), (Some(used), Some(total)) if wanted > 0 && used + wanted > total)
    };
    if over(limit.quota_usage, &limit.config, posts)
        || over(limit.reply_quota_usage, &limit.reply_config, replies)
    {
        return Err(ConnectorError::RateLimited {
            retry_at_ms: Some(now_ms + QUOTA_PAUSE_MS),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_up_to_the_ceiling() {
        let p = Polling::default();
        let pauses: Vec<u64> = (0..6).map(|c| p.pause(c).as_secs()).collect();
        assert_eq!(pauses, [0, 3, 6, 12, 24, 48]);
        assert_eq!(p.pause(9).as_secs(), 60);
    }

    #[test]
    fn quotas_count_what_is_about_to_go() {
        let limits: Paged<Limit> = serde_json::from_str(
            r#"{"data":[{"quota_usage":24,"config":{"quota_total":25},"reply_quota_usage":1000,"reply_config":{"quota_total":1000}}]}"#,
        )
        .unwrap();
        assert!(check_quota(&limits, 1, 0, 0).is_ok());
        assert_eq!(
            check_quota(&limits, 2, 0, 0),
            Err(ConnectorError::RateLimited {
                retry_at_ms: Some(QUOTA_PAUSE_MS)
            })
        );
        assert!(check_quota(&limits, 1, 1, 0).is_err());
    }
}
