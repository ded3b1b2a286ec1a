//! Password hashing, random tokens and encryption of secrets at rest.

pub mod hmac;
pub mod master_key;
pub mod password;
pub mod secret_box;
pub mod token;

pub use master_key::MasterKey;
pub use secret_box::SecretBox;
