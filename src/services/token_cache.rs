//! A short-lived memory of recently authenticated API tokens.
//!
//! Authenticating a bearer token is one indexed query, but on SQLite each query is a hop to
//! sqlx's connection thread and back; for a script making many calls that hop doubles the cost
//! of a cheap read. Entries live `TTL_MS`, so a token revoked on this instance stops at once
//! (the entry is dropped) and one revoked through another instance stops within `TTL_MS`.

use std::collections::HashMap;
use std::sync::Mutex;

use uuid::Uuid;

use super::Actor;

pub const TTL_MS: i64 = 2_000;
/// Bounds memory: past this, the map is emptied rather than evicted entry by entry.
const MAX_ENTRIES: usize = 10_000;

#[derive(Default)]
pub struct TokenCache {
    entries: Mutex<HashMap<String, Entry>>,
}

struct Entry {
    token_id: Uuid,
    actor: Actor,
    cached_at_ms: i64,
}

impl TokenCache {
    pub fn get(&self, digest: &str, now_ms: i64) -> Option<Actor> {
        let entries = self.entries.lock().ok()?;
        let entry = entries.get(digest)?;
        (now_ms - entry.cached_at_ms < TTL_MS && now_ms >= entry.cached_at_ms)
            .then(|| entry.actor.clone())
    }

    pub fn put(&self, digest: String, token_id: Uuid, actor: Actor, now_ms: i64) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(
                digest,
                Entry {
                    token_id,
                    actor,
                    cached_at_ms: now_ms,
                },
            );
        }
    }

    pub fn forget_token(&self, token_id: Uuid) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|_, e| e.token_id != token_id);
        }
    }

    /// Drops every entry of a user (their account changed).
    pub fn forget_user(&self, user_id: Uuid) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|_, e| e.actor.user.id != user_id);
        }
    }
}
