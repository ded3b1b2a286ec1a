//! What a network answered during one publish, kept with the attempt (DESIGN.md: "each try
//! ... recorded with the network's raw answer"). A task-local, so connectors need not pass a
//! recorder through every call: `Http::send` appends when one is in scope.

use std::cell::RefCell;

use serde::Serialize;

/// Enough to read what went wrong; a network's publish answers are far smaller.
const MAX_BODY_CHARS: usize = 4_000;
const MAX_EXCHANGES: usize = 32;

/// One request and its answer. The query string is left out: some networks take the token
/// there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Exchange {
    pub method: String,
    pub url: String,
    pub status: u16,
    pub body: String,
}

tokio::task_local! {
    static TRANSCRIPT: RefCell<Vec<Exchange>>;
}

/// Runs `work` and returns what it produced with the exchanges it had.
pub async fn recorded<F: Future>(work: F) -> (F::Output, Vec<Exchange>) {
    TRANSCRIPT
        .scope(RefCell::new(Vec::new()), async {
            let out = work.await;
            let exchanges = TRANSCRIPT.with(|t| t.take());
            (out, exchanges)
        })
        .await
}

/// Notes one exchange, when a recording is in scope.
pub(crate) fn note(method: &str, url: &url::Url, status: u16, body: &[u8]) {
    let _ = TRANSCRIPT.try_with(|t| {
        let mut t = t.borrow_mut();
        if t.len() >= MAX_EXCHANGES {
            return;
        }
        let mut url = url.clone();
        url.set_query(None);
        let text = String::from_utf8_lossy(body);
        let body = match text.char_indices().nth(MAX_BODY_CHARS) {
            Some((cut, _)) => format!("{}…", &text[..cut]),
            None => text.into_owned(),
        };
        t.push(Exchange {
            method: method.to_owned(),
            url: url.to_string(),
            status,
            body,
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn exchanges_are_kept_only_inside_a_recording() {
        let url = url::Url::parse("https://x.example/2/tweets?access_token=secret").unwrap();
        note("POST", &url, 201, b"outside");
        let ((), kept) = recorded(async {
            note("POST", &url, 201, "é".repeat(5_000).as_bytes());
        })
        .await;
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].url, "https://x.example/2/tweets");
        assert_eq!(kept[0].body.chars().count(), MAX_BODY_CHARS + 1);
    }
}
