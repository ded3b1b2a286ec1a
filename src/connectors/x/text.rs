//! Texts as X gives them back, turned into what their author wrote: links are `t.co` links
//! (the post's `entities.urls` give each one's `expanded_url`), attached media add a link of
//! their own (marked with a `media_key`), and `&`, `<` and `>` come as HTML entities
//! (<https://docs.x.com/x-api/fundamentals/data-dictionary>). Reconciling a publish whose
//! outcome is unknown compares texts in this form.

use unicode_normalization::UnicodeNormalization;

use super::api::Entities;

/// `text` with its links expanded, the media link dropped and entities decoded.
pub fn plain(text: &str, entities: Option<&Entities>) -> String {
    let mut text = text.to_owned();
    for link in entities.map(|e| e.urls.as_slice()).unwrap_or_default() {
        let with = match (&link.media_key, &link.expanded_url) {
            (Some(_), _) => "",
            (None, Some(expanded)) => expanded.as_str(),
            (None, None) => continue,
        };
        text = text.replacen(&link.url, with, 1);
    }
    unescape(text.trim())
}

/// X escapes these three in `text` (and only these).
pub fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A text as compared when reconciling: NFC (X normalises), whitespace collapsed, and
/// without the `@name` mentions X puts at the start of replies.
pub fn comparable(text: &str) -> String {
    let text: String = text.nfc().collect();
    let mut words = text.split_whitespace().peekable();
    while words
        .peek()
        .is_some_and(|w| w.starts_with('@') && w.len() > 1)
    {
        words.next();
    }
    words.collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_comes_back_as_written() {
        let entities: Entities = serde_json::from_value(serde_json::json!({"urls": [
            {"url": "https://t.co/abc", "expanded_url": "https://example.com/a?b=1"},
            {"url": "https://t.co/pic", "expanded_url": "https://x.com/u/status/1/photo/1", "media_key": "3_1"}
        ]}))
        .unwrap();
        assert_eq!(
            plain(
                "Fish &amp; chips https://t.co/abc https://t.co/pic",
                Some(&entities)
            ),
            "Fish & chips https://example.com/a?b=1"
        );
        assert_eq!(unescape("&amp;lt;"), "&lt;");
        assert_eq!(comparable("@bob  @carol hello\n world"), "hello world");
        assert_eq!(comparable("e\u{301}"), "\u{e9}");
    }
}
