//! twitter-text's checks of one entity on its own: `isValidUsername`, `isValidList`,
//! `isValidHashtag` and `isValidUrl`. The URL check is RFC 3986 grammar in twitter-text's
//! regular expressions; they need no look-around, so the `regex` crate runs them as they are
//! (its leftmost-first matching gives the same first match as JavaScript, which the check
//! compares with the whole input).

use std::sync::LazyLock;

use regex::Regex;

use super::tags::{extract_hashtags, extract_mentions};

/// `@name`, and nothing else, is a mention twitter-text would extract.
pub fn is_valid_username(text: &str) -> bool {
    let mentions = extract_mentions(text);
    mentions.len() == 1 && Some(mentions[0].value) == strip_first_char(text)
}

/// `@name/list-slug`, and nothing else.
pub fn is_valid_list(text: &str) -> bool {
    let rest = if let Some(rest) = text.strip_prefix('@') {
        rest
    } else if let Some(rest) = text.strip_prefix('＠') {
        rest
    } else {
        return false;
    };
    let b = rest.as_bytes();
    let name = b
        .iter()
        .take(20)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count();
    if name == 0
        || b.get(name) != Some(&b'/')
        || !b.get(name + 1).is_some_and(u8::is_ascii_alphabetic)
    {
        return false;
    }
    let slug = b[name + 2..]
        .iter()
        .take(24)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'-')
        .count();
    name + 2 + slug == b.len()
}

/// `#tag`, and nothing else, is a hashtag twitter-text would extract.
pub fn is_valid_hashtag(text: &str) -> bool {
    let tags = extract_hashtags(text, true);
    tags.len() == 1 && Some(tags[0].value) == strip_first_char(text)
}

fn strip_first_char(text: &str) -> Option<&str> {
    let mut chars = text.chars();
    chars.next()?;
    Some(chars.as_str())
}

const UNRESERVED: &str = r"[a-z\x{400}-\x{4ff}0-9\-._~]";
const PCT_ENCODED: &str = r"%[0-9a-f]{2}";
const SUB_DELIMS: &str = r"[!$&'()*+,;=]";

/// The patterns are constants (the tests below compile each); were one to fail, the checks
/// would answer "not valid" rather than panic.
fn regex(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

static UNENCODED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    regex(
        r"(?i)^(?:([^:/?#]+)://)?([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#([^\n\r\x{2028}\x{2029}]*))?$",
    )
});
static SCHEME: LazyLock<Option<Regex>> = LazyLock::new(|| regex(r"(?i)[a-z][a-z0-9+\-.]*"));
static PATH: LazyLock<Option<Regex>> = LazyLock::new(|| regex(&format!("(?i)(/{}*)*", pchar())));
static QUERY_OR_FRAGMENT: LazyLock<Option<Regex>> =
    LazyLock::new(|| regex(&format!(r"(?i)({}|/|\?)*", pchar())));
static UNICODE_AUTHORITY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let userinfo = format!("(?:{UNRESERVED}|{PCT_ENCODED}|{SUB_DELIMS}|:)*");
    let dec_octet = r"(?:[0-9]|(?:[1-9][0-9])|(?:1[0-9]{2})|(?:2[0-4][0-9])|(?:25[0-5]))";
    let ipv4 = format!(r"(?:{dec_octet}(?:\.{dec_octet}){{3}})");
    let ipv6 = r"(?:\[[a-f0-9:\.]+\])";
    let non_ascii = r"[^\x00-\x7f]";
    let sub_segment = format!(
        r"(?:(?:[a-z0-9]|{non_ascii})(?:(?:[a-z0-9_\-]|{non_ascii})*(?:[a-z0-9]|{non_ascii}))?)"
    );
    let segment = format!(
        r"(?:(?:[a-z0-9]|{non_ascii})(?:(?:[a-z0-9\-]|{non_ascii})*(?:[a-z0-9]|{non_ascii}))?)"
    );
    let tld = format!(
        r"(?:(?:[a-z]|{non_ascii})(?:(?:[a-z0-9\-]|{non_ascii})*(?:[a-z0-9]|{non_ascii}))?)"
    );
    let domain = format!(r"(?:(?:{sub_segment}\.)*(?:{segment}\.){tld})");
    regex(&format!(
        r"(?i)(?:({userinfo})@)?((?:{ipv4}|{ipv6})|{domain})(?::([0-9]{{1,5}}))?"
    ))
});

fn pchar() -> String {
    format!("(?:{UNRESERVED}|{PCT_ENCODED}|{SUB_DELIMS}|[:|@])")
}

/// JavaScript's `string.match(regex)[0] === string`: the first match is the whole input.
fn first_match_is_whole(re: &Option<Regex>, s: &str) -> bool {
    re.as_ref()
        .and_then(|re| re.find(s))
        .is_some_and(|m| m.start() == 0 && m.end() == s.len())
}

/// twitter-text's `isValidUrl(url, unicodeDomains = true, requireProtocol)`.
pub fn is_valid_url(url: &str, require_protocol: bool) -> bool {
    if url.is_empty() {
        return false;
    }
    let Some(parts) = UNENCODED.as_ref().and_then(|re| re.captures(url)) else {
        return false;
    };
    let scheme = parts.get(1).map(|m| m.as_str());
    let authority = parts.get(2).map_or("", |m| m.as_str());
    let path = parts.get(3).map_or("", |m| m.as_str());
    let query = parts.get(4).map(|m| m.as_str());
    let fragment = parts.get(5).map(|m| m.as_str());
    if require_protocol {
        let Some(scheme) = scheme else {
            return false;
        };
        if !first_match_is_whole(&SCHEME, scheme)
            || !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
        {
            return false;
        }
    }
    let optional_ok = |part: Option<&str>| {
        part.is_none_or(|p| p.is_empty() || first_match_is_whole(&QUERY_OR_FRAGMENT, p))
    };
    first_match_is_whole(&PATH, path)
        && optional_ok(query)
        && optional_ok(fragment)
        && first_match_is_whole(&UNICODE_AUTHORITY, authority)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_checks() {
        for re in [
            &UNENCODED,
            &SCHEME,
            &PATH,
            &QUERY_OR_FRAGMENT,
            &UNICODE_AUTHORITY,
        ] {
            assert!(re.is_some());
        }
        assert!(is_valid_username("@user_1") && !is_valid_username("@a-b"));
        assert!(is_valid_list("@user/list") && !is_valid_list("@user/") && !is_valid_list(" @u/l"));
        assert!(is_valid_hashtag("#tag") && !is_valid_hashtag("#123"));
        assert!(is_valid_url("http://example.com/a?b=c#d", true));
        assert!(is_valid_url(
            "http://[3ffe:1900:4545:3:200:f8ff:fe21:67cf]:80/i",
            true
        ));
        assert!(!is_valid_url("ftp://example.com", true));
        assert!(!is_valid_url("http://256.1.2.3/", true));
        assert!(is_valid_url("example.com", false) && !is_valid_url("", false));
    }
}
