//! Small pure helpers for what pages show: times in a named zone, browsers, safe redirects.

/// `26 Nov 2026, 14:05 Europe/Paris`: an instant in the zone people work in, with the zone
/// named so nobody has to guess.
pub fn when(ms: i64, time_zone: &str) -> String {
    let zoned = jiff::Timestamp::from_millisecond(ms)
        .map_err(|e| e.to_string())
        .and_then(|t| t.in_tz(time_zone).map_err(|e| e.to_string()));
    match zoned {
        Ok(z) => format!("{} {time_zone}", z.strftime("%-d %b %Y, %H:%M")),
        Err(_) => "unknown".to_owned(),
    }
}

/// Account pages are not in any workspace: they show UTC, labelled.
pub fn when_utc(ms: i64) -> String {
    when(ms, "UTC")
}

/// "Firefox on Linux" from a User-Agent header; good enough to recognise one's devices.
pub fn browser_summary(user_agent: &str) -> String {
    // Order matters: Edge and Opera also claim Chrome, Chrome also claims Safari.
    let browsers = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ];
    let systems = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ];
    let browser = browsers
        .iter()
        .find(|(k, _)| user_agent.contains(k))
        .map(|(_, v)| *v);
    let system = systems
        .iter()
        .find(|(k, _)| user_agent.contains(k))
        .map(|(_, v)| *v);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(s)) => format!("A browser on {s}"),
        (None, None) if user_agent.trim().is_empty() || user_agent == "unknown" => {
            "Unknown device".to_owned()
        }
        (None, None) => user_agent.chars().take(60).collect(),
    }
}

/// Where to go after logging in: only a path on this site, never `//evil.example` or
/// `/\evil.example` (which browsers treat as another host), else the home page.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control) =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// Common IANA zones for the time zone field's suggestions; any other valid name is accepted
/// too (jiff cannot list the database portably, and a full list is unusable anyway).
pub const COMMON_ZONES: &[&str] = &[
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Amsterdam",
    "Europe/Berlin",
    "Europe/Zurich",
    "Europe/Vienna",
    "Europe/Rome",
    "Europe/Madrid",
    "Europe/Stockholm",
    "Europe/Oslo",
    "Europe/Copenhagen",
    "Europe/Helsinki",
    "Europe/Warsaw",
    "Europe/Prague",
    "Europe/Budapest",
    "Europe/Athens",
    "Europe/Bucharest",
    "Europe/Istanbul",
    "Europe/Kyiv",
    "Europe/Moscow",
    "Africa/Casablanca",
    "Africa/Lagos",
    "Africa/Cairo",
    "Africa/Nairobi",
    "Africa/Johannesburg",
    "America/St_Johns",
    "America/Halifax",
    "America/New_York",
    "America/Toronto",
    "America/Chicago",
    "America/Mexico_City",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Vancouver",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Bogota",
    "America/Lima",
    "America/Santiago",
    "America/Argentina/Buenos_Aires",
    "America/Sao_Paulo",
    "Asia/Dubai",
    "Asia/Tehran",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Singapore",
    "Asia/Hong_Kong",
    "Asia/Shanghai",
    "Asia/Taipei",
    "Asia/Manila",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Australia/Perth",
    "Australia/Adelaide",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Auckland",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_name_their_zone() {
        // 2026-11-26T13:05:00Z
        let ms = 1_795_698_300_000;
        assert_eq!(when(ms, "Europe/Paris"), "26 Nov 2026, 14:05 Europe/Paris");
        assert_eq!(when_utc(ms), "26 Nov 2026, 13:05 UTC");
        assert_eq!(when(ms, "Nowhere/Else"), "unknown");
    }

    #[test]
    fn browsers_are_summarised() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0 Safari/537.36";
        assert_eq!(browser_summary(chrome), "Chrome on Linux");
        let firefox =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0";
        assert_eq!(browser_summary(firefox), "Firefox on Windows");
        assert_eq!(browser_summary("unknown"), "Unknown device");
    }

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/w/1/settings?x=1")), "/w/1/settings?x=1");
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "",
            "/a\nb",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
