//! Pages inside one workspace: `/w/{ws}/...`. Every handler starts from the service's
//! `workspace` check, so another workspace's ids give 404 and reveal nothing.

pub mod archive;
pub mod brand;
pub mod brand_files;
pub mod calendar;
pub mod calendar_events;
pub mod calendar_feed;
mod calendar_forms;
pub mod calendar_import;
pub mod calendar_move;
pub mod channels;
pub mod composer;
pub mod evergreen;
pub mod feeds;
pub mod home;
pub mod invites;
pub mod media;
pub mod members;
mod members_page;
pub mod networks;
pub mod posts;
pub mod settings;
pub mod tags;
pub mod webhooks;
