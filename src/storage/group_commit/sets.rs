//! A batch of the engine's writes applied as a few set-based statements: one per kind of
//! row changed, whatever the batch's size. Applying the writes one statement each kept the
//! batch's transaction open for thousands of round trips to SQLite's connection thread,
//! each a thread wake-up, and every post waited behind them (BENCHMARKS.md, "Publishing
//! engine"). Each statement carries every write's own guard (`WHERE` on the state it
//! expects) and returns the ids it changed, so each write still learns whether it applied.
//!
//! The rows come in as a `VALUES` list named by a CTE and joined with `UPDATE ... FROM`
//! (SQLite 3.33+, PostgreSQL); PostgreSQL needs the list's types spelt out.

use std::collections::HashSet;

use sqlx::AssertSqlSafe;
use uuid::Uuid;

use super::Write;
use crate::storage::jobs::{Finish, queue_job};
use crate::storage::publishing::Concluded;
use crate::storage::{Db, StoreError, with_tx};

/// `($1::uuid, $2::bigint), ($3::uuid, $4::bigint)` for two rows of (uuid, bigint) on
/// PostgreSQL; SQLite gets the same without the casts.
fn tuples(rows: usize, types: &[&str], pg: bool) -> String {
    let mut n = 0;
    let mut out = String::new();
    for row in 0..rows {
        out.push_str(if row == 0 { "(" } else { ", (" });
        for (i, t) in types.iter().enumerate() {
            n += 1;
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&format!("${n}"));
            if pg {
                out.push_str(&format!("::{t}"));
            }
        }
        out.push(')');
    }
    out
}

/// Every variant, attempt and job a batch touches must be touched once: two writes on one
/// row in one statement would not see each other (the caller then applies them in turn).
fn distinct_keys(writes: &[&Write]) -> bool {
    let mut variants = HashSet::new();
    let mut attempts = HashSet::new();
    let mut jobs = HashSet::new();
    writes.iter().all(|w| match w {
        Write::Begin { attempt, .. } => variants.insert(attempt.variant_id),
        Write::Settle {
            attempt_id,
            conclude,
            ..
        } => {
            attempts.insert(*attempt_id)
                && conclude
                    .as_ref()
                    .is_none_or(|(variant, _)| variants.insert(*variant))
        }
        Write::Conclude { variant_id, .. } => variants.insert(*variant_id),
        Write::Notify { .. } => true,
        Write::Finish { job_id, .. } => jobs.insert(*job_id),
    })
}

