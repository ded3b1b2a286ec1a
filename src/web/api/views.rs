//! The JSON shapes of the API. Instants are RFC 3339 in UTC; lists are `{items, next}`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::Role;
use crate::domain::clock::rfc3339;
use crate::storage::api_tokens::ApiToken;
use crate::storage::invites::Invite;
use crate::storage::memberships::Member;
use crate::storage::sessions::Session;
use crate::storage::users::User;
use crate::storage::workspaces::MemberWorkspace;

/// A page of results; `next` is a cursor for the following page, null on the last one.
#[derive(Serialize, ToSchema)]
pub struct List<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

/// For PATCH bodies: distinguishes an absent field (leave it) from `null` (clear it).
pub fn double_option<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<Uuid>>, D::Error> {
    Option::<Uuid>::deserialize(d).map(Some)
}

impl<T> List<T> {
    pub fn all(items: Vec<T>) -> Self {
        List { items, next: None }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    pub created_at: String,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        UserView {
            id: u.id,
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            is_admin: u.is_admin,
            created_at: rfc3339(u.created_at_ms),
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct BrandView {
    /// The brand's voice, in a few sentences.
    #[serde(default)]
    pub voice: String,
    #[serde(default)]
    pub words_to_avoid: String,
    /// Space-separated, each with its `#`.
    #[serde(default)]
    pub hashtags: String,
    #[serde(default)]
    pub audience_notes: String,
    #[serde(default)]
    pub goals: String,
}

#[derive(Serialize, ToSchema)]
pub struct WorkspaceView {
    pub id: Uuid,
    pub name: String,
    /// IANA time zone; times in this workspace are shown in it.
    pub time_zone: String,
    pub requires_approval: bool,
    /// 1 or 2 approvals when approval is required (the team, then the client).
    pub approval_steps: i64,
    /// Approvers may fix typos in approved posts without a new review.
    pub allow_small_fixes: bool,
    /// Pictures need alt text before a post can be published.
    pub require_alt_text: bool,
    /// The most promotional posts may make up of the calendar, in percent.
    pub promo_target_percent: i64,
    pub brand: BrandView,
    /// How late a post may still go out after Herald was down at its time, in minutes.
    pub grace_window_minutes: i64,
    /// The least time between two posts on one channel, in minutes (null: no rule).
    pub min_gap_minutes: Option<i64>,
    pub archived: bool,
    pub archived_at: Option<String>,
    /// The caller's role here.
    pub role: Role,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&MemberWorkspace> for WorkspaceView {
    fn from(m: &MemberWorkspace) -> Self {
        let w = &m.workspace;
        WorkspaceView {
            id: w.id,
            name: w.name.clone(),
            time_zone: w.time_zone.clone(),
            requires_approval: w.requires_approval,
            approval_steps: w.approval_steps,
            allow_small_fixes: w.allow_small_fixes,
            require_alt_text: w.require_alt_text,
            promo_target_percent: w.promo_target_percent,
            brand: BrandView {
                voice: w.brand_voice.clone(),
                words_to_avoid: w.words_to_avoid.clone(),
                hashtags: w.hashtags.clone(),
                audience_notes: w.audience_notes.clone(),
                goals: w.goals.clone(),
            },
            grace_window_minutes: w.grace_window_ms / 60_000,
            min_gap_minutes: w.min_gap_ms.map(|g| g / 60_000),
            archived: w.archived_at_ms.is_some(),
            archived_at: w.archived_at_ms.map(rfc3339),
            role: m.role,
            created_at: rfc3339(w.created_at_ms),
            updated_at: rfc3339(w.updated_at_ms),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MemberView {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub joined_at: String,
}

impl From<&Member> for MemberView {
    fn from(m: &Member) -> Self {
        MemberView {
            user_id: m.user_id,
            email: m.email.clone(),
            display_name: m.display_name.clone(),
            role: m.role,
            joined_at: rfc3339(m.created_at_ms),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct InviteView {
    pub id: Uuid,
    pub role: Role,
    pub note: String,
    pub created_at: String,
    pub expires_at: String,
    /// The link to send; only present in the answer that created the invite.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl InviteView {
    pub fn new(i: &Invite, url: Option<String>) -> Self {
        InviteView {
            id: i.id,
            role: i.role,
            note: i.note.clone(),
            created_at: rfc3339(i.created_at_ms),
            expires_at: rfc3339(i.expires_at_ms),
            url,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TokenView {
    pub id: Uuid,
    pub name: String,
    /// The first characters of the token, to recognise it.
    pub prefix: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    /// The token itself; only present in the answer that created it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl TokenView {
    pub fn new(t: &ApiToken, secret: Option<String>) -> Self {
        TokenView {
            id: t.id,
            name: t.name.clone(),
            prefix: t.token_prefix.clone(),
            created_at: rfc3339(t.created_at_ms),
            last_used_at: t.last_used_at_ms.map(rfc3339),
            token: secret,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SessionView {
    pub id: Uuid,
    pub user_agent: String,
    pub ip: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
}

impl From<&Session> for SessionView {
    fn from(s: &Session) -> Self {
        SessionView {
            id: s.id,
            user_agent: s.user_agent.clone(),
            ip: s.ip.clone(),
            created_at: rfc3339(s.created_at_ms),
            last_seen_at: rfc3339(s.last_seen_at_ms),
            expires_at: rfc3339(s.expires_at_ms),
        }
    }
}
