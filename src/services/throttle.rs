//! Login throttling. Failures are counted per email and per client address in the database,
//! so the limits hold across instances. The same message is given whether or not the email
//! belongs to an account.

use super::{AppError, AppResult, Services};
use crate::storage::login_failures;

const WINDOW_MS: i64 = 15 * 60 * 1000;
const MAX_PER_EMAIL: i64 = 5;
const MAX_PER_ADDRESS: i64 = 30;

pub(super) fn keys(email: &str, ip: &str) -> [String; 2] {
    [format!("email:{email}"), format!("ip:{ip}")]
}

impl Services {
    /// Refuses the attempt when either key has too many recent failures.
    pub(super) async fn check_login_throttle(&self, email: &str, ip: &str) -> AppResult<()> {
        let now = self.now_ms();
        let [by_email, by_ip] = keys(email, ip);
        for (key, max) in [(by_email, MAX_PER_EMAIL), (by_ip, MAX_PER_ADDRESS)] {
            let (count, oldest) =
                login_failures::count_since(&self.db, &key, now - WINDOW_MS).await?;
            if count >= max {
                let free_at = oldest.unwrap_or(now) + WINDOW_MS;
                let retry_after_s = ((free_at - now) / 1000).max(1);
                let minutes = (retry_after_s + 59) / 60;
                return Err(AppError::TooManyRequests {
                    message: format!(
                        "Too many failed attempts. Wait {minutes} minute{} and try again.",
                        if minutes == 1 { "" } else { "s" }
                    ),
                    retry_after_s,
                });
            }
        }
        Ok(())
    }

    pub(super) async fn record_login_failure(&self, email: &str, ip: &str) -> AppResult<()> {
        let now = self.now_ms();
        login_failures::record(&self.db, &keys(email, ip), now).await?;
        login_failures::purge_before(&self.db, now - WINDOW_MS).await?;
        Ok(())
    }
}
