//! The composer: `/w/{ws}/posts/new` and `/w/{ws}/posts/{id}`.
//!
//! Every form of the page saves itself as the author types (htmx, `input delay:600ms`, all
//! requests queued on `#composer` so saves of the post and of its variants never overlap).
//! Answers to those saves are out-of-band fragments only: the status line, the error slots
//! beside the fields, and each variant's counter, problems and preview, as the server's
//! checks of each network found them. Text areas are never redrawn while someone types in
//! them, so nothing typed during a save is lost. A save that adds or removes channels
//! redraws the variants column; a button in a variant panel (edit for this network, follow
//! the main text, add or remove a part) redraws that panel. The post's media travel with
//! the main form as hidden inputs; its buttons (add from the library, move, remove) save it
//! and redraw the media section. Without JavaScript the same forms post normally and the
//! page comes back whole.
//!
//! One file per handler: `new` and `edit` draw the page, `autosave` saves the main form,
//! `variant` a variant's form, `delete` deletes, `track` tracks a variant's links,
//! `link_card` loads a variant's link preview (and its image), `campaign` creates a
//! campaign from the campaign list, `media_picker` lists the library's items for the media
//! section's "Add from library" panel; `page` holds what they share.
//!
//! Below the form, the "When" section (`when_view`, `attempts`; its forms `when`, `cancel`,
//! `retry`; `when_poll` redraws it while the post goes out), the "Repeat" section
//! (`repeat_view`, `repeat_input`; its forms `repeat`, `repeat_stop`, `evergreen_switch`)
//! and the review section (`review_view`; its forms `review`, `comments`), drawn and
//! answered by `sections`.

mod attempts;
mod autosave;
mod campaign;
mod cancel;
mod comments;
mod delete;
mod edit;
mod evergreen_switch;
mod failure;
pub mod form;
mod link_card;
pub mod link_view;
mod media_picker;
pub mod media_view;
mod new;
mod page;
pub mod preview;
mod repeat;
mod repeat_input;
mod repeat_stop;
pub mod repeat_view;
mod retry;
mod review;
pub mod review_links;
pub mod review_view;
mod sections;
pub mod tone;
mod track;
mod variant;
pub mod variant_view;
pub mod view;
mod when;
mod when_input;
mod when_poll;
pub mod when_view;

pub use autosave::{create, save};
pub use campaign::create_campaign;
pub use cancel::cancel;
pub use comments::comment;
pub use delete::delete;
pub use edit::show;
pub use evergreen_switch::switch_evergreen;
pub use link_card::{link_image, link_preview};
pub use media_picker::media_picker;
pub use new::new;
pub use repeat::set_repeat;
pub use repeat_stop::stop_repeat;
pub use retry::retry;
pub use review::{approve, request_changes, submit};
pub use track::track_links;
pub use variant::save_variant;
pub use when::schedule;
pub use when_poll::poll as when_poll;
