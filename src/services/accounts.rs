//! Accounts: the first account, users, logging in and out, passwords and sessions.

use uuid::Uuid;

use super::{Actor, AppError, AppResult, Services};
use crate::crypto::{password, token};
use crate::domain::Validation;
use crate::domain::account::{check_password, clean_email};
use crate::domain::validation::clean_name;
use crate::storage::login_failures;
use crate::storage::sessions::{self, Session};
use crate::storage::users::{self, User};

pub const SESSION_TTL_MS: i64 = 30 * 24 * 3600 * 1000;
/// A session seen within this long is not written again on each request.
const TOUCH_EVERY_MS: i64 = 60 * 1000;
const BAD_LOGIN: &str = "Email or password is incorrect.";

/// A new browser session: the cookie value is shown once and never stored.
pub struct NewSession {
    pub session: Session,
    pub cookie_token: String,
}

pub struct NewAccount<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub is_admin: bool,
}

impl Services {
    /// Validates and hashes a new account, without storing it.
    async fn prepare_user(&self, input: NewAccount<'_>) -> AppResult<User> {
        let mut v = Validation::new();
        let email = clean_email(&mut v, "email", input.email);
        let display_name = if input.display_name.trim().is_empty() {
            email.split('@').next().unwrap_or_default().to_owned()
        } else {
            clean_name(&mut v, "display_name", input.display_name, 100)
        };
        check_password(&mut v, "password", input.password, &email);
        v.finish()?;
        let plain = input.password.to_owned();
        let password_hash = tokio::task::spawn_blocking(move || password::hash(&plain))
            .await?
            .map_err(|e| AppError::Internal(e.into()))?;
        let now = self.now_ms();
        Ok(User {
            id: Uuid::now_v7(),
            email,
            display_name,
            password_hash,
            is_admin: input.is_admin,
            created_at_ms: now,
            updated_at_ms: now,
        })
    }

    fn email_taken() -> AppError {
        AppError::field("email", "an account with this email already exists")
    }

    pub async fn is_set_up(&self) -> AppResult<bool> {
        Ok(users::is_set_up(&self.db).await?)
    }

    /// Creates the first account of the install, as an instance admin.
    pub async fn create_first_account(&self, input: NewAccount<'_>) -> AppResult<User> {
        if self.is_set_up().await? {
            return Err(AppError::Conflict(
                "Herald is already set up; log in instead.".into(),
            ));
        }
        let user = self
            .prepare_user(NewAccount {
                is_admin: true,
                ..input
            })
            .await?;
        match users::insert_first(&self.db, &user).await {
            Ok(true) => Ok(user),
            Ok(false) => Err(AppError::Conflict(
                "Herald is already set up; log in instead.".into(),
            )),
            Err(crate::storage::StoreError::Conflict(_)) => Err(Self::email_taken()),
            Err(e) => Err(e.into()),
        }
    }

    /// Creates an account (operators through the CLI; people accepting an invite).
    pub async fn create_user(&self, input: NewAccount<'_>) -> AppResult<User> {
        let user = self.prepare_user(input).await?;
        match users::insert(&self.db, &user).await {
            Ok(()) => Ok(user),
            Err(crate::storage::StoreError::Conflict(_)) => Err(Self::email_taken()),
            Err(e) => Err(e.into()),
        }
    }

    /// Checks the credentials and opens a session. Unknown emails cost the same argon2 work as
    /// known ones and get the same message, so neither timing nor text reveals an account.
    pub async fn login(
        &self,
        email: &str,
        plain: &str,
        ip: &str,
        user_agent: &str,
    ) -> AppResult<NewSession> {
        let email = email.trim().to_lowercase();
        if email.is_empty() || plain.is_empty() {
            let mut v = Validation::new();
            v.check(!email.is_empty(), "email", "must not be empty");
            v.check(!plain.is_empty(), "password", "must not be empty");
            v.finish()?;
        }
        self.check_login_throttle(&email, ip).await?;
        let user = users::by_email(&self.db, &email).await?;
        let stored = user.as_ref().map(|u| u.password_hash.clone());
        let attempt = plain.to_owned();
        let matches = tokio::task::spawn_blocking(move || {
            let hash = stored.as_deref().unwrap_or(password::dummy_hash());
            password::verify(&attempt, hash) && stored.is_some()
        })
        .await?;
        let Some(user) = user.filter(|_| matches) else {
            self.record_login_failure(&email, ip).await?;
            return Err(AppError::Unauthenticated(BAD_LOGIN.into()));
        };
        login_failures::clear(&self.db, &super::throttle::keys(&email, ip)[0]).await?;
        self.open_session(user.id, ip, user_agent).await
    }

