//! The recorded responses in `../shared/fixtures/` (beside the clone in CI). Where the folder
//! is absent these tests say so and skip, except under CI (`CI` or `HERALD_REQUIRE_FIXTURES`
//! set), where they must run.

use std::path::PathBuf;

/// The shared fixtures folder, or `None` (with a note on stderr) when it is absent outside CI.
pub fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() || std::env::var_os("HERALD_REQUIRE_FIXTURES").is_some() {
        panic!("{} is missing, and CI must replay it", dir.display());
    }
    eprintln!("skipped: {} is absent", dir.display());
    None
}

/// A fixture's body as JSON (`network/name.json`).
pub fn json(network: &str, name: &str) -> Option<serde_json::Value> {
    let path = shared()?.join(network).join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Some(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// A project fixture (`tests/fixtures/connectors/...`), always present.
pub fn own(name: &str) -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/connectors")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
