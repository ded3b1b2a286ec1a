use std::sync::Arc;

use crate::config::Config;
use crate::services::Services;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub config: Arc<Config>,
}
