//! The one integration test binary (crates_io and kanidm keep to one: each test binary costs
//! a link on a 2-core machine).

mod browser;
mod support;
