//! Filled in by the media rules work.
