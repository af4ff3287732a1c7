//! The hasher of the compiler's own maps: foldhash's fast, fixed-seed one.
//!
//! Every map flowform fills holds names from the user's own files: logical IDs, item
//! names, path hashes. Tens of thousands of short keys go in for a big stack, and
//! SipHash's resistance to hash flooding buys nothing against one's own input while
//! costing a large share of synthesis and splitting. The seed is fixed so that nothing
//! can depend on a per-run random state (output order never depends on hashing anyway:
//! maps that are written out keep insertion order or are sorted).

/// Builds the hashers of the maps that use it (`foldhash`, already built for `indexmap`).
pub type FastState = foldhash::fast::FixedState;

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::hash::BuildHasher;

    use super::FastState;

    #[test]
    fn logical_ids_that_differ_in_their_high_bytes_do_not_collide() {
        let state = FastState::default();
        let hashes: HashSet<u64> = (0..10_000).map(|i| state.hash_one(format!("Flow{i:05}Flow"))).collect();
        assert_eq!(hashes.len(), 10_000);
    }

    #[test]
    fn the_same_key_hashes_the_same_in_every_map() {
        assert_eq!(
            FastState::default().hash_one("AccountsFlow"),
            FastState::default().hash_one("AccountsFlow")
        );
    }
}
