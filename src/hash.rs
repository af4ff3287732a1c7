//! A fast, non-cryptographic hasher for the compiler's own maps.
//!
//! Every map flowform fills holds names from the user's own files: logical IDs, item
//! names, path hashes. Tens of thousands of short keys go in for a big stack, and
//! SipHash's resistance to hash flooding buys nothing against one's own input while
//! costing a large share of synthesis and splitting.

use std::hash::{BuildHasherDefault, Hasher};

/// A small multiply-and-fold hasher: each 64-bit word is mixed in with a full 64×64→128-bit
/// multiplication whose halves are folded together (the scheme of foldhash and ahash's
/// fallback). Plain FxHash keeps only the low half, so differences in a word's high bytes
/// never reach the low bits: 10,000 names like `Flow01234Flow` gave 264 collisions of the
/// full 64-bit hash.
#[derive(Debug, Clone, Copy)]
pub struct FastHasher(u64);

impl Default for FastHasher {
    fn default() -> Self {
        // Not zero: a zero state and a zero word would fold to zero.
        FastHasher(0x1319_8a2e_0370_7344)
    }
}

/// An odd constant with well-spread bits (the fractional digits of pi).
const MULTIPLIER: u64 = 0x243f_6a88_85a3_08d3;

/// Builds [`FastHasher`]s: the `S` parameter of the maps that use it.
pub type FastState = BuildHasherDefault<FastHasher>;

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        // The length first: the last word is padded with zeros, and `ab` must not hash
        // like `ab\0`.
        self.write_usize(bytes.len());
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, value: u8) {
        self.write_u64(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        let product = u128::from(self.0 ^ value) * u128::from(MULTIPLIER);
        self.0 = (product as u64) ^ ((product >> 64) as u64);
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::hash::BuildHasher;

    use super::*;

    #[test]
    fn similar_names_hash_apart() {
        // Flow names differ in a digit or two; their logical IDs must still spread.
        let state = FastState::default();
        for pattern in [
            |n| format!("Flow{n:06}Flow"),
            |n| format!("flow-{n}"),
            |n| format!("{n:016}"),
        ] {
            let hashes: HashSet<u64> = (0..100_000).map(|n| state.hash_one(pattern(n))).collect();
            assert_eq!(hashes.len(), 100_000);
        }
        // The buckets a hash table picks (low bits) spread too, not only the full hash.
        let buckets: HashSet<u64> = (0..10_000)
            .map(|n| state.hash_one(format!("Flow{n:05}Flow")) & 0x3fff)
            .collect();
        assert!(buckets.len() > 5_000, "{} of 16,384 buckets used", buckets.len());
    }

    #[test]
    fn a_string_is_not_its_prefix_followed_by_zeros() {
        let state = FastState::default();
        assert_ne!(state.hash_one("ab"), state.hash_one("ab\0"));
        assert_ne!(state.hash_one(("a", "b")), state.hash_one(("ab", "")));
    }
}
