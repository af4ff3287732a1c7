//! Work on every core for big inputs: after parsing, flows are independent, and a stack of
//! thousands of flows would otherwise use one of the machine's cores.

/// How many threads to use: the cores the process may use, at most 8.
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(8)
}

/// `items.iter().map(f).collect()`, spread over [`threads`] when there are at least
/// `threshold` items (below that, threads cost more than they save). Order is kept.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], threshold: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads();
    if items.len() < threshold.max(2) || threads < 2 {
        return items.iter().map(f).collect();
    }
    let chunk_size = items.len().div_ceil(threads);
    let f = &f;
    let jobs: Vec<_> = items
        .chunks(chunk_size)
        .map(|chunk| move || chunk.iter().map(f).collect::<Vec<R>>())
        .collect();
    run_all(jobs).into_iter().flatten().collect()
}

/// `f` of each of the [`threads`] chunks of `items`, in order: on every core when there
/// are at least `threshold` items, else `f(items)` alone. For work that gathers its own
/// results per chunk (errors, template entries) to be merged after.
pub(crate) fn map_chunks<T: Sync, R: Send>(items: &[T], threshold: usize, f: impl Fn(&[T]) -> R + Sync) -> Vec<R> {
    let threads = threads();
    if items.len() < threshold.max(2) || threads < 2 {
        return vec![f(items)];
    }
    let f = &f;
    let jobs: Vec<_> = items
        .chunks(items.len().div_ceil(threads))
        .map(|chunk| move || f(chunk))
        .collect();
    run_all(jobs)
}

/// Runs each job on its own scoped thread and returns their results in job order. A job
/// that panics makes this panic too (as the same work done inline would).
pub(crate) fn run_all<R: Send, J: FnOnce() -> R + Send>(jobs: Vec<J>) -> Vec<R> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs.into_iter().map(|job| scope.spawn(job)).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_above_and_below_the_threshold() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled: Vec<u32> = items.iter().map(|i| i * 2).collect();
        assert_eq!(super::map(&items, 10, |i| i * 2), doubled);
        assert_eq!(super::map(&items, 10_000, |i| i * 2), doubled);
        assert!(super::map(&[] as &[u32], 0, |i| *i).is_empty());
    }

    #[test]
    fn chunks_cover_every_item_in_order() {
        let items: Vec<u32> = (0..1000).collect();
        for threshold in [10, 10_000] {
            let chunks = super::map_chunks(&items, threshold, |chunk| chunk.to_vec());
            assert_eq!(chunks.concat(), items);
        }
    }
}
