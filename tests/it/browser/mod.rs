//! Browser tests: Debian's chromium driven through chromedriver with fantoccini. They skip
//! (with a note) when chromium is not installed, unless `HERALD_REQUIRE_BROWSER` is set.

mod account;
mod brand_kit;
mod calendar;
mod calendar_forms;
mod channels;
mod composer;
mod composer_links;
mod composer_media;
mod first_run;
mod harness;
mod keyboard;
mod media;
mod members;
mod picker;
mod responsive;
mod steps;
mod workspace_flow;
