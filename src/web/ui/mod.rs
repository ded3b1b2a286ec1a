//! The web UI: server-rendered askama pages, enhanced with htmx. One handler renders the
//! whole page or, for htmx, only the fragment asked for.

mod error;

use axum::Router;

pub use error::UiError;

use super::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
