//! Client review links, the client's side: no account and no session. Holding the token is
//! the permission; a password, when the link has one, is asked first (failures limited like
//! logins) and then proven by a short-lived signed value the web layer keeps in a cookie.
//! Approving and requesting changes go through `approve_as` / `request_changes_as` as the
//! client, named as they give their name, so the audit log says who it was.

use super::posts::PostDetail;
use super::review::Who;
use super::review_links::LinkStatus;
use super::{AppError, AppResult, Services};
use crate::crypto::hmac;
use crate::crypto::password;
use crate::crypto::token::{self, constant_time_eq};
use crate::domain::Validation;
use crate::domain::approval::Approver;
use crate::domain::post::VariantState;
use crate::domain::validation::clean_name;
use crate::storage::login_failures;
use crate::storage::review::{self, Comment};
use crate::storage::review_links::{self, ReviewLink};
use crate::storage::workspaces::{self, Workspace};

/// How long a password, once given, keeps the link open in that browser.
pub const UNLOCK_TTL_MS: i64 = 2 * 3600 * 1000;
/// Who the audit log names when the client leaves the name empty.
pub const DEFAULT_CLIENT_NAME: &str = "Client via review link";
const MAX_NAME_CHARS: usize = 100;
/// Tokens are 43 characters; anything much longer is not one (and is not hashed).
const MAX_TOKEN_CHARS: usize = 64;
/// Wrong passwords: per link and per address in a sliding window, as logins are limited.
const WINDOW_MS: i64 = 15 * 60 * 1000;
const MAX_PER_LINK: i64 = 5;
const MAX_PER_ADDRESS: i64 = 30;
const UNLOCK_PURPOSE: &str = "review-link-unlock";
const FORM_PURPOSE: &str = "review-link-form";

/// What a token and (maybe) an unlock value give access to.
pub struct LinkAccess<'a> {
    pub token: &'a str,
    /// The signed value `unlock_review_link` returned, when the browser has it.
    pub unlock: Option<&'a str>,
}

pub enum ReviewVisit {
    /// The link has a password and it has not been given (or the proof expired).
    Locked,
    Open(Box<OpenReview>),
}

/// What the client sees: the post's previews, its thread, and whether they may act.
pub struct OpenReview {
    pub link: ReviewLink,
    pub workspace: Workspace,
    pub detail: PostDetail,
    pub comments: Vec<Comment>,
    /// Sent back with the page's forms; ties them to this link (and its unlock proof).
    pub form_token: String,
    /// Why the client cannot approve or request changes now; `None` when they can.
    pub blocked: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientDecision {
    Approve,
    RequestChanges,
}

/// Why a link's post cannot take the client's decision now.
fn blocked_reason(detail: &PostDetail, workspace: &Workspace) -> Option<String> {
    if workspace.archived_at_ms.is_some() {
        return Some("This workspace is archived, so nothing can be reviewed in it.".into());
    }
    let in_review = detail
        .variants
        .iter()
        .any(|v| v.variant.state == VariantState::InReview);
    if !in_review {
        let now = detail.state.as_str().replace('_', " ");
        return Some(format!(
            "This post has already been reviewed: it is now {now}. There is nothing more to do here."
        ));
    }
    let post = &detail.post;
    super::review::policy(workspace)
        .may_approve(
            post.approvals_needed.max(1),
            post.approvals_done,
            Approver::Client,
        )
        .err()
        .map(|reason| format!("Not yet: {reason}. Come back to this link once they have."))
}

fn hex16(bytes: [u8; 32]) -> String {
    hex::encode(&bytes[..16])
}

impl Services {
    /// The link behind a token. `NotFound` when there is none (mistyped, cut short, or
    /// tampered with); `Conflict`, in words, when it expired or was revoked.
    pub async fn review_link_by_token(&self, token: &str) -> AppResult<ReviewLink> {
        let plausible = !token.is_empty()
            && token.len() <= MAX_TOKEN_CHARS
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !plausible {
            return Err(AppError::NotFound);
        }
        let link = review_links::by_token_hash(&self.db, &token::digest(token))
            .await?
            .ok_or(AppError::NotFound)?;
        match LinkStatus::of(&link, self.now_ms()) {
            LinkStatus::Active => Ok(link),
            LinkStatus::Expired => Err(AppError::Conflict(
                "This review link has expired. Ask whoever sent it for a new one.".into(),
            )),
            LinkStatus::Revoked => Err(AppError::Conflict(
                "This review link was withdrawn by the team. Ask them for a new one if you still need it."
                    .into(),
            )),
        }
    }

    /// `{expires_at_ms}.{signature}`: proof this browser gave the link's password, valid for
    /// `UNLOCK_TTL_MS`. Signed over the link and its password hash, so a new password (or
    /// another link) does not accept it.
    fn unlock_value(&self, link: &ReviewLink, expires_at_ms: i64) -> String {
        let key = self.secrets.derive_key(UNLOCK_PURPOSE);
        let hash = link.password_hash.as_deref().unwrap_or("");
        let message = format!("{}:{expires_at_ms}:{hash}", link.id);
        format!(
            "{expires_at_ms}.{}",
            hex16(hmac::sha256(&key, message.as_bytes()))
        )
    }

    fn unlocked(&self, link: &ReviewLink, unlock: Option<&str>) -> bool {
        if link.password_hash.is_none() {
            return true;
        }
        let Some((exp, _)) = unlock.and_then(|u| u.split_once('.')) else {
            return false;
        };
        let Ok(exp) = exp.parse::<i64>() else {
            return false;
        };
        exp > self.now_ms()
            && unlock.is_some_and(|u| constant_time_eq(u, &self.unlock_value(link, exp)))
    }

