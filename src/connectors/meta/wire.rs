//! JSON shapes every Meta API shares: ids, pages of results with cursors, tokens, insights,
//! and Meta's timestamps (`2021-07-09T19:09:52+0000`).

use serde::Deserialize;
use serde_json::Value;

use crate::connectors::model::Credentials;

#[derive(Debug, Deserialize)]
pub struct Id {
    pub id: String,
}

/// `{"success": true}` (deletes).
#[derive(Debug, Deserialize)]
pub struct Success {
    #[serde(default)]
    pub success: bool,
}

/// `{"data": [...], "paging": {...}}`.
#[derive(Debug, Deserialize)]
pub struct Paged<T> {
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    #[serde(default)]
    pub paging: Option<Paging>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Paging {
    pub cursors: Option<Cursors>,
    pub next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Cursors {
    pub after: Option<String>,
}

impl<T> Paged<T> {
    /// The cursor of the next page, when there is one. Herald asks for it on its own base
    /// rather than following `paging.next`, which names Meta's host and the token.
    pub fn after(&self) -> Option<String> {
        let paging = self.paging.as_ref()?;
        paging.next.as_ref()?;
        paging.cursors.as_ref()?.after.clone()
    }
}

/// A token answer: OAuth code exchanges and long-lived exchanges. Instagram Login's code
/// exchange wraps it in `data` (handled by the caller).
#[derive(Debug, Deserialize)]
pub struct Token {
    pub access_token: String,
    pub expires_in: Option<i64>,
    /// A number on Threads and Instagram, absent on Facebook.
    pub user_id: Option<Value>,
}

impl Token {
    pub fn user_id(&self) -> Option<String> {
        match self.user_id.as_ref()? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// As credentials, the expiry made an instant. The token itself renews (Meta has no
    /// separate refresh token), so there is none.
    pub fn credentials(&self, now_ms: i64) -> Credentials {
        Credentials {
            access_token: self.access_token.clone(),
            refresh_token: None,
            expires_at_ms: self
                .expires_in
                .filter(|s| *s > 0)
                .map(|s| now_ms.saturating_add(s.saturating_mul(1000))),
            extra: Default::default(),
        }
    }
}

/// `/insights` answers: each metric's lifetime value, as `values[0].value` (older metrics) or
/// `total_value.value` (newer ones).
#[derive(Debug, Default, Deserialize)]
pub struct Insights {
    #[serde(default)]
    pub data: Vec<Insight>,
}

#[derive(Debug, Deserialize)]
pub struct Insight {
    pub name: String,
    #[serde(default)]
    pub values: Vec<InsightValue>,
    pub total_value: Option<InsightValue>,
}

#[derive(Debug, Deserialize)]
pub struct InsightValue {
    #[serde(default)]
    pub value: Value,
}

impl Insights {
    pub fn value(&self, name: &str) -> Option<i64> {
        let insight = self.data.iter().find(|i| i.name == name)?;
        insight
            .total_value
            .as_ref()
            .and_then(|v| v.value.as_i64())
            .or_else(|| insight.values.last().and_then(|v| v.value.as_i64()))
    }
}

/// Meta's timestamps as epoch milliseconds: `+0000` offsets (Graph) or RFC 3339.
pub fn instant(text: &str) -> Option<i64> {
    if let Ok(t) = jiff::Timestamp::strptime("%Y-%m-%dT%H:%M:%S%z", text) {
        return Some(t.as_millisecond());
    }
    text.parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_times_read() {
        assert_eq!(instant("2021-07-09T19:09:52+0000"), Some(1_625_857_792_000));
        assert_eq!(instant("2021-07-09T19:09:52Z"), Some(1_625_857_792_000));
        assert_eq!(instant("yesterday"), None);
    }

    #[test]
    fn insights_read_both_shapes() {
        let insights: Insights = serde_json::from_str(
            r#"{"data":[{"name":"views","values":[{"value":8}]},{"name":"reach","total_value":{"value":5}}]}"#,
        )
        .unwrap();
        assert_eq!(insights.value("views"), Some(8));
        assert_eq!(insights.value("reach"), Some(5));
        assert_eq!(insights.value("saved"), None);
    }
}
