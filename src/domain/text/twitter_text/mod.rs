//! Entity extraction as twitter-text 3.1 (the reference library X publishes) does it: links
//! (with or without a protocol), hashtags, mentions and lists, cashtags; and its checks of a
//! single entity. X uses all of it; Mastodon uses the link extraction with a protocol
//! required, as Mastodon's own length validator does.
//!
//! Written here rather than taken from the `twitter-text` crate (0.3.1): that crate passes
//! the conformance suites but panics on ordinary input (`"é=@"` slices inside a character in
//! its nom parser), and pulls a pinned `cxx`, `pest` and `nom`. The rules below follow
//! twitter-text's JavaScript sources expression by expression; the conformance suites in
//! `tests/it/conformance_x.rs` hold them to it.
//!
//! Offsets are UTF-8 byte offsets into the text given. Pure functions: no allocation beyond
//! the results, except a few small caches inside one call.

mod chars;
mod tags;
mod tlds;
mod urls;
mod validate;

pub use tags::{
    extract_cashtags, extract_hashtags, extract_mentions, extract_mentions_or_lists, extract_reply,
};
pub use urls::extract_urls;
pub use validate::{is_valid_hashtag, is_valid_list, is_valid_url, is_valid_username};

pub(crate) use chars::{is_invalid, is_latin_accent};

/// A hashtag, mention (or list) or cashtag found in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extracted<'a> {
    /// Without its sign: `tag` for `#tag`, `user` for `@user/list`.
    pub value: &'a str,
    /// `/list` for `@user/list`, else empty.
    pub list_slug: &'a str,
    /// Byte range of the whole entity, sign and list included.
    pub start: usize,
    pub end: usize,
}

/// twitter-text's `removeOverlappingEntities`: sorted by start (stably, so earlier kinds win
/// ties), each entity that begins before the previous kept one ends is dropped.
pub(crate) fn remove_overlapping<T>(items: &mut Vec<T>, range: impl Fn(&T) -> (usize, usize)) {
    items.sort_by_key(|item| range(item).0);
    let mut kept_end = None;
    items.retain(|item| {
        let (start, end) = range(item);
        if kept_end.is_some_and(|e| e > start) {
            return false;
        }
        kept_end = Some(end);
        true
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_removal_keeps_the_first() {
        let mut items = vec![(5, 9), (0, 6), (6, 8), (9, 10)];
        remove_overlapping(&mut items, |r| *r);
        assert_eq!(items, [(0, 6), (6, 8), (9, 10)]);
    }
}
