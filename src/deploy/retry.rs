//! Retrying throttled and transient CloudFormation calls with exponential backoff and
//! jitter, and stopping them on Ctrl-C.
//!
//! The SDK already retries each request a few times; this layer sits above it because a
//! deploy of many split stacks polls for minutes, and CloudFormation's per-account API
//! rate (shared with every other tool in the account) throttles long before that ends.
//! [`Retrying`] wraps any [`CloudFormation`] so the workflow never sees a retryable error
//! until the attempts run out, and the fakes in the tests drive it without the SDK.

use std::time::Duration;

use super::api::{
    ApiError, ApiErrorKind, ChangeSetIds, ChangeSetInfo, ChangeSetRequest, CloudFormation, EventPage, Finding,
    FindingsOf, StackInfo,
};
use super::ui::Interrupt;

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
    /// The wait after failed attempt number `attempt` (1-based), before jitter.
    fn delay(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.saturating_sub(1)).unwrap_or(u32::MAX);
        self.first_delay.saturating_mul(factor).min(self.max_delay)
    }

    /// [`RetryPolicy::delay`] with "equal jitter": half the delay, plus a random part of
    /// the other half, so tools throttled together do not retry in step (the AWS
    /// Architecture Blog, "Exponential Backoff And Jitter"; the SDKs jitter the same way).
    fn jittered(&self, attempt: u32, random: u64) -> Duration {
        let delay = self.delay(attempt);
        let half = delay / 2;
        let spread = u64::try_from(half.as_millis()).unwrap_or(u64::MAX).max(1);
        half + Duration::from_millis(random % (spread + 1))
    }
}

/// A random number from the standard library's per-process random hash keys: jitter
/// needs no more than that, and no dependency.
fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.finish()
}

/// How a call may be stopped by Ctrl-C.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// A read (`Describe*`, `GetTemplate`, an upload): not made after Ctrl-C, and
    /// abandoned in flight, so a slow answer never delays honouring it.
    Abandon,
    /// A request that changes something (`CreateChangeSet`, `ExecuteChangeSet`): not made
    /// after Ctrl-C, but once sent, its answer is awaited, so flowform knows what it did.
    Finish,
    /// Cleanup (`DeleteChangeSet`, `DeleteStack`): made even after Ctrl-C, since it is
    /// what Ctrl-C asks for (the change set that was not executed goes away).
    Always,
}

/// A [`CloudFormation`] that retries `inner`'s throttled and transient errors, and
/// honours Ctrl-C at once, also while a call is in flight.
#[derive(Debug)]
pub struct Retrying<C> {
    /// The client being retried.
    pub inner: C,
    /// How.
    pub policy: RetryPolicy,
    /// Ctrl-C: calls after it fail with [`ApiError::interrupted`] (cleanup excepted),
    /// and reads in flight are abandoned.
    pub interrupt: Interrupt,
}

impl<C> Retrying<C> {
    /// Runs `call` until it succeeds, fails permanently, the attempts run out, or Ctrl-C
    /// stops it (as `stop` allows).
    pub(crate) async fn run<T>(
        &self,
        name: &str,
        stop: Stop,
        mut call: impl AsyncFnMut() -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut attempt = 1;
        loop {
            if stop != Stop::Always && self.interrupt.is_set() {
                return Err(ApiError::interrupted(name));
            }
            let result = match stop {
                Stop::Abandon => match self.interrupt.run(call()).await {
                    Some(result) => result,
                    None => return Err(ApiError::interrupted(name)),
                },
                Stop::Finish | Stop::Always => call().await,
            };
            match result {
                Err(error) if error.kind != ApiErrorKind::Permanent && attempt < self.policy.attempts => {
                    let wait = self.policy.jittered(attempt, random());
                    if stop == Stop::Always {
                        tokio::time::sleep(wait).await;
                    } else if self.interrupt.sleep(wait).await {
                        return Err(ApiError::interrupted(name));
                    }
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
        self.run("DescribeStacks", Stop::Abandon, async || {
            self.inner.describe_stack(stack).await
        })
        .await
    }

    async fn create_change_set(&self, request: &ChangeSetRequest) -> Result<ChangeSetIds, ApiError> {
        // The same client token on every attempt: a retried request whose first attempt
        // did reach CloudFormation does not create a second change set.
        self.run("CreateChangeSet", Stop::Finish, async || {
            self.inner.create_change_set(request).await
        })
        .await
    }

    async fn describe_change_set(&self, change_set_id: &str) -> Result<ChangeSetInfo, ApiError> {
        self.run("DescribeChangeSet", Stop::Abandon, async || {
            self.inner.describe_change_set(change_set_id).await
        })
        .await
    }

    async fn execute_change_set(
        &self,
        change_set_id: &str,
        token: &str,
        disable_rollback: bool,
    ) -> Result<(), ApiError> {
        self.run("ExecuteChangeSet", Stop::Finish, async || {
            self.inner
                .execute_change_set(change_set_id, token, disable_rollback)
                .await
        })
        .await
    }

    async fn set_termination_protection(&self, stack: &str, enabled: bool) -> Result<(), ApiError> {
        self.run("UpdateTerminationProtection", Stop::Finish, async || {
            self.inner.set_termination_protection(stack, enabled).await
        })
        .await
    }

    async fn list_change_sets(&self, stack: &str) -> Result<Vec<(String, String)>, ApiError> {
        self.run("ListChangeSets", Stop::Abandon, async || {
            self.inner.list_change_sets(stack).await
        })
        .await
    }

    async fn delete_change_set(&self, change_set_id: &str) -> Result<(), ApiError> {
        self.run("DeleteChangeSet", Stop::Always, async || {
            self.inner.delete_change_set(change_set_id).await
        })
        .await
    }

    async fn validation_findings(&self, of: FindingsOf<'_>) -> Result<Vec<Finding>, ApiError> {
        self.run("DescribeEvents", Stop::Abandon, async || {
            self.inner.validation_findings(of).await
        })
        .await
    }

    async fn stack_events(&self, stack: &str, next_token: Option<&str>) -> Result<EventPage, ApiError> {
        self.run("DescribeStackEvents", Stop::Abandon, async || {
            self.inner.stack_events(stack, next_token).await
        })
        .await
    }

    async fn get_template(&self, stack: &str) -> Result<String, ApiError> {
        self.run("GetTemplate", Stop::Abandon, async || {
            self.inner.get_template(stack).await
        })
        .await
    }

    async fn delete_stack(&self, stack: &str, role_arn: Option<&str>) -> Result<(), ApiError> {
        self.run("DeleteStack", Stop::Always, async || {
            self.inner.delete_stack(stack, role_arn).await
        })
        .await
    }

    async fn upload_template(&self, bucket: &str, key: &str, body: &str) -> Result<String, ApiError> {
        self.run("PutObject", Stop::Abandon, async || {
            self.inner.upload_template(bucket, key, body).await
        })
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

    #[test]
    fn jitter_keeps_at_least_half_of_the_delay_and_at_most_all() {
        let policy = RetryPolicy::default();
        for attempt in 1..=6 {
            let delay = policy.delay(attempt);
            let waits: Vec<Duration> = [0, 1, 499, 7_777, u64::MAX]
                .iter()
                .map(|r| policy.jittered(attempt, *r))
                .collect();
            for wait in &waits {
                assert!(*wait >= delay / 2 && *wait <= delay, "{attempt}: {wait:?} of {delay:?}");
            }
            assert!(waits.windows(2).any(|pair| pair[0] != pair[1]), "{attempt}: {waits:?}");
        }
        assert_ne!(random(), random());
    }
}
