//! Small stacks the validation tests share: a stack `test` with an owned bucket `lake`
//! and an on-demand flow `f` from `lake` to `lake`, and the diagnostics
//! [`validate`](super::validate) gives, as `(path, kind)` pairs.

use crate::model::{
    Bucket, BucketRef, ErrorKind, Located, Mapping, OnDemandFlow, S3Destination, S3Source, Stack, Timestamp,
    WarningKind,
};

/// The time every test validates at.
pub(super) fn now() -> Timestamp {
    "2030-01-01T00:00:00Z".parse().unwrap()
}

/// A stack `test` with an owned bucket `lake`.
pub(super) fn stack() -> (Stack, BucketRef) {
    let mut stack = Stack::new("test");
    let lake = stack.add_bucket(Bucket::owned("lake"));
    (stack, lake)
}

/// An on-demand flow `name` from the files under `lake`'s `in/` to `lake`, mapping every
/// field: valid as it is.
pub(super) fn flow(name: &str, lake: &BucketRef) -> OnDemandFlow {
    OnDemandFlow::new(name, S3Source::new(lake, "in/"), S3Destination::new(lake)).mapping(Mapping::map_all())
}

/// [`stack`] with the flow `f` from [`flow`], changed by `edit`.
pub(super) fn stack_with(edit: impl FnOnce(OnDemandFlow) -> OnDemandFlow) -> Stack {
    let (mut stack, lake) = stack();
    stack.add_flow(edit(flow("f", &lake)));
    stack
}

/// The errors of a stack that must fail, in the order they were reported.
pub(super) fn errors(stack: Stack) -> Vec<(String, ErrorKind)> {
    match super::validate(stack, now()) {
        Ok(_) => panic!("the stack validated"),
        Err(diagnostics) => located(diagnostics.errors),
    }
}

/// Each error of a stack that must fail, as its path and code.
pub(super) fn codes(stack: Stack) -> Vec<String> {
    use miette::Diagnostic as _;
    errors(stack)
        .into_iter()
        .map(|(path, kind)| {
            format!(
                "{path} {}",
                kind.code().map(|code| code.to_string()).unwrap_or_default()
            )
        })
        .collect()
}

/// The warnings of a stack that must validate.
pub(super) fn warnings(stack: Stack) -> Vec<(String, WarningKind)> {
    match super::validate(stack, now()) {
        Ok((_, warnings)) => located(warnings),
        Err(diagnostics) => panic!("{diagnostics}"),
    }
}

/// Each error's path (as shown) and kind.
fn located<K>(found: Vec<Located<K>>) -> Vec<(String, K)> {
    found
        .into_iter()
        .map(|located| (located.path.to_string(), located.kind))
        .collect()
}