/// Applies `writes` in one transaction, a few statements in all; `None` when two of them
/// touch the same row (apply those one by one).
pub(super) async fn apply(db: &Db, writes: &[&Write]) -> Result<Option<Vec<bool>>, StoreError> {
    if !distinct_keys(writes) {
        return Ok(None);
    }
    let pg = matches!(db, Db::Postgres(_));
    let mut applied = vec![false; writes.len()];
    let begins: Vec<usize> = kind(writes, |w| matches!(w, Write::Begin { .. }));
    let settles: Vec<usize> = kind(writes, |w| matches!(w, Write::Settle { .. }));
    let finishes: Vec<usize> = kind(writes, |w| matches!(w, Write::Finish { .. }));
    with_tx!(db, |tx| {
        async {
            if !begins.is_empty() {
                let sql = begin_sql(begins.len(), pg);
                let mut q = sqlx::query_scalar::<_, Uuid>(AssertSqlSafe(sql)).persistent(false);
                for w in pick(writes, &begins) {
                    if let Write::Begin { attempt, take } = w {
                        q = q
                            .bind(attempt.variant_id)
                            .bind(attempt.number)
                            .bind(attempt.started_at_ms)
                            .bind(*take);
                    }
                }
                let counted: HashSet<Uuid> = q.fetch_all(&mut *tx).await?.into_iter().collect();
                let mut written = Vec::new();
                for &i in &begins {
                    if let Write::Begin { attempt, .. } = writes[i]
                        && counted.contains(&attempt.variant_id)
                    {
                        applied[i] = true;
                        written.push(attempt);
                    }
                }
                if !written.is_empty() {
                    let sql = format!(
                        "INSERT INTO attempts (id, variant_id, number, state, worker,
                             started_at_ms, published) VALUES {}",
                        tuples(
                            written.len(),
                            &["uuid", "uuid", "bigint", "text", "text", "bigint", "text"],
                            pg
                        )
                    );
                    let mut q = sqlx::query(AssertSqlSafe(sql)).persistent(false);
                    for a in written {
                        q = q
                            .bind(a.id)
                            .bind(a.variant_id)
                            .bind(a.number)
                            .bind("sending")
                            .bind(&a.worker)
                            .bind(a.started_at_ms)
                            .bind(&a.published);
                    }
                    q.execute(&mut *tx).await?;
                }
            }
            let mut settled = HashSet::new();
            if !settles.is_empty() {
                let sql = settle_sql(settles.len(), pg);
                let mut q = sqlx::query_scalar::<_, Uuid>(AssertSqlSafe(sql)).persistent(false);
                for w in pick(writes, &settles) {
                    if let Write::Settle {
                        attempt_id,
                        from,
                        settled: s,
                        ..
                    } = w
                    {
                        q = q
                            .bind(*attempt_id)
                            .bind(*from)
                            .bind(s.state)
                            .bind(&s.error_kind)
                            .bind(&s.error)
                            .bind(&s.published)
                            .bind(&s.raw_answer)
                            .bind(s.at_ms);
                    }
                }
                settled = q.fetch_all(&mut *tx).await?.into_iter().collect();
            }
            // The variants to conclude: those of the attempts just settled, and the
            // conclusions written alone.
            let mut conclusions: Vec<(usize, Uuid, Concluded, i64)> = Vec::new();
            for (i, w) in writes.iter().enumerate() {
                match w {
                    Write::Settle {
                        attempt_id,
                        settled: s,
                        conclude,
                        ..
                    } if settled.contains(attempt_id) => match conclude {
                        Some((variant, outcome)) => conclusions.push((
                            i,
                            *variant,
                            Concluded::of(outcome, s.at_ms),
                            s.at_ms,
                        )),
                        None => applied[i] = true,
                    },
                    Write::Conclude {
                        variant_id,
                        outcome,
                        now_ms,
                    } => {
                        conclusions.push((i, *variant_id, Concluded::of(outcome, *now_ms), *now_ms))
                    }
                    _ => {}
                }
            }
            if !conclusions.is_empty() {
                let sql = conclude_sql(conclusions.len(), pg);
                let mut q = sqlx::query_scalar::<_, Uuid>(AssertSqlSafe(sql)).persistent(false);
                for (_, variant, c, now) in &conclusions {
                    q = q
                        .bind(*variant)
                        .bind(c.state.as_str())
                        .bind(&c.remote_id)
                        .bind(&c.remote_url)
                        .bind(c.published_at_ms)
                        .bind(c.retry_at_ms)
                        .bind(&c.kind)
                        .bind(&c.error)
                        .bind(*now);
                }
                let done: HashSet<Uuid> = q.fetch_all(&mut *tx).await?.into_iter().collect();
                for (i, variant, _, _) in &conclusions {
                    applied[*i] = done.contains(variant);
                }
            }
            let notifications: Vec<_> = writes
                .iter()
                .filter_map(|w| match w {
                    Write::Notify { rows, .. } => Some(rows.iter()),
                    _ => None,
                })
                .flatten()
                .collect();
            if !notifications.is_empty() {
                let sql = format!(
                    "INSERT INTO notifications (id, user_id, workspace_id, kind, title, body,
                         link, created_at_ms) VALUES {}",
                    tuples(
                        notifications.len(),
                        &[
                            "uuid", "uuid", "uuid", "text", "text", "text", "text", "bigint"
                        ],
                        pg
                    )
                );
                let mut q = sqlx::query(AssertSqlSafe(sql)).persistent(false);
                for n in notifications {
                    q = q
                        .bind(n.id)
                        .bind(n.user_id)
                        .bind(n.workspace_id)
                        .bind(&n.kind)
                        .bind(&n.title)
                        .bind(&n.body)
                        .bind(&n.link)
                        .bind(n.created_at_ms);
                }
                q.execute(&mut *tx).await?;
            }
            for (i, w) in writes.iter().enumerate() {
                if let Write::Notify { jobs, .. } = w {
                    for job in jobs {
                        queue_job!(tx, job);
                    }
                    applied[i] = true;
                }
            }
            if !finishes.is_empty() {
                let sql = finish_sql(finishes.len(), pg);
                let mut q = sqlx::query_scalar::<_, Uuid>(AssertSqlSafe(sql)).persistent(false);
                for w in pick(writes, &finishes) {
                    if let Write::Finish {
                        job_id,
                        worker,
                        finish,
                        now_ms,
                    } = w
                    {
                        let (state, run_at, error) = finish_columns(finish);
                        q = q
                            .bind(*job_id)
                            .bind(worker.as_str())
                            .bind(state)
                            .bind(run_at)
                            .bind(error)
                            .bind(*now_ms);
                    }
                }
                let done: HashSet<Uuid> = q.fetch_all(&mut *tx).await?.into_iter().collect();
                for &i in &finishes {
                    if let Write::Finish { job_id, .. } = writes[i] {
                        applied[i] = done.contains(job_id);
                    }
                }
            }
            Ok::<_, StoreError>(Some(applied))
        }
        .await
    })
}

