//! LinkedIn, Instagram and Facebook text rules: plain character limits plus Instagram's
//! hashtag and mention caps, and the simple link, hashtag and mention reading that these
//! networks and Threads share.
//!
//! Counting: UTF-16 code units, what JavaScript's `String.length` gives. None of the three
//! publishes how it counts (`platforms.md`: LinkedIn 3,000 and Instagram 2,200 are second-hand,
//! Facebook's 63,206 unverified), but their composers and the schedulers that post through
//! their APIs count in JavaScript: Buffer documents counting "in UTF-16 code units" on these
//! networks, so that an emoji or a bold Unicode letter counts 2. UTF-16 units are never fewer
//! than code points or graphemes, so a text Herald accepts is never too long by the other
//! counts either.
//!
//! Reading: none of the three publishes its linkifier, so links, hashtags and mentions are
//! found with plain rules (below, each with its tests) rather than a reference suite.

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

use super::bluesky::{is_js_space, is_valid_domain};
use super::{Check, Entity, EntityKind, Network, Problem};

pub const LINKEDIN_MAX: usize = 3000;
pub const INSTAGRAM_MAX: usize = 2200;
pub const FACEBOOK_MAX: usize = 63_206;
pub const INSTAGRAM_MAX_HASHTAGS: usize = 30;
pub const INSTAGRAM_MAX_MENTIONS: usize = 20;
/// Instagram and Threads usernames: at most 30 letters, digits, periods and underscores.
const MAX_USERNAME: usize = 30;

pub fn check(network: Network, text: &str) -> Check {
    let limit = match network {
        Network::Instagram => INSTAGRAM_MAX,
        Network::Facebook => FACEBOOK_MAX,
        _ => LINKEDIN_MAX,
    };
    let name = match network {
        Network::Instagram => "Instagram",
        Network::Facebook => "Facebook",
        _ => "LinkedIn",
    };
    let entities = extract(text);
    let mut problems = Vec::new();
    if text.trim().is_empty() {
        problems.push(empty_problem());
    }
    let (length, over_at) = utf16_length(text, limit);
    if let Some(start) = over_at {
        problems.push(Problem {
            code: "too_long".into(),
            message: format!(
                "{name} allows {limit} characters and this text has {length} (emoji and some \
                 symbols count 2): remove {}.",
                length - limit
            ),
            start,
            end: text.len(),
        });
    }
    if network == Network::Instagram {
        cap_problem(
            &mut problems,
            &entities,
            EntityKind::Hashtag,
            INSTAGRAM_MAX_HASHTAGS,
            "too_many_hashtags",
            "hashtags",
        );
        cap_problem(
            &mut problems,
            &entities,
            EntityKind::Mention,
            INSTAGRAM_MAX_MENTIONS,
            "too_many_mentions",
            "mentions",
        );
    }
    Check {
        network,
        length,
        limit,
        valid: problems.is_empty(),
        entities,
        problems,
    }
}

pub(crate) fn empty_problem() -> Problem {
    Problem {
        code: "empty".into(),
        message: "The post has no text. Write something (a post with only media is possible on \
                  some networks, but Herald checks the text here)."
            .into(),
        start: 0,
        end: 0,
    }
}

/// The UTF-16 length of `text`, and the byte where it first exceeds `limit`.
fn utf16_length(text: &str, limit: usize) -> (usize, Option<usize>) {
    let mut length = 0;
    let mut over_at = None;
    for (i, c) in text.char_indices() {
        length += c.len_utf16();
        if length > limit && over_at.is_none() {
            over_at = Some(i);
        }
    }
    (length, over_at)
}

/// Instagram's caps: a problem over the first entity of `kind` past `max`.
fn cap_problem(
    problems: &mut Vec<Problem>,
    entities: &[Entity],
    kind: EntityKind,
    max: usize,
    code: &str,
    what: &str,
) {
    let of_kind: Vec<&Entity> = entities.iter().filter(|e| e.kind == kind).collect();
    if let Some(first_over) = of_kind.get(max) {
        problems.push(Problem {
            code: code.into(),
            message: format!(
                "Instagram allows {max} {what} in a caption and this one has {}: remove {} \
                 (from {} on).",
                of_kind.len(),
                of_kind.len() - max,
                first_over.text
            ),
            start: first_over.start,
            end: first_over.end,
        });
    }
}

