//! `GET /review/{token}`: the password form, or the post's previews, thread and decision form.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum_extra::extract::CookieJar;

use super::view::{ReviewPage, review_view};
use super::{respond, unlock_of, unusable};
use crate::services::review_link_access::{LinkAccess, ReviewVisit};
use crate::web::AppState;
use crate::web::ui::UiError;
use crate::web::ui::forms::{Errors, UiPath};

/// The thanks after a decision (`?done=` from `decide`'s redirect).
fn thanks(query: Option<&str>) -> Option<String> {
    let done = url::form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == "done")
        .map(|(_, v)| v.into_owned())?;
    match done.as_str() {
        "approved" => Some("Thank you: you approved this post.".to_owned()),
        "changes" => Some(
            "Thank you: your request for changes went to the team, with your comment.".to_owned(),
        ),
        _ => None,
    }
}

pub async fn show(
    State(state): State<AppState>,
    jar: CookieJar,
    RawQuery(query): RawQuery,
    UiPath(token): UiPath<String>,
) -> Result<Response, UiError> {
    let unlock = unlock_of(&jar);
    let access = LinkAccess {
        token: &token,
        unlock: unlock.as_deref(),
    };
    match state.services.visit_review_link(&access).await {
        Ok(ReviewVisit::Locked) => respond(
            StatusCode::OK,
            ReviewPage::locked(&token, Errors::default()),
        ),
        Ok(ReviewVisit::Open(open)) => {
            let mut review = review_view(&state.services, &open);
            review.done = thanks(query.as_deref());
            respond(StatusCode::OK, ReviewPage::open(&token, review))
        }
        Err(e) => unusable(&token, e),
    }
}
