//! Personal access tokens for the JSON API.

use uuid::Uuid;

use super::{Actor, AppError, AppResult, Services};
use crate::crypto::token;
use crate::domain::Validation;
use crate::domain::validation::clean_name;
use crate::storage::api_tokens::{self, ApiToken};
use crate::storage::users::User;

/// Tokens start with this, so a leaked one is recognisable by secret scanners.
pub const TOKEN_PREFIX: &str = "hrld_";
/// A token seen within this long is not written again on each request.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// A token just created: the secret is shown this once.
pub struct NewToken {
    pub token: ApiToken,
    pub secret: String,
}

impl Services {
    pub async fn create_token(&self, actor: &Actor, name: &str) -> AppResult<NewToken> {
        let mut v = Validation::new();
        let name = clean_name(&mut v, "name", name, 100);
        v.finish()?;
        let secret = format!("{TOKEN_PREFIX}{}", token::random_token());
        let token = ApiToken {
            id: Uuid::now_v7(),
            user_id: actor.user.id,
            name,
            token_prefix: secret.chars().take(TOKEN_PREFIX.len() + 4).collect(),
            created_at_ms: self.now_ms(),
            last_used_at_ms: None,
            revoked_at_ms: None,
        };
        api_tokens::insert(&self.db, &token, &token::digest(&secret)).await?;
        Ok(NewToken { token, secret })
    }

    pub async fn list_tokens(&self, actor: &Actor) -> AppResult<Vec<ApiToken>> {
        Ok(api_tokens::list_active(&self.db, actor.user.id).await?)
    }

    pub async fn revoke_token(&self, actor: &Actor, id: Uuid) -> AppResult<()> {
        if api_tokens::revoke(&self.db, actor.user.id, id, self.now_ms()).await? {
            self.tokens.forget_token(id);
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// The person behind a bearer token, if it is live. Records the last use at most once a
    /// minute so reads stay reads.
    pub async fn actor_for_token(&self, secret: &str) -> AppResult<Option<Actor>> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let digest = token::digest(secret);
        let now = self.now_ms();
        if let Some(actor) = self.tokens.get(&digest, now) {
            return Ok(Some(actor));
        }
        let Some((id, last_used, user)) = api_tokens::authenticate(&self.db, &digest).await? else {
            return Ok(None);
        };
        if last_used.is_none_or(|t| now - t > TOUCH_EVERY_MS) {
            api_tokens::touch(&self.db, id, now).await?;
        }
        let actor = actor_without_session(user);
        self.tokens.put(digest, id, actor.clone(), now);
        Ok(Some(actor))
    }
}

fn actor_without_session(user: User) -> Actor {
    Actor {
        user,
        session_id: None,
        csrf_token: None,
    }
}
