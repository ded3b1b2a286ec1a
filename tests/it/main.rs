//! The one integration test binary (crates_io and kanidm keep to one: each test binary costs
//! a link on a 2-core machine).

mod accounts;
mod architecture;
mod bad_input;
mod brand_kit;
mod browser;
mod calendar;
mod calendar_events;
mod cli;
mod conformance_bluesky;
mod conformance_x;
mod connect_bad_input;
mod connect_oauth_networks;
mod connect_picker;
mod connectors;
mod ical_feed;
mod imaging;
mod imports_csv;
mod isolation;
mod isolation_ui;
mod link_preview;
mod media;
mod media_rules;
mod members;
mod migrations;
mod notifications;
mod openapi;
mod peers;
mod posts;
mod public_media;
mod publishing;
mod queue;
mod review;
mod security;
mod support;
mod workspaces;