/// Links, hashtags and mentions, ordered by position; a hashtag or mention inside a link is
/// part of the link.
///
/// - Link: `http://` or `https://` (any case) or `www.` and the characters up to the next
///   space, or a bare domain whose last label is a known top-level domain (`example.com/page`);
///   it starts the text or follows a space or an opening bracket or quote; one trailing
///   `.,;:!?'"` and an unbalanced closing bracket are not part of it.
/// - Hashtag: `#` (or the full-width `＃`) after the start, a space or punctuation other than
///   `&#@/`, then letters, digits, marks and `_`, not digits only.
/// - Mention: `@` after the start, a space or punctuation other than `@./_`, then 1 to 30
///   ASCII letters, digits, `.` and `_` (trailing periods left out), not followed by `@`.
pub(crate) fn extract(text: &str) -> Vec<Entity> {
    let mut entities = links(text);
    let mut others = Vec::new();
    let mut pos = 0;
    while let Some(c) = text.get(pos..).and_then(|rest| rest.chars().next()) {
        let found = match c {
            '#' | '＃' => hashtag(text, pos, c.len_utf8()),
            '@' => mention(text, pos),
            _ => None,
        };
        match found {
            Some(entity) => {
                pos = entity.end;
                others.push(entity);
            }
            None => pos += c.len_utf8(),
        }
    }
    others.retain(|e| !entities.iter().any(|l| e.start < l.end && l.start < e.end));
    entities.extend(others);
    entities.sort_by_key(|e| e.start);
    entities
}

fn entity(text: &str, kind: EntityKind, start: usize, end: usize) -> Entity {
    Entity {
        kind,
        text: text[start..end].to_string(),
        start,
        end,
    }
}

fn before(text: &str, pos: usize) -> Option<char> {
    text.get(..pos)?.chars().next_back()
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_mark(c)
}

fn is_mark(c: char) -> bool {
    c.general_category_group() == GeneralCategoryGroup::Mark
}

fn hashtag(text: &str, start: usize, sign_len: usize) -> Option<Entity> {
    if before(text, start).is_some_and(|c| is_word(c) || "&#@/".contains(c)) {
        return None;
    }
    let body = &text[start + sign_len..];
    let len = body.find(|c: char| !is_word(c)).unwrap_or(body.len());
    let tag = &body[..len];
    if tag.is_empty() || tag.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(entity(
        text,
        EntityKind::Hashtag,
        start,
        start + sign_len + len,
    ))
}

fn mention(text: &str, start: usize) -> Option<Entity> {
    if before(text, start).is_some_and(|c| is_word(c) || "@./".contains(c)) {
        return None;
    }
    let body = &text[start + 1..];
    let run = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
        .unwrap_or(body.len());
    if body[run..].starts_with('@') || body[run..].starts_with(is_word) {
        return None; // an address, or a name in letters the networks do not allow
    }
    let name = body[..run].trim_end_matches('.');
    if name.is_empty() || name.len() > MAX_USERNAME {
        return None;
    }
    Some(entity(
        text,
        EntityKind::Mention,
        start,
        start + 1 + name.len(),
    ))
}

fn links(text: &str) -> Vec<Entity> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(c) = text.get(pos..).and_then(|rest| rest.chars().next()) {
        let opens = before(text, pos).is_none_or(|b| is_js_space(b) || "([{<\"'«“‘".contains(b));
        if opens
            && c.is_ascii_alphanumeric()
            && let Some(end) = link_at(text, pos)
        {
            out.push(entity(text, EntityKind::Url, pos, end));
            pos = end;
            continue;
        }
        pos += c.len_utf8();
    }
    out
}

