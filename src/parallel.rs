//! Work on every core for big inputs: after parsing, flows are independent, and a stack of
//! thousands of flows would otherwise use one of the machine's cores.

/// How many threads to use: the cores the process may use, at most 8.
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(8)
}

/// `items.into_iter().map(f).collect()`, spread over [`threads`] when there are at least
/// `threshold` items (below that, threads cost more than they save). Order is kept.
pub(crate) fn map_owned<T: Send, R: Send>(items: Vec<T>, threshold: usize, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = threads();
    if items.len() < threshold.max(2) || threads < 2 {
        return items.into_iter().map(f).collect();
    }
    let f = &f;
    let jobs: Vec<_> = split_owned(items, threads)
        .into_iter()
        .map(|chunk| move || chunk.into_iter().map(f).collect::<Vec<R>>())
        .collect();
    run_all(jobs).into_iter().flatten().collect()
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

/// `f` of each of the [`threads`] chunks of `items`, in order: on every core when there
/// are at least `threshold` items, else `f(items)` alone. For work that gathers its own
/// results per chunk (errors, template entries) to be merged after.
pub(crate) fn map_chunks<'t, T: Sync, R: Send>(
    items: &'t [T],
    threshold: usize,
    f: impl Fn(&'t [T]) -> R + Sync,
) -> Vec<R> {
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

/// `(a(), b())`, with `a` on a thread of its own while `b` runs when `parallel`.
pub(crate) fn join<A: Send, B>(parallel: bool, a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    if !parallel || threads() < 2 {
        return (a(), b());
    }
    std::thread::scope(|scope| {
        let a = scope.spawn(a);
        let b = b();
        let a = a.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (a, b)
    })
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
}
