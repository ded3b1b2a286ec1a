//! Notifications by email: each in-app notification of a person who wants email becomes a
//! `SendEmail` job, queued with the notification itself and run by a worker (never inside
//! the request), tried again with a growing delay while the SMTP server is away.

use std::sync::Arc;

use uuid::Uuid;

use super::{Actor, AppError, AppResult, Services};
use crate::domain::retry;
use crate::jobs::Job;
use crate::mail::{Email, Letter, Mailer, SendError, compose};
use crate::storage::jobs::{Finish, JobRow};
use crate::storage::notification_emails::{self, EmailTarget};

/// Tries per email before it is given up: delays of 30 s doubling each time, about an hour
/// in all.
pub const MAX_EMAIL_TRIES: i64 = 8;

impl Services {
    /// Sends notification emails through `mailer` (when the install configured SMTP).
    #[must_use]
    pub fn with_mailer(mut self, mailer: Option<Mailer>) -> Self {
        self.mailer = mailer.map(Arc::new);
        self
    }

    /// Whether this install sends emails at all.
    pub fn sends_email(&self) -> bool {
        self.mailer.is_some()
    }

    /// The email jobs for these new notifications: one per person who wants email, none
    /// when SMTP is not configured.
    pub(super) async fn email_jobs(
        &self,
        notifications: &[(Uuid, Uuid)],
        now_ms: i64,
    ) -> AppResult<Vec<JobRow>> {
        if !self.sends_email() || notifications.is_empty() {
            return Ok(Vec::new());
        }
        let users: Vec<Uuid> = notifications.iter().map(|(_, user)| *user).collect();
        let wanting = notification_emails::wanting_email(&self.db, &users).await?;
        Ok(notifications
            .iter()
            .filter(|(_, user)| wanting.contains(user))
            .map(|(id, _)| {
                Job::SendEmail {
                    notification_id: *id,
                }
                .row(now_ms, now_ms)
            })
            .collect())
    }

    /// Runs an email's job: one try (the `attempt`th), and what the queue does next.
    pub async fn run_email(&self, notification: Uuid, attempt: i64) -> AppResult<Finish> {
        let Some(mailer) = &self.mailer else {
            return Ok(Finish::Failed {
                error: "SMTP is not configured on this instance any more".into(),
            });
        };
        let Some(target) = notification_emails::target(&self.db, notification).await? else {
            return Ok(Finish::Done);
        };
        // Checked again when sending: the person may have turned email off, or left the
        // workspace, since the notification was made.
        if target.emailed_at_ms.is_some() || !target.email_notifications || target.memberships == 0
        {
            return Ok(Finish::Done);
        }
        let email = self.email_for(&target)?;
        let now = self.now_ms();
        match mailer.send(&email).await {
            Ok(()) => {
                notification_emails::mark_emailed(&self.db, notification, now).await?;
                Ok(Finish::Done)
            }
            Err(SendError::Retry(e)) if attempt < MAX_EMAIL_TRIES => {
                tracing::info!(%notification, attempt, error = %e, "a notification email will be tried again");
                Ok(Finish::RunAt {
                    at_ms: retry::next_try_ms(attempt, now, None, rand::random()),
                    error: Some(e),
                })
            }
            Err(SendError::Retry(e)) => Ok(Finish::Failed {
                error: format!("gave up after {attempt} tries: {e}"),
            }),
            Err(SendError::Refused(e)) => Ok(Finish::Failed { error: e }),
        }
    }

    /// The email's words; links are absolute when the install's public URL is known.
    fn email_for(&self, t: &EmailTarget) -> AppResult<Email> {
        let link = self.absolute(&t.link);
        let account = self.absolute("/account");
        compose(&Letter {
            to_address: &t.email,
            to_name: &t.display_name,
            workspace: &t.workspace_name,
            title: &t.title,
            body: &t.body,
            link: &link,
            account: &account,
        })
        .map_err(|e| AppError::Internal(e.into()))
    }

    /// Turns a path into an address people can open from their mailbox.
    fn absolute(&self, path: &str) -> String {
        match &self.public_url {
            Some(base) => format!("{}{path}", base.trim_end_matches('/')),
            None => {
                tracing::warn!(
                    path,
                    "public_url is not set: notification emails carry the path alone; set HERALD_PUBLIC_URL"
                );
                path.to_owned()
            }
        }
    }

    /// Whether the actor gets notifications by email too.
    pub async fn email_notifications(&self, actor: &Actor) -> AppResult<bool> {
        Ok(notification_emails::preference(&self.db, actor.user.id).await?)
    }

    pub async fn set_email_notifications(&self, actor: &Actor, on: bool) -> AppResult<()> {
        Ok(notification_emails::set_preference(&self.db, actor.user.id, on).await?)
    }
}
