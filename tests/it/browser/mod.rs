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
mod composer_repeat;
mod composer_review;
mod composer_when;
mod evergreen_feeds;
mod first_run;
mod harness;
mod keyboard;
mod media;
mod members;
mod notifications;
mod picker;
mod responsive;
mod review_link;
mod steps;
mod upload_limits;
mod webhooks;
mod workspace_flow;
