//! What the composer's "Repeat" section shows of one post: its recurring series, whether
//! it is in the evergreen library, and whether the member may change either, decided by
//! the rules `set_recurrence` and `mark_evergreen` apply themselves (each still checks
//! when it is used).

use uuid::Uuid;

use super::recurrence::SeriesView;
use super::{Actor, AppError, AppResult, Services};
use crate::domain::Permission;
use crate::storage::{evergreen, posts};

#[derive(Clone, Debug)]
pub struct PostRepeat {
    /// The post's series, running or not; `None` when it never had one.
    pub series: Option<SeriesView>,
    pub evergreen: bool,
    /// Set or stop the rule, add to or remove from the library: editors and above, in a
    /// workspace that is not archived.
    pub may_change: bool,
    /// Both need a channel to post on; without one the services refuse.
    pub has_channels: bool,
}

impl Services {
    pub async fn post_repeat(&self, actor: &Actor, ws: Uuid, post: Uuid) -> AppResult<PostRepeat> {
        let member = self.workspace(actor, ws).await?;
        let post = posts::get(&self.db, ws, post)
            .await?
            .ok_or(AppError::NotFound)?;
        let series = match self.recurrence(actor, ws, post.id).await {
            Ok(view) => Some(view),
            Err(AppError::NotFound) => None,
            Err(e) => return Err(e),
        };
        Ok(PostRepeat {
            series,
            evergreen: evergreen::get(&self.db, ws, post.id).await?.is_some(),
            may_change: member.role.allows(Permission::Schedule)
                && member.workspace.archived_at_ms.is_none(),
            has_channels: !posts::variants(&self.db, post.id).await?.is_empty(),
        })
    }
}