    pub(super) async fn open_session(
        &self,
        user_id: Uuid,
        ip: &str,
        user_agent: &str,
    ) -> AppResult<NewSession> {
        let now = self.now_ms();
        let cookie_token = token::random_token();
        let session = Session {
            id: Uuid::now_v7(),
            user_id,
            csrf_token: token::random_token(),
            user_agent: user_agent.chars().take(300).collect(),
            ip: ip.chars().take(64).collect(),
            created_at_ms: now,
            last_seen_at_ms: now,
            expires_at_ms: now + SESSION_TTL_MS,
        };
        sessions::insert(&self.db, &session, &token::digest(&cookie_token)).await?;
        Ok(NewSession {
            session,
            cookie_token,
        })
    }

    /// The person behind a session cookie, if the session is live.
    pub async fn actor_for_session(&self, cookie_token: &str) -> AppResult<Option<Actor>> {
        let now = self.now_ms();
        let Some((session, user)) =
            sessions::find_live(&self.db, &token::digest(cookie_token), now).await?
        else {
            return Ok(None);
        };
        if now - session.last_seen_at_ms > TOUCH_EVERY_MS {
            sessions::touch(&self.db, session.id, now, now + SESSION_TTL_MS).await?;
        }
        Ok(Some(Actor {
            user,
            session_id: Some(session.id),
            csrf_token: Some(session.csrf_token),
        }))
    }

    pub async fn logout(&self, actor: &Actor) -> AppResult<()> {
        if let Some(id) = actor.session_id {
            sessions::delete(&self.db, actor.user.id, id).await?;
        }
        Ok(())
    }

    pub async fn list_sessions(&self, actor: &Actor) -> AppResult<Vec<Session>> {
        Ok(sessions::list_for_user(&self.db, actor.user.id, self.now_ms()).await?)
    }

    pub async fn end_session(&self, actor: &Actor, session_id: Uuid) -> AppResult<()> {
        if sessions::delete(&self.db, actor.user.id, session_id).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Ends every session of the actor, this one included.
    pub async fn logout_everywhere(&self, actor: &Actor) -> AppResult<u64> {
        Ok(sessions::delete_all_for_user(&self.db, actor.user.id, None).await?)
    }

    /// Changes the password after checking the current one, and ends the other sessions.
    pub async fn change_password(&self, actor: &Actor, current: &str, new: &str) -> AppResult<()> {
        let user = users::by_id(&self.db, actor.user.id).await?;
        let (stored, attempt) = (user.password_hash.clone(), current.to_owned());
        if !tokio::task::spawn_blocking(move || password::verify(&attempt, &stored)).await? {
            return Err(AppError::field(
                "current_password",
                "is not your current password",
            ));
        }
        let mut v = Validation::new();
        check_password(&mut v, "new_password", new, &user.email);
        v.check(
            new != current,
            "new_password",
            "must differ from the current password",
        );
        v.finish()?;
        let plain = new.to_owned();
        let hash = tokio::task::spawn_blocking(move || password::hash(&plain))
            .await?
            .map_err(|e| AppError::Internal(e.into()))?;
        users::set_password(&self.db, user.id, &hash, self.now_ms()).await?;
        sessions::delete_all_for_user(&self.db, user.id, actor.session_id).await?;
        Ok(())
    }

    pub async fn rename_self(&self, actor: &Actor, display_name: &str) -> AppResult<()> {
        let mut v = Validation::new();
        let name = clean_name(&mut v, "display_name", display_name, 100);
        v.finish()?;
        users::set_display_name(&self.db, actor.user.id, &name, self.now_ms()).await?;
        self.tokens.forget_user(actor.user.id);
        Ok(())
    }

    pub async fn user_by_email(&self, email: &str) -> AppResult<User> {
        users::by_email(&self.db, &email.trim().to_lowercase())
            .await?
            .ok_or(AppError::NotFound)
    }
}
