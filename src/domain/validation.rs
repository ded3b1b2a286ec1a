use serde::Serialize;

/// One problem with one input field, named as the client sent it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Collects every problem with an input before anything is stored.
#[derive(Debug, Default)]
pub struct Validation(Vec<FieldError>);

impl Validation {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    pub fn check(&mut self, ok: bool, field: &str, message: &str) {
        if !ok {
            self.add(field, message);
        }
    }

    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

/// Trims and checks a one-line name: not empty, not too long, no control characters.
pub fn clean_name(v: &mut Validation, field: &str, raw: &str, max_chars: usize) -> String {
    let name = raw.trim().to_owned();
    if name.is_empty() {
        v.add(field, "must not be empty");
    } else if name.chars().count() > max_chars {
        v.add(field, format!("must be at most {max_chars} characters"));
    } else if name.chars().any(char::is_control) {
        v.add(field, "must not contain control characters");
    }
    name
}

/// Checks free text (notes, brand voice): bounded length, no NUL or other control
/// characters except line breaks and tabs.
pub fn clean_text(v: &mut Validation, field: &str, raw: &str, max_chars: usize) -> String {
    let text = raw.trim().replace("\r\n", "\n");
    if text.chars().count() > max_chars {
        v.add(field, format!("must be at most {max_chars} characters"));
    } else if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        v.add(field, "must not contain control characters");
    }
    text
}

/// Validates an IANA time zone name against the bundled or system database.
pub fn check_time_zone(v: &mut Validation, field: &str, raw: &str) -> String {
    let name = raw.trim();
    if name.is_empty() {
        v.add(
            field,
            "must not be empty; use an IANA name such as Europe/Paris",
        );
    } else if name.len() > 64 {
        // No zone name is this long; a flood is not worth repeating back.
        v.add(
            field,
            "is not an IANA time zone; use a name such as Europe/Paris or UTC",
        );
    } else if jiff::tz::TimeZone::get(name).is_err() {
        v.add(
            field,
            format!("{name:?} is not an IANA time zone; use a name such as Europe/Paris or UTC"),
        );
    }
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zones_are_checked() {
        let mut v = Validation::new();
        check_time_zone(&mut v, "time_zone", "Europe/Paris");
        check_time_zone(&mut v, "time_zone", "America/Argentina/Buenos_Aires");
        assert!(v.finish().is_ok());
        let mut v = Validation::new();
        check_time_zone(&mut v, "time_zone", "Mars/Olympus");
        check_time_zone(&mut v, "time_zone", "");
        check_time_zone(&mut v, "time_zone", &"Europe/".repeat(2_000));
        let errors = v.finish().unwrap_err();
        assert_eq!(errors.len(), 3);
        assert!(
            errors[2].message.len() < 100,
            "not echoed: {}",
            errors[2].message
        );
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        let mut v = Validation::new();
        assert_eq!(clean_name(&mut v, "name", "  Acme  ", 10), "Acme");
        assert!(v.finish().is_ok());
        let mut v = Validation::new();
        clean_name(&mut v, "name", "   ", 10);
        clean_name(&mut v, "name", &"é".repeat(11), 10);
        clean_name(&mut v, "name", "a\u{0}b", 10);
        assert_eq!(v.finish().unwrap_err().len(), 3);
    }
}