/// The end of the link starting at `start`, if one does.
fn link_at(text: &str, start: usize) -> Option<usize> {
    let rest = &text[start..];
    let run = rest.find(is_js_space).unwrap_or(rest.len());
    let word = &rest[..run];
    let has_prefix = |p: &str| {
        word.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    };
    let mut end = if let Some(scheme) = ["https://", "http://", "www."]
        .into_iter()
        .find(|p| has_prefix(p))
    {
        if word.len() == scheme.len() {
            return None;
        }
        run
    } else {
        // A bare domain: labels of letters, digits and hyphens, then `/`, `?`, `#`, `:` or the
        // end of the word; the last label a known top-level domain.
        let host_len = word
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
            .unwrap_or(word.len());
        let host = word[..host_len].trim_end_matches('.');
        let after = &word[host.len()..];
        let separated = after.is_empty()
            || after.starts_with(['/', '?', '#', ':'])
            || after.starts_with(|c: char| !c.is_alphanumeric() && c != '@' && c != '_');
        if !separated
            || host.split('.').any(str::is_empty)
            || !is_valid_domain(&host.to_ascii_lowercase())
        {
            return None;
        }
        if after.starts_with(['/', '?', '#', ':']) {
            run
        } else {
            host.len()
        }
    };
    // Trailing punctuation belongs to the sentence, and a closing bracket to the text unless
    // the link opened it.
    loop {
        let link = &rest[..end];
        let last = link.chars().next_back()?;
        let unbalanced = |open: char| link.matches(open).count() < link.matches(last).count();
        let strip = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | '…' | '”' | '’' | '»' => true,
            ')' => unbalanced('('),
            ']' => unbalanced('['),
            '}' => unbalanced('{'),
            '>' => unbalanced('<'),
            _ => false,
        };
        if !strip {
            break;
        }
        end -= last.len_utf8();
    }
    (end > 0).then_some(start + end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(EntityKind, &str)> {
        extract(text)
            .into_iter()
            .map(|e| (e.kind, &text[e.start..e.end]))
            .collect()
    }

    #[test]
    fn links() {
        assert_eq!(
            found("see https://example.com/a?b=1. and (www.x.org/y) or bsky.app!"),
            vec![
                (EntityKind::Url, "https://example.com/a?b=1"),
                (EntityKind::Url, "www.x.org/y"),
                (EntityKind::Url, "bsky.app"),
            ]
        );
        assert_eq!(
            found("HTTPS://EXAMPLE.COM/X"),
            vec![(EntityKind::Url, "HTTPS://EXAMPLE.COM/X")]
        );
        assert_eq!(
            found("https://en.wikipedia.org/wiki/Rust_(language)"),
            vec![(
                EntityKind::Url,
                "https://en.wikipedia.org/wiki/Rust_(language)"
            )]
        );
        assert!(found("file.jpg e.g. a..b me@example.com https:// x.com_y").is_empty());
        assert_eq!(
            found("Example.COM/page"),
            vec![(EntityKind::Url, "Example.COM/page")]
        );
    }

    #[test]
    fn hashtags() {
        assert_eq!(
            found("#rust, #été #日本 #a_b #123 #1a a#b &#39; #"),
            vec![
                (EntityKind::Hashtag, "#rust"),
                (EntityKind::Hashtag, "#été"),
                (EntityKind::Hashtag, "#日本"),
                (EntityKind::Hashtag, "#a_b"),
                (EntityKind::Hashtag, "#1a"),
            ]
        );
        assert_eq!(found("(#tag)"), vec![(EntityKind::Hashtag, "#tag")]);
        assert_eq!(found("＃tag"), vec![(EntityKind::Hashtag, "＃tag")]);
    }

    #[test]
    fn mentions() {
        assert_eq!(
            found("hi @alice.b_c. and @bob, not me@x.com nor @a@b nor @ nor @élodie"),
            vec![
                (EntityKind::Mention, "@alice.b_c"),
                (EntityKind::Mention, "@bob"),
            ]
        );
        let long = format!("@{}", "a".repeat(31));
        assert!(found(&long).is_empty());
    }

    #[test]
    fn tags_inside_links_belong_to_the_link() {
        assert_eq!(
            found("https://x.com/#frag https://x.com/@me"),
            vec![
                (EntityKind::Url, "https://x.com/#frag"),
                (EntityKind::Url, "https://x.com/@me"),
            ]
        );
    }

    #[test]
    fn limits_in_utf16_units() {
        let ok = "a".repeat(3000);
        assert!(check(Network::Linkedin, &ok).valid);
        let c = check(Network::Linkedin, &format!("{ok}a"));
        assert_eq!(c.problems[0].code, "too_long");
        assert_eq!(c.problems[0].start, 3000);
        // An emoji counts 2.
        let c = check(Network::Instagram, &format!("{}😀", "a".repeat(2199)));
        assert_eq!(c.length, 2201);
        assert!(!c.valid);
        assert_eq!(c.problems[0].start, 2199);
        assert_eq!(check(Network::Facebook, "x").limit, 63_206);
    }

    #[test]
    fn instagram_caps() {
        let tags: Vec<String> = (0..31).map(|i| format!("#t{i}")).collect();
        let text = tags.join(" ");
        let c = check(Network::Instagram, &text);
        assert_eq!(c.problems.len(), 1);
        assert_eq!(c.problems[0].code, "too_many_hashtags");
        assert_eq!(&text[c.problems[0].start..c.problems[0].end], "#t30");
        // LinkedIn has no such cap.
        assert!(check(Network::Linkedin, &text).valid);

        let mentions: Vec<String> = (0..21).map(|i| format!("@u{i}")).collect();
        let text = mentions.join(" ");
        let c = check(Network::Instagram, &text);
        assert_eq!(c.problems[0].code, "too_many_mentions");
        assert_eq!(&text[c.problems[0].start..c.problems[0].end], "@u20");
        assert!(check(Network::Instagram, &mentions[..20].join(" ")).valid);
    }

    #[test]
    fn empty() {
        assert_eq!(check(Network::Facebook, "  ").problems[0].code, "empty");
    }

    #[test]
    fn no_panic_on_odd_text() {
        for text in [
            "",
            "#",
            "@",
            "＃",
            "\u{301}#\u{301}",
            "a.",
            "www.",
            "http://",
            "(((",
            ".com",
            "x.com.",
            "مرحبا #سلام @x_y",
            "👨‍👩‍👧‍👧#👍🏽 🇫🇷 @\u{200d}",
        ] {
            for network in [Network::Linkedin, Network::Instagram, Network::Facebook] {
                for e in check(network, text).entities {
                    assert_eq!(e.text, &text[e.start..e.end]);
                }
            }
        }
    }
}
