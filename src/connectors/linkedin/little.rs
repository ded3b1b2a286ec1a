//! LinkedIn's "little" text format for a post's `commentary`
//! (<https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/little-text-format>):
//! `| { } @ [ ] ( ) < > # \ * _ ~` are reserved and must be escaped with a backslash, even
//! outside an element, or LinkedIn may cut the text at the first one (a plain `(` is the
//! usual victim). `#word` is kept as is: it is little's hashtag element.

const RESERVED: &[char] = &[
    '\\', '|', '{', '}', '@', '[', ']', '(', ')', '<', '>', '#', '*', '_', '~',
];

/// Plain text as `commentary`: every reserved character escaped, hashtags kept.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let hashtag = c == '#' && chars.peek().is_some_and(|n| n.is_alphanumeric());
        if RESERVED.contains(&c) && !hashtag {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `commentary` as people read it: escapes removed, `{hashtag|#|tag}` as `#tag`, a
/// mention `@[Name](urn:li:...)` as `Name`.
pub fn to_plain(little: &str) -> String {
    let mut out = String::with_capacity(little.len());
    let mut rest = little;
    while let Some(c) = rest.chars().next() {
        if c == '\\' {
            let escaped = rest[1..].chars().next();
            if let Some(e) = escaped {
                out.push(e);
                rest = &rest[1 + e.len_utf8()..];
            } else {
                rest = &rest[1..];
            }
            continue;
        }
        if let Some((shown, len)) = hashtag(rest).or_else(|| mention(rest)) {
            out.push_str(&shown);
            rest = &rest[len..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `{hashtag|#|tag}` (the sign may be escaped) → `#tag`, with the length read.
fn hashtag(text: &str) -> Option<(String, usize)> {
    let inner = text.strip_prefix("{hashtag|")?;
    let end = inner.find('}')?;
    let (sign, tag) = inner[..end].split_once('|')?;
    Some((
        format!("{}{tag}", sign.trim_start_matches('\\')),
        "{hashtag|".len() + end + 1,
    ))
}

/// `@[Name](urn:li:...)` → `Name`.
fn mention(text: &str) -> Option<(String, usize)> {
    let inner = text.strip_prefix("@[")?;
    let close = inner.find("](")?;
    let end = inner[close..].find(')')? + close;
    Some((inner[..close].to_owned(), 2 + end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_characters_round_trip() {
        let text = "Launch (beta) at 10:00 <3 #rust #, a_b ~ @home";
        let little = escape(text);
        assert_eq!(
            little,
            r"Launch \(beta\) at 10:00 \<3 #rust \#, a\_b \~ \@home"
        );
        assert_eq!(to_plain(&little), text);
        assert_eq!(
            to_plain(r"Hi @[Acme Corp](urn:li:organization:1) {hashtag|\#|Tech}"),
            "Hi Acme Corp #Tech"
        );
    }
}
