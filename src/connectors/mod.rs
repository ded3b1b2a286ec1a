//! The only code that talks to other hosts. For now: the SSRF guard every outbound request
//! to a user-supplied address goes through, and link previews. The per-network connectors
//! arrive with the connectors issue.

pub mod link_preview;
pub mod ssrf;
