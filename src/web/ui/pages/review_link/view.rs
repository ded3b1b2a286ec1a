//! What the review page shows, built from what the service opened: the previews per network
//! (the composer's own, read-only), the time it should go out in the workspace's zone, the
//! comment thread, and the client's form.

use askama::Template;

use crate::domain::media::MediaKind;
use crate::services::Services;
use crate::services::review_link_access::OpenReview;
use crate::storage::media::Media;
use crate::web::ui::format::when;
use crate::web::ui::forms::Errors;
use crate::web::ui::pages::workspace::composer::variant_view::{VariantView, variant_view};

const HOUR_MS: i64 = 3_600_000;

#[derive(Template)]
#[template(path = "review_link.html")]
pub struct ReviewPage {
    pub css: String,
    pub review_css: String,
    pub title: &'static str,
    /// The link's token, for the forms' addresses.
    pub token: String,
    /// Why the link does not open, in words (its 404 and 410 pages).
    pub problem: Option<String>,
    /// The link has a password: ask for it.
    pub locked: bool,
    pub errors: Errors,
    pub review: Option<ReviewView>,
}

impl ReviewPage {
    fn new(token: &str, title: &'static str) -> Self {
        ReviewPage {
            css: crate::web::assets::url("app.css"),
            review_css: crate::web::assets::url("review.css"),
            title,
            token: token.to_owned(),
            problem: None,
            locked: false,
            errors: Errors::default(),
            review: None,
        }
    }

    pub fn problem(token: &str, message: String) -> Self {
        ReviewPage {
            problem: Some(message),
            ..Self::new(token, "This review link does not open")
        }
    }

    pub fn locked(token: &str, errors: Errors) -> Self {
        ReviewPage {
            locked: true,
            errors,
            ..Self::new(token, "Enter the password")
        }
    }

    pub fn open(token: &str, review: ReviewView) -> Self {
        ReviewPage {
            review: Some(review),
            ..Self::new(token, "Review a post")
        }
    }

    /// The message of a field error, for beside its field.
    pub fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field)
    }
}

pub struct CommentView {
    pub author: String,
    pub body: String,
    pub when: String,
}

pub struct ReviewView {
    pub workspace: String,
    pub form_token: String,
    pub variants: Vec<VariantView>,
    /// When the post goes out once approved (or is scheduled to), in the workspace's zone.
    pub goes_out: Option<String>,
    pub state: String,
    pub comments: Vec<CommentView>,
    /// Why the client cannot act now.
    pub blocked: Option<String>,
    /// What the client just did, thanked for.
    pub done: Option<String>,
    /// What the client typed, kept when the form comes back with an error.
    pub name: String,
    pub note: String,
    /// A decision refused (already reviewed, not yet): said above the form.
    pub refusal: Option<String>,
    pub link_expires: String,
}

/// The pictures of a preview at signed public addresses (the client has no session to load
/// the library's own); a video shows its placeholder. Valid one to two hours, rounded to the
/// hour so a reload reuses the browser's copies.
fn public_media(services: &Services, v: &mut VariantView, media: &[Media]) {
    let expires = (services.now_ms() / HOUR_MS + 2) * HOUR_MS;
    for (shown, m) in v.media.iter_mut().zip(media) {
        shown.src = (m.media_format().kind() != MediaKind::Video)
            .then(|| services.media_public_path(m.id, expires));
    }
}

pub fn review_view(services: &Services, open: &OpenReview) -> ReviewView {
    let ws = &open.workspace;
    let d = &open.detail;
    let variants = d
        .variants
        .iter()
        .map(|vd| {
            let mut v = variant_view(ws.id, d.post.id, "", vd, &d.media, true);
            public_media(services, &mut v, &d.media);
            v
        })
        .collect();
    let goes_out = d
        .variants
        .iter()
        .find_map(|v| v.variant.scheduled_at_ms)
        .map(|at| when(at, &ws.time_zone));
    let comments = open
        .comments
        .iter()
        .map(|c| CommentView {
            author: c.author_name.clone(),
            body: c.body.clone(),
            when: when(c.created_at_ms, &ws.time_zone),
        })
        .collect();
    ReviewView {
        workspace: ws.name.clone(),
        form_token: open.form_token.clone(),
        variants,
        goes_out,
        state: d.state.as_str().replace('_', " "),
        comments,
        blocked: open.blocked.clone(),
        done: None,
        name: String::new(),
        note: String::new(),
        refusal: None,
        link_expires: when(open.link.expires_at_ms, &ws.time_zone),
    }
}
