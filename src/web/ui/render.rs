//! One handler, two renderings (the kanidm pattern): a full page for a normal request, only
//! the page's `main` block (plus toasts and a fresh top bar, out of band) for htmx.

use std::convert::Infallible;

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::UiError;
use super::shell::Shell;

/// What kind of request this is. Boosted requests want whole pages, like normal ones.
#[derive(Clone, Copy, Debug)]
pub struct Htmx {
    /// Sent by htmx (boosted or not).
    pub request: bool,
    /// htmx asked for a fragment: render only the page's `main` block.
    pub fragment: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for Htmx {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let has = |name: &str| parts.headers.get(name).is_some_and(|v| v == "true");
        let request = has("hx-request");
        Ok(Htmx {
            request,
            fragment: request && !has("hx-boosted"),
        })
    }
}

/// A short message in the `#toasts` live region.
#[derive(Clone, Debug)]
pub struct Toast {
    pub error: bool,
    pub text: String,
}

impl Toast {
    pub fn ok(text: impl Into<String>) -> Self {
        Toast {
            error: false,
            text: text.into(),
        }
    }

    pub fn error(text: impl Into<String>) -> Self {
        Toast {
            error: true,
            text: text.into(),
        }
    }
}

#[derive(Template)]
#[template(path = "toasts.html")]
struct Toasts<'a> {
    toasts: &'a [Toast],
    oob: bool,
}

/// Toasts as HTML: plain (to append to `#toasts`) or wrapped for an out-of-band swap.
pub fn toast_fragment(toasts: &[Toast], oob: bool) -> askama::Result<String> {
    Toasts { toasts, oob }.render()
}

/// A page template extending `base.html`, with `blocks = ["main", "topbar"]`.
pub trait Page: Template {
    fn shell(&mut self) -> &mut Shell;
    fn main_block(&self) -> askama::Result<String>;
    fn topbar_block(&self) -> askama::Result<String>;
}

/// Implements `Page` for a template struct with a `shell` field.
macro_rules! page {
    ($ty:ty) => {
        impl $crate::web::ui::render::Page for $ty {
            fn shell(&mut self) -> &mut $crate::web::ui::shell::Shell {
                &mut self.shell
            }
            fn main_block(&self) -> askama::Result<String> {
                askama::Template::render(&self.as_main())
            }
            fn topbar_block(&self) -> askama::Result<String> {
                askama::Template::render(&self.as_topbar())
            }
        }
    };
}
pub(crate) use page;

/// Renders `page` whole or as a fragment, with `status`.
pub fn render<P: Page>(htmx: Htmx, status: StatusCode, mut page: P) -> Result<Response, UiError> {
    let body = if htmx.fragment {
        page.shell().oob = true;
        let mut body = page.main_block()?;
        body.push_str(&page.topbar_block()?);
        body.push_str(&toast_fragment(&page.shell().toasts, true)?);
        body
    } else {
        page.render()?
    };
    Ok((status, Html(body)).into_response())
}

pub fn ok<P: Page>(htmx: Htmx, page: P) -> Result<Response, UiError> {
    render(htmx, StatusCode::OK, page)
}

/// Sends the browser to `to`: a 303 for a plain form post, `HX-Redirect` for htmx (an
/// XMLHttpRequest would follow a 303 itself and swap the next page into the target).
pub fn redirect(htmx: Htmx, to: &str) -> Response {
    if htmx.request {
        let mut response = StatusCode::NO_CONTENT.into_response();
        if let Ok(v) = HeaderValue::from_str(to) {
            response.headers_mut().insert("hx-redirect", v);
        }
        response
    } else {
        Redirect::to(to).into_response()
    }
}
