//! Rules for accounts: email shape and password strength.

use super::Validation;

pub const MIN_PASSWORD_CHARS: usize = 10;
/// argon2 hashes any length, but an unbounded input is a cheap denial of service.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Normalises and checks an email address. Only the shape is checked; delivery proves the rest.
pub fn clean_email(v: &mut Validation, field: &str, raw: &str) -> String {
    let email = raw.trim().to_lowercase();
    let valid_shape = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    };
    if email.is_empty() {
        v.add(field, "must not be empty");
    } else if email.len() > 254 {
        v.add(field, "must be at most 254 characters");
    } else if !valid_shape || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        v.add(field, "is not an email address (expected name@example.com)");
    }
    email
}

/// Refuses passwords that are short, very repetitive or on the list of the most common ones.
pub fn check_password(v: &mut Validation, field: &str, password: &str, email: &str) {
    let chars = password.chars().count();
    let distinct = {
        let mut seen: Vec<char> = password.chars().collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    };
    let lower = password.to_lowercase();
    if chars < MIN_PASSWORD_CHARS {
        v.add(
            field,
            format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        );
    } else if password.len() > MAX_PASSWORD_BYTES {
        v.add(field, format!("must be at most {MAX_PASSWORD_BYTES} bytes"));
    } else if distinct < 5 {
        v.add(
            field,
            "is too repetitive; use at least 5 different characters",
        );
    } else if COMMON_PASSWORDS.iter().any(|p| lower.contains(p)) {
        v.add(
            field,
            "is too common; choose a password that is not a well-known one",
        );
    } else if !email.is_empty()
        && lower.contains(email.split('@').next().unwrap_or(email))
        && email.split('@').next().is_some_and(|l| l.len() >= 4)
    {
        v.add(field, "must not contain your email address");
    }
}

/// A short list of the passwords attackers try first (from public breach top lists).
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "123456789",
    "qwertyuiop",
    "1q2w3e4r",
    "iloveyou",
    "letmein",
    "welcome1",
    "abc123456",
    "passw0rd",
    "admin123",
    "football",
    "baseball",
    "sunshine",
    "princess",
    "dragon123",
    "trustno1",
    "monkey123",
    "starwars",
    "whatever1",
    "asdfghjkl",
    "zxcvbnm",
    "changeme",
    "qazwsx",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn password_ok(p: &str) -> bool {
        let mut v = Validation::new();
        check_password(&mut v, "password", p, "alice@example.com");
        v.finish().is_ok()
    }

    #[test]
    fn weak_passwords_are_refused() {
        assert!(!password_ok("short"));
        assert!(!password_ok("aaaaaaaaaaaa"));
        assert!(!password_ok("MyPassword2024"));
        assert!(!password_ok("alice-is-great-1"));
        assert!(password_ok("correct horse battery"));
        assert!(password_ok("Zürich 🏔️ mornings"));
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        let mut v = Validation::new();
        assert_eq!(
            clean_email(&mut v, "email", " Alice@Example.COM "),
            "alice@example.com"
        );
        assert!(v.finish().is_ok());
        for bad in [
            "",
            "alice",
            "alice@",
            "@example.com",
            "a@b",
            "a b@example.com",
            "a@@b.com",
        ] {
            let mut v = Validation::new();
            clean_email(&mut v, "email", bad);
            assert!(v.finish().is_err(), "{bad:?} accepted");
        }
    }
}
