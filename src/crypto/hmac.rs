//! HMAC-SHA256 (RFC 2104): Meta's `appsecret_proof`, the signed addresses of link-preview
//! images, test tokens. Written on the `sha2` Herald already uses: the `hmac` crate in the
//! lock file is the 0.13 line, built on `sha2` 0.11's traits, not the 0.10 Herald has; twenty
//! lines checked against RFC 4231's vectors below.

use sha2::{Digest, Sha256};

const BLOCK: usize = 64;

pub fn sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    let outer = Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize();
    outer.into()
}

/// The HMAC in hex.
pub fn sha256_hex(key: &[u8], message: &[u8]) -> String {
    hex::encode(sha256(key, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_4231_vectors() {
        // Test case 2: a short key.
        assert_eq!(
            sha256_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than the block, hashed first.
        assert_eq!(
            sha256_hex(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            ),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }
}