    /// The token the page's forms carry: bound to the link and to the unlock proof, so a
    /// form cannot be forged from another site without reading this page (see
    /// `web/ui/pages/review_link`).
    fn review_form_token(&self, link: &ReviewLink, unlock: Option<&str>) -> String {
        let key = self.secrets.derive_key(FORM_PURPOSE);
        let message = format!("{}:{}", link.id, unlock.unwrap_or(""));
        hex16(hmac::sha256(&key, message.as_bytes()))
    }

    /// Checks the password; returns the unlock value to keep (a cookie) and its expiry.
    pub async fn unlock_review_link(
        &self,
        token: &str,
        given: &str,
        ip: &str,
    ) -> AppResult<(String, i64)> {
        let link = self.review_link_by_token(token).await?;
        let Some(stored) = link.password_hash.clone() else {
            let expires = self.now_ms() + UNLOCK_TTL_MS;
            return Ok((self.unlock_value(&link, expires), expires));
        };
        if given.is_empty() {
            return Err(AppError::field("password", "must not be empty"));
        }
        let keys = [
            format!("review-link:{}", link.id),
            format!("review-ip:{ip}"),
        ];
        self.check_review_throttle(&keys).await?;
        let attempt: String = given.chars().take(1000).collect();
        let matches =
            tokio::task::spawn_blocking(move || password::verify(&attempt, &stored)).await?;
        if !matches {
            let now = self.now_ms();
            login_failures::record(&self.db, &keys, now).await?;
            login_failures::purge_before(&self.db, now - WINDOW_MS).await?;
            return Err(AppError::field(
                "password",
                "is not the one for this link; check it with whoever sent you the link",
            ));
        }
        login_failures::clear(&self.db, &keys[0]).await?;
        let expires = self.now_ms() + UNLOCK_TTL_MS;
        Ok((self.unlock_value(&link, expires), expires))
    }

    async fn check_review_throttle(&self, keys: &[String; 2]) -> AppResult<()> {
        let now = self.now_ms();
        for (key, max) in keys.iter().zip([MAX_PER_LINK, MAX_PER_ADDRESS]) {
            let (count, oldest) =
                login_failures::count_since(&self.db, key, now - WINDOW_MS).await?;
            if count >= max {
                let retry_after_s = ((oldest.unwrap_or(now) + WINDOW_MS - now) / 1000).max(1);
                let minutes = (retry_after_s + 59) / 60;
                return Err(AppError::TooManyRequests {
                    message: format!(
                        "Too many wrong passwords for this link. Wait {minutes} minute{} and try again.",
                        if minutes == 1 { "" } else { "s" }
                    ),
                    retry_after_s,
                });
            }
        }
        Ok(())
    }

    /// What the link opens: the password form, or the post to review.
    pub async fn visit_review_link(&self, access: &LinkAccess<'_>) -> AppResult<ReviewVisit> {
        let link = self.review_link_by_token(access.token).await?;
        if !self.unlocked(&link, access.unlock) {
            return Ok(ReviewVisit::Locked);
        }
        let workspace = workspaces::by_id(&self.db, link.workspace_id).await?;
        let post = self.post_in(link.workspace_id, link.post_id).await?;
        let detail = self.detail(post).await?;
        let comments = review::comments(&self.db, link.post_id).await?;
        Ok(ReviewVisit::Open(Box::new(OpenReview {
            form_token: self.review_form_token(&link, access.unlock),
            blocked: blocked_reason(&detail, &workspace),
            link,
            workspace,
            detail,
            comments,
        })))
    }

    /// The client approves or asks for changes (`note` required then), under `name` (or
    /// `DEFAULT_CLIENT_NAME`).
    pub async fn decide_on_review_link(
        &self,
        access: &LinkAccess<'_>,
        form_token: &str,
        decision: ClientDecision,
        name: &str,
        note: &str,
    ) -> AppResult<PostDetail> {
        let link = self.review_link_by_token(access.token).await?;
        if !self.unlocked(&link, access.unlock) {
            return Err(AppError::Unauthenticated(
                "Enter the link's password first.".into(),
            ));
        }
        if !constant_time_eq(form_token, &self.review_form_token(&link, access.unlock)) {
            return Err(AppError::forbidden(
                "The form was out of date. Reload the page and try again.",
            ));
        }
        let mut v = Validation::new();
        let name = if name.trim().is_empty() {
            DEFAULT_CLIENT_NAME.to_owned()
        } else {
            let clean = clean_name(&mut v, "name", name, MAX_NAME_CHARS);
            format!("{clean} (via review link)")
        };
        v.finish()?;
        let workspace = workspaces::by_id(&self.db, link.workspace_id).await?;
        let post = self.post_in(link.workspace_id, link.post_id).await?;
        let detail = self.detail(post.clone()).await?;
        if let Some(reason) = blocked_reason(&detail, &workspace) {
            return Err(AppError::Conflict(reason));
        }
        let who = Who { id: None, name };
        match decision {
            ClientDecision::Approve => {
                let post_id = post.id;
                let approved = self
                    .approve_as(&workspace, post, Approver::Client, &who, note)
                    .await?;
                // The log keeps the note; the thread shows it too, as a request's note is.
                if !note.trim().is_empty() {
                    self.add_comment_as(post_id, &who, note).await?;
                }
                Ok(approved)
            }
            ClientDecision::RequestChanges => self.request_changes_as(post, &who, note).await,
        }
    }
}