fn kind(writes: &[&Write], is: impl Fn(&Write) -> bool) -> Vec<usize> {
    (0..writes.len()).filter(|&i| is(writes[i])).collect()
}

fn pick<'a>(writes: &'a [&'a Write], at: &'a [usize]) -> impl Iterator<Item = &'a Write> + 'a {
    at.iter().map(|&i| writes[i])
}

/// The job's state, next run and error after `finish`.
pub(super) fn finish_columns(finish: &Finish) -> (&'static str, Option<i64>, Option<String>) {
    match finish {
        Finish::Done => ("done", None, None),
        Finish::RunAt { at_ms, error } => ("queued", Some(*at_ms), error.clone()),
        Finish::Failed { error } => ("failed", None, Some(error.clone())),
    }
}

fn begin_sql(rows: usize, pg: bool) -> String {
    format!(
        "WITH b (b_id, b_number, b_at, b_take) AS (VALUES {})
         UPDATE variants SET state = 'publishing', attempt_count = b_number,
             tries = tries + 1, retry_at_ms = NULL,
             first_attempt_ms = COALESCE(first_attempt_ms, b_at), updated_at_ms = b_at
         FROM b
         WHERE id = b_id AND attempt_count = b_number - 1
           AND (state = 'publishing'
                OR (b_take AND state = 'scheduled' AND scheduled_at_ms <= b_at))
         RETURNING id",
        tuples(rows, &["uuid", "bigint", "bigint", "boolean"], pg)
    )
}

fn settle_sql(rows: usize, pg: bool) -> String {
    format!(
        "WITH s (s_id, s_from, s_state, s_kind, s_error, s_published, s_raw, s_at)
             AS (VALUES {})
         UPDATE attempts SET state = s_state, error_kind = s_kind, error = s_error,
             published = s_published,
             raw_answer = CASE WHEN s_raw = '' THEN raw_answer ELSE s_raw END,
             finished_at_ms = s_at
         FROM s
         WHERE id = s_id AND state = s_from
         RETURNING id",
        tuples(
            rows,
            &[
                "uuid", "text", "text", "text", "text", "text", "text", "bigint"
            ],
            pg
        )
    )
}

fn conclude_sql(rows: usize, pg: bool) -> String {
    format!(
        "WITH c (c_id, c_state, c_remote_id, c_remote_url, c_published_at, c_retry_at,
                 c_kind, c_error, c_now) AS (VALUES {})
         UPDATE variants SET state = c_state, remote_id = COALESCE(c_remote_id, remote_id),
             remote_url = COALESCE(c_remote_url, remote_url), published_at_ms = c_published_at,
             retry_at_ms = c_retry_at, error_kind = c_kind, error = c_error,
             sequence = sequence + 1, updated_at_ms = c_now
         FROM c
         WHERE id = c_id AND state = 'publishing'
         RETURNING id",
        tuples(
            rows,
            &[
                "uuid", "text", "text", "text", "bigint", "bigint", "text", "text", "bigint",
            ],
            pg
        )
    )
}

fn finish_sql(rows: usize, pg: bool) -> String {
    format!(
        "WITH f (f_id, f_worker, f_state, f_run_at, f_error, f_now) AS (VALUES {})
         UPDATE jobs SET state = f_state, run_at_ms = COALESCE(f_run_at, run_at_ms),
             last_error = f_error, locked_by = NULL, locked_until_ms = NULL,
             updated_at_ms = f_now
         FROM f
         WHERE id = f_id AND locked_by = f_worker AND state = 'running'
         RETURNING id",
        tuples(
            rows,
            &["uuid", "text", "text", "bigint", "text", "bigint"],
            pg
        )
    )
}

#[cfg(test)]
mod tests {
    use super::tuples;

    #[test]
    fn tuples_number_every_placeholder_and_cast_only_on_postgres() {
        assert_eq!(
            tuples(2, &["uuid", "bigint"], true),
            "($1::uuid, $2::bigint), ($3::uuid, $4::bigint)"
        );
        assert_eq!(tuples(1, &["uuid", "bigint"], false), "($1, $2)");
    }
}
