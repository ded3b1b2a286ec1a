//! Client review links, the team's side (PRODUCT.md, step 7): whoever may approve a post in
//! review creates a link for a client without an account, with an expiry and an optional
//! password; lists the post's links; revokes one. The token is 256 random bits shown once;
//! only its SHA-256 is stored, like invites and API tokens. What the client does with the
//! link is in `review_link_access.rs`.

use uuid::Uuid;

use super::{Actor, AppError, AppResult, Services};
use crate::crypto::{password, token};
use crate::domain::post::VariantState;
use crate::domain::{Permission, Validation};
use crate::storage::posts;
use crate::storage::review_links::{self, ReviewLink};

pub const DEFAULT_REVIEW_LINK_DAYS: i64 = 7;
pub const MAX_REVIEW_LINK_DAYS: i64 = 90;
const DAY_MS: i64 = 24 * 3600 * 1000;
const MIN_PASSWORD_CHARS: usize = 8;
const MAX_PASSWORD_CHARS: usize = 200;

/// A new link: the token goes in the address, shown once and never stored.
pub struct NewReviewLink {
    pub link: ReviewLink,
    pub token: String,
}

/// Whether a link still opens, as the team's list shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkStatus {
    Active,
    Expired,
    Revoked,
}

impl LinkStatus {
    pub fn of(link: &ReviewLink, now_ms: i64) -> LinkStatus {
        if link.revoked_at_ms.is_some() {
            LinkStatus::Revoked
        } else if link.expires_at_ms <= now_ms {
            LinkStatus::Expired
        } else {
            LinkStatus::Active
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LinkStatus::Active => "active",
            LinkStatus::Expired => "expired",
            LinkStatus::Revoked => "revoked",
        }
    }
}

/// Checks an optional password: `None` or empty means none.
fn clean_password(v: &mut Validation, raw: Option<&str>) -> Option<String> {
    let raw = raw.filter(|p| !p.is_empty())?;
    let chars = raw.chars().count();
    if raw.trim().is_empty() {
        v.add(
            "password",
            "must not be only spaces; leave it empty for no password",
        );
    } else if chars < MIN_PASSWORD_CHARS {
        v.add(
            "password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters, or empty for none"),
        );
    } else if chars > MAX_PASSWORD_CHARS {
        v.add(
            "password",
            format!("must be at most {MAX_PASSWORD_CHARS} characters"),
        );
    } else if raw.chars().any(char::is_control) {
        v.add("password", "must not contain control characters");
    }
    Some(raw.to_owned())
}

impl Services {
    /// A link for a client to review a post that is in review.
    pub async fn create_review_link(
        &self,
        actor: &Actor,
        ws: Uuid,
        post_id: Uuid,
        expires_in_days: Option<i64>,
        password: Option<&str>,
    ) -> AppResult<NewReviewLink> {
        self.active_workspace_for(actor, ws, Permission::Approve)
            .await?;
        let post = self.post_in(ws, post_id).await?;
        let mut v = Validation::new();
        let days = expires_in_days.unwrap_or(DEFAULT_REVIEW_LINK_DAYS);
        v.check(
            (1..=MAX_REVIEW_LINK_DAYS).contains(&days),
            "expires_in_days",
            "must be between 1 and 90 days",
        );
        let password = clean_password(&mut v, password);
        v.finish()?;
        let variants = posts::variants(&self.db, post.id).await?;
        if !variants.iter().any(|v| v.state == VariantState::InReview) {
            return Err(AppError::Conflict(
                "This post is not in review: submit it for review first, then share a link.".into(),
            ));
        }
        let password_hash = match password {
            Some(plain) => Some(
                tokio::task::spawn_blocking(move || password::hash(&plain))
                    .await?
                    .map_err(|e| AppError::Internal(e.into()))?,
            ),
            None => None,
        };
        let now = self.now_ms();
        let token = token::random_token();
        let link = ReviewLink {
            id: Uuid::now_v7(),
            post_id: post.id,
            workspace_id: ws,
            token_hash: token::digest(&token),
            password_hash,
            created_by: Some(actor.user.id),
            created_at_ms: now,
            expires_at_ms: now + days * DAY_MS,
            revoked_at_ms: None,
        };
        review_links::insert(&self.db, &link).await?;
        Ok(NewReviewLink { link, token })
    }

    /// The post's links, newest first, expired and revoked ones included.
    pub async fn list_review_links(
        &self,
        actor: &Actor,
        ws: Uuid,
        post_id: Uuid,
    ) -> AppResult<Vec<ReviewLink>> {
        self.workspace_for(actor, ws, Permission::Approve).await?;
        let post = self.post_in(ws, post_id).await?;
        Ok(review_links::of_post(&self.db, post.id).await?)
    }

    /// Revokes one of the post's links: it stops opening at once.
    pub async fn revoke_review_link(
        &self,
        actor: &Actor,
        ws: Uuid,
        post_id: Uuid,
        link_id: Uuid,
    ) -> AppResult<()> {
        self.workspace_for(actor, ws, Permission::Approve).await?;
        let post = self.post_in(ws, post_id).await?;
        if review_links::revoke(&self.db, post.id, link_id, self.now_ms()).await? {
            return Ok(());
        }
        // Revoking twice is no error; an id the post has no link by is.
        let links = review_links::of_post(&self.db, post.id).await?;
        if links.iter().any(|l| l.id == link_id) {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password(raw: Option<&str>) -> (Option<String>, Vec<String>) {
        let mut v = Validation::new();
        let kept = clean_password(&mut v, raw);
        let errors = v
            .finish()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        (kept, errors)
    }

    #[test]
    fn passwords_are_optional_but_never_flimsy() {
        assert_eq!(password(None), (None, vec![]));
        assert_eq!(password(Some("")), (None, vec![]));
        assert_eq!(password(Some("plum tree 42 ☕")).1, Vec::<String>::new());
        assert!(password(Some("short")).1[0].contains("at least 8"));
        assert!(password(Some("         ")).1[0].contains("only spaces"));
        assert!(password(Some(&"x".repeat(201))).1[0].contains("at most 200"));
        assert!(password(Some("tab\there!")).1[0].contains("control"));
        // Counted in characters, not bytes: eight accented letters are enough.
        assert_eq!(password(Some("éééééééé")).1, Vec::<String>::new());
    }

    #[test]
    fn a_revoked_link_stays_revoked_whatever_its_expiry() {
        let link = |expires_at_ms, revoked_at_ms| ReviewLink {
            id: Uuid::nil(),
            post_id: Uuid::nil(),
            workspace_id: Uuid::nil(),
            token_hash: String::new(),
            password_hash: None,
            created_by: None,
            created_at_ms: 0,
            expires_at_ms,
            revoked_at_ms,
        };
        assert_eq!(LinkStatus::of(&link(10, None), 9), LinkStatus::Active);
        assert_eq!(LinkStatus::of(&link(10, None), 10), LinkStatus::Expired);
        assert_eq!(LinkStatus::of(&link(10, Some(5)), 9), LinkStatus::Revoked);
        assert_eq!(LinkStatus::of(&link(10, Some(5)), 20), LinkStatus::Revoked);
    }
}
