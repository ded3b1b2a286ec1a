//! Pure types and rules: no I/O, no async, no SQL or HTTP (a test enforces it).

pub mod account;
pub mod approval;
pub mod channel;
pub mod clock;
pub mod ical;
pub mod links;
pub mod media;
pub mod post;
pub mod promo;
pub mod retry;
pub mod role;
pub mod schedule;
pub mod text;
pub mod validation;
pub mod workspace;

pub use clock::{Clock, FixedClock, SystemClock};
pub use role::{Permission, Role};
pub use validation::{FieldError, Validation};
