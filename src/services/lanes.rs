//! One lane per channel: publishes to the same channel go one at a time in this process, so
//! a burst arrives on the network in order and never as parallel writes to one account.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use uuid::Uuid;

type Lane = tokio::sync::Mutex<()>;

#[derive(Default)]
pub struct Lanes {
    lanes: Mutex<HashMap<Uuid, Weak<Lane>>>,
}

impl Lanes {
    /// The channel's lane; it lives while someone holds it, so the map stays small.
    pub fn lane(&self, channel: Uuid) -> Arc<Lane> {
        let mut lanes = self.lanes.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(lane) = lanes.get(&channel).and_then(Weak::upgrade) {
            return lane;
        }
        // Forget lanes nobody holds before adding one, now and then.
        if lanes.len() > 1024 {
            lanes.retain(|_, w| w.strong_count() > 0);
        }
        let lane = Arc::new(Lane::default());
        lanes.insert(channel, Arc::downgrade(&lane));
        lane
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_channel_one_lane() {
        let lanes = Lanes::default();
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let held = lanes.lane(a);
        let _guard = held.lock().await;
        assert!(lanes.lane(a).try_lock().is_err(), "same channel waits");
        assert!(lanes.lane(b).try_lock().is_ok(), "another channel does not");
    }
}
