//! Retrying throttled and transient CloudFormation calls with exponential backoff.
//!
//! The SDK already retries each request a few times; this layer sits above it because a
//! deploy of many split stacks polls for minutes, and CloudFormation's per-account API
//! rate (shared with every other tool in the account) throttles long before that ends.
//! [`Retrying`] wraps any [`CloudFormation`] so the workflow never sees a retryable error
//! until the attempts run out, and the fakes in the tests drive it without the SDK.

use std::time::Duration;

use super::api::{
    ApiError, ApiErrorKind, ChangeSetIds, ChangeSetInfo, ChangeSetRequest, CloudFormation, EventPage, StackInfo,
};

/// How often and how patiently to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub attempts: u32,
    /// The wait before the second attempt; it doubles for each further attempt.
    pub first_delay: Duration,
    /// The longest wait between attempts.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Five attempts waiting 1, 2, 4 and 8 s: a quarter of a minute of patience.
    fn default() -> Self {
        RetryPolicy {
            attempts: 5,
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(16),
        }
    }
}

impl RetryPolicy {
    /// The wait after failed attempt number `attempt` (1-based).
    fn delay(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.saturating_sub(1)).unwrap_or(u32::MAX);
        self.first_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// A [`CloudFormation`] that retries `inner`'s throttled and transient errors.
#[derive(Debug)]
pub struct Retrying<C> {
    /// The client being retried.
    pub inner: C,
    /// How.
    pub policy: RetryPolicy,
}

impl<C> Retrying<C> {
    /// Runs `call` until it succeeds, fails permanently, or the attempts run out.
    async fn run<T>(&self, mut call: impl AsyncFnMut() -> Result<T, ApiError>) -> Result<T, ApiError> {
        let mut attempt = 1;
        loop {
            match call().await {
                Err(error) if error.kind != ApiErrorKind::Permanent && attempt < self.policy.attempts => {
                    tokio::time::sleep(self.policy.delay(attempt)).await;
                    attempt += 1;
                }
                Err(mut error) if error.kind != ApiErrorKind::Permanent => {
                    error.message = format!("{} (gave up after {attempt} attempts)", error.message);
                    return Err(error);
                }
                result => return result,
            }
        }
    }
}

impl<C: CloudFormation> CloudFormation for Retrying<C> {
    async fn describe_stack(&self, stack: &str) -> Result<Option<StackInfo>, ApiError> {
        self.run(async || self.inner.describe_stack(stack).await).await
    }

    async fn create_change_set(&self, request: &ChangeSetRequest) -> Result<ChangeSetIds, ApiError> {
        self.run(async || self.inner.create_change_set(request).await).await
    }

    async fn describe_change_set(&self, change_set_id: &str) -> Result<ChangeSetInfo, ApiError> {
        self.run(async || self.inner.describe_change_set(change_set_id).await)
            .await
    }

    async fn execute_change_set(&self, change_set_id: &str) -> Result<(), ApiError> {
        self.run(async || self.inner.execute_change_set(change_set_id).await)
            .await
    }

    async fn delete_change_set(&self, change_set_id: &str) -> Result<(), ApiError> {
        self.run(async || self.inner.delete_change_set(change_set_id).await)
            .await
    }

    async fn stack_events(&self, stack: &str, next_token: Option<&str>) -> Result<EventPage, ApiError> {
        self.run(async || self.inner.stack_events(stack, next_token).await)
            .await
    }

    async fn get_template(&self, stack: &str) -> Result<String, ApiError> {
        self.run(async || self.inner.get_template(stack).await).await
    }

    async fn delete_stack(&self, stack: &str, role_arn: Option<&str>) -> Result<(), ApiError> {
        self.run(async || self.inner.delete_stack(stack, role_arn).await).await
    }

    async fn upload_template(&self, bucket: &str, key: &str, body: &str) -> Result<String, ApiError> {
        self.run(async || self.inner.upload_template(bucket, key, body).await)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap() {
        let policy = RetryPolicy::default();
        let delays: Vec<u64> = (1..=7).map(|n| policy.delay(n).as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 16, 16]);
        assert_eq!(policy.delay(200), policy.max_delay);
    }
}
