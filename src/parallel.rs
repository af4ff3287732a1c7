//! Work on every core for big inputs: after parsing, flows are independent, and a stack of
//! thousands of flows would otherwise use one of the machine's cores.
//!
//! The work runs on a rayon thread pool of flowform's own (at most [`threads`] threads,
//! so an application's global rayon pool is left as it is configured). The pool starts on
//! the first work big enough to share: below every threshold, as for a file of a few
//! flows, no thread is started.

use std::sync::OnceLock;

use rayon::prelude::*;

/// How many threads to use: the cores the process may use, at most 8. Asked once: on
/// Linux the answer reads the affinity mask and the cgroup's CPU quota files (about a
/// dozen system calls), and a one-flow run asked three times.
pub(crate) fn threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()).min(8))
}

/// The pool, started on first use; `None` on a single core, or if its threads could not
/// be started (then everything runs on the calling thread, as below the thresholds).
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        let threads = threads();
        if threads < 2 {
            return None;
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|index| format!("flowform-{index}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// The pool when `len` items reach `threshold` (and there are at least two), else `None`:
/// the work is then done on the calling thread, and no pool is started for it.
fn pool_for(len: usize, threshold: usize) -> Option<&'static rayon::ThreadPool> {
    if len < threshold.max(2) {
        return None;
    }
    pool()
}

/// `items.into_iter().map(f).collect()`, spread over the pool when there are at least
/// `threshold` items (below that, threads cost more than they save). Order is kept.
pub(crate) fn map_owned<T: Send, R: Send>(items: Vec<T>, threshold: usize, f: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
    match pool_for(items.len(), threshold) {
        Some(pool) => pool.install(|| items.into_par_iter().map(f).collect()),
        None => items.into_iter().map(f).collect(),
    }
}

/// `items` cut into at most `parts` runs of equal length (the last may be shorter), in
/// order.
pub(crate) fn split_owned<T>(items: Vec<T>, parts: usize) -> Vec<Vec<T>> {
    let chunk_size = items.len().div_ceil(parts.max(1)).max(1);
    let mut chunks = Vec::with_capacity(parts);
    let mut remaining = items.into_iter();
    loop {
        let chunk: Vec<T> = remaining.by_ref().take(chunk_size).collect();
        if chunk.is_empty() {
            return chunks;
        }
        chunks.push(chunk);
    }
}

/// `f` of each of the [`threads`] chunks of `items` (one per thread of the pool), in
/// order: on the pool when there are at least `threshold` items, else `f(items)` alone.
/// For work that gathers its own results per chunk (errors, template entries) to be
/// merged after.
pub(crate) fn map_chunks<'t, T: Sync, R: Send>(
    items: &'t [T],
    threshold: usize,
    f: impl Fn(&'t [T]) -> R + Sync + Send,
) -> Vec<R> {
    match pool_for(items.len(), threshold) {
        Some(pool) => pool.install(|| {
            items
                .par_chunks(items.len().div_ceil(pool.current_num_threads()))
                .map(f)
                .collect()
        }),
        None => vec![f(items)],
    }
}

/// `(a(), b())`, both on the pool at once when `parallel`.
pub(crate) fn join<A: Send, B: Send>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    match parallel.then(pool).flatten() {
        Some(pool) => pool.install(|| rayon::join(a, b)),
        None => (a(), b()),
    }
}

/// Runs the jobs on the pool (on the calling thread when there is only one) and returns
/// their results in job order. A job that panics makes this panic too (as the same work
/// done inline would).
pub(crate) fn run_all<R: Send, J: FnOnce() -> R + Send>(jobs: Vec<J>) -> Vec<R> {
    match pool_for(jobs.len(), 2) {
        Some(pool) => pool.install(|| jobs.into_par_iter().map(|job| job()).collect()),
        None => jobs.into_iter().map(|job| job()).collect(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn owned_items_are_mapped_in_order_above_and_below_the_threshold() {
        let items: Vec<String> = (0..1000).map(|i| i.to_string()).collect();
        let lengths: Vec<usize> = items.iter().map(String::len).collect();
        assert_eq!(super::map_owned(items.clone(), 10, |s| s.len()), lengths);
        assert_eq!(super::map_owned(items, 10_000, |s| s.len()), lengths);
    }

    #[test]
    fn owned_splits_cover_every_item_in_order() {
        for (len, parts, expected) in [
            (10, 3, vec![4, 4, 2]),
            (2, 8, vec![1, 1]),
            (0, 2, vec![]),
            (5, 1, vec![5]),
        ] {
            let items: Vec<usize> = (0..len).collect();
            let chunks = super::split_owned(items.clone(), parts);
            assert_eq!(chunks.iter().map(Vec::len).collect::<Vec<_>>(), expected);
            assert_eq!(chunks.concat(), items);
        }
    }

    #[test]
    fn join_returns_both_results_either_way() {
        for parallel in [false, true] {
            assert_eq!(super::join(parallel, || 1, || "b"), (1, "b"));
        }
    }

    #[test]
    fn chunks_cover_every_item_in_order() {
        let items: Vec<u32> = (0..1000).collect();
        for threshold in [10, 10_000] {
            let chunks = super::map_chunks(&items, threshold, |chunk| chunk.to_vec());
            assert_eq!(chunks.concat(), items);
        }
    }

    #[test]
    fn jobs_return_in_order_and_a_panic_reaches_the_caller() {
        let jobs: Vec<_> = (0..20).map(|i| move || i * 2).collect();
        assert_eq!(super::run_all(jobs), (0..20).map(|i| i * 2).collect::<Vec<_>>());
        let panicking: Vec<Box<dyn FnOnce() -> u32 + Send>> = vec![Box::new(|| 1), Box::new(|| panic!("job 2"))];
        let run = std::panic::AssertUnwindSafe(|| super::run_all(panicking));
        assert!(std::panic::catch_unwind(run).is_err());
    }
}
