//! What the deploy workflow says and asks: its output, confirmation prompts and Ctrl-C.
//!
//! The workflow writes through [`Ui`] rather than to stderr directly so tests can read
//! what a user would see, answer prompts, and press "Ctrl-C" at a chosen moment.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

/// Ctrl-C, as a flag the workflow checks and a wake-up for its waits.
#[derive(Debug, Clone, Default)]
pub struct Interrupt(Arc<(AtomicBool, Notify)>);

impl Interrupt {
    /// Marks the run interrupted and wakes every wait.
    pub fn trigger(&self) {
        self.0.0.store(true, Ordering::SeqCst);
        self.0.1.notify_waiters();
    }

    /// Whether Ctrl-C was pressed.
    pub fn is_set(&self) -> bool {
        self.0.0.load(Ordering::SeqCst)
    }

    /// Sleeps for `duration`; returns `true` (early) when interrupted.
    pub async fn sleep(&self, duration: Duration) -> bool {
        let notified = self.0.1.notified();
        tokio::pin!(notified);
        // Registered before the flag is checked, so a trigger in between is not lost.
        notified.as_mut().enable();
        if self.is_set() {
            return true;
        }
        tokio::select! {
            _ = tokio::time::sleep(duration) => self.is_set(),
            _ = notified => true,
        }
    }

    /// Runs `future` unless interrupted first (`None`).
    pub async fn run<T>(&self, future: impl Future<Output = T>) -> Option<T> {
        let notified = self.0.1.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if self.is_set() {
            return None;
        }
        tokio::select! {
            value = future => Some(value),
            _ = notified => None,
        }
    }
}

/// How the user answers a yes/no question.
pub enum Prompt {
    /// No terminal to ask on: questions cannot be asked (and count as "no" unless `--yes`).
    None,
    /// Read the answer from standard input (a terminal).
    Stdin,
    /// Scripted answers, for tests: each question takes the next one.
    Scripted(Vec<bool>),
}

/// The workflow's output and questions.
pub struct Ui {
    /// Shared with the [`Ui::child`]ren deploying beside this one.
    out: Arc<std::sync::Mutex<Box<dyn Write + Send>>>,
    /// Put before every line (a child's `[<stack>] `).
    prefix: String,
    prompt: Prompt,
    /// With [`Prompt::Scripted`]: the answers to [`Ui::ask_secret`], in order.
    pub scripted_secrets: Vec<String>,
    /// `--yes`: every question is answered yes without asking.
    pub yes: bool,
    /// Ctrl-C.
    pub interrupt: Interrupt,
    /// How often to poll CloudFormation while waiting.
    pub poll_interval: Duration,
}

impl Ui {
    /// Writes to `out`, asks through `prompt`.
    pub fn new(out: Box<dyn Write + Send>, prompt: Prompt, yes: bool, poll_interval: Duration) -> Ui {
        Ui {
            out: Arc::new(std::sync::Mutex::new(out)),
            prefix: String::new(),
            prompt,
            scripted_secrets: Vec::new(),
            yes,
            interrupt: Interrupt::default(),
            poll_interval,
        }
    }

    /// Sends the output to `out` from now on (`diff --change-set` writes its reviews to
    /// stdout, like every diff).
    pub fn set_output(&mut self, out: Box<dyn Write + Send>) {
        self.out = Arc::new(std::sync::Mutex::new(out));
    }

    /// A UI for one of several stacks deployed at once: the same output, each line
    /// prefixed with `[<stack>] `, the same Ctrl-C and `--yes`, and no questions (several
    /// at once could not be answered; deploys run concurrently only when none is asked).
    pub fn child(&self, stack: &str) -> Ui {
        Ui {
            out: Arc::clone(&self.out),
            prefix: format!("[{stack}] "),
            prompt: Prompt::None,
            scripted_secrets: Vec::new(),
            yes: self.yes,
            interrupt: self.interrupt.clone(),
            poll_interval: self.poll_interval,
        }
    }

    /// Writes one line.
    pub fn line(&mut self, text: impl AsRef<str>) {
        // A closed stderr must not stop a deploy halfway; the exit code still tells.
        let mut out = self.out.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let _ = writeln!(out, "{}{}", self.prefix, text.as_ref());
        let _ = out.flush();
    }

    /// Whether questions can be asked (a terminal, or scripted answers).
    pub fn can_ask(&self) -> bool {
        !matches!(self.prompt, Prompt::None)
    }

    /// Asks for the value of the `NoEcho` parameter `name` without echoing what is typed;
    /// `None` without a terminal, on Ctrl-C, or for an empty answer.
    pub async fn ask_secret(&mut self, name: &str) -> Option<String> {
        let value = match &mut self.prompt {
            Prompt::None => None,
            Prompt::Scripted(_) => {
                let value = (!self.scripted_secrets.is_empty()).then(|| self.scripted_secrets.remove(0));
                self.line(format!("{name} (NoEcho, not shown): "));
                value
            }
            Prompt::Stdin => {
                let prompt = format!("{name} (NoEcho, not shown): ");
                let read = tokio::task::spawn_blocking(move || rpassword::prompt_password(prompt));
                match self.interrupt.run(read).await {
                    Some(Ok(Ok(value))) => Some(value),
                    _ => {
                        self.line("");
                        None
                    }
                }
            }
        };
        value.filter(|value| !value.is_empty())
    }

    /// Asks `question`; `--yes` answers yes, no terminal answers no, Ctrl-C answers no.
    pub async fn confirm(&mut self, question: &str) -> bool {
        if self.yes {
            return true;
        }
        match &mut self.prompt {
            Prompt::None => false,
            Prompt::Scripted(answers) => {
                let answer = !answers.is_empty() && answers.remove(0);
                self.line(format!("{question} [y/N] {}", if answer { "y" } else { "n" }));
                answer
            }
            Prompt::Stdin => {
                {
                    let mut out = self.out.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                    let _ = write!(out, "{}{question} [y/N] ", self.prefix);
                    let _ = out.flush();
                }
                let read = tokio::task::spawn_blocking(|| {
                    let mut answer = String::new();
                    std::io::stdin().read_line(&mut answer).map(|_| answer)
                });
                match self.interrupt.run(read).await {
                    Some(Ok(Ok(answer))) => matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"),
                    _ => {
                        self.line("");
                        false
                    }
                }
            }
        }
    }
}

/// What the tests' UIs print, kept for the test to read.
#[cfg(test)]
pub(crate) mod testing {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    /// What the UI printed, shared with the test.
    #[derive(Clone, Default)]
    pub(crate) struct Screen(Arc<Mutex<Vec<u8>>>);

    impl Write for Screen {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Screen {
        /// Everything printed so far.
        pub(crate) fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().unwrap()).to_string()
        }
    }
}
