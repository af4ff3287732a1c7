//! A real CloudFormation API on 127.0.0.1 for the deploy tests: MiniStack (PyPI
//! `ministack`, pinned) started through `tests/support/ministack_appflow.py`, which adds
//! the AppFlow resource types (see `shared/reference/LOCAL-CLOUDFORMATION.md`).
//!
//! Each test starts its own server on a free port and stops it on drop; the server also
//! exits when the test process does (it watches its stdin pipe). The Python environment
//! is `.venv-ministack` at the repository root (or `FLOWFORM_TEST_PYTHON`); when it is
//! missing the harness creates it, so `cargo test` alone works on a fresh machine.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The MiniStack version the launcher was written and checked against.
pub const MINISTACK_VERSION: &str = "1.5.33";

/// The account ID the server puts in ARNs.
pub const ACCOUNT_ID: &str = "123456789012";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Python interpreter with `ministack` installed, installing it on first use.
fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("FLOWFORM_TEST_PYTHON") {
        return PathBuf::from(python);
    }
    static INSTALL: Mutex<()> = Mutex::new(());
    let _guard = INSTALL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let venv = root().join(".venv-ministack");
    let python = venv.join("bin/python");
    let installed = Command::new(&python)
        .args(["-c", "import ministack"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        let created = Command::new("python3").arg("-m").arg("venv").arg(&venv).status();
        assert!(
            created.is_ok_and(|s| s.success()),
            "python3 -m venv {} failed",
            venv.display()
        );
        let pip = Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("ministack=={MINISTACK_VERSION}"))
            .status();
        assert!(
            pip.is_ok_and(|s| s.success()),
            "pip install ministack=={MINISTACK_VERSION} failed (it needs PyPI)"
        );
    }
    python
}

/// A running local CloudFormation.
pub struct LocalCfn {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub endpoint: String,
    port: u16,
    log: PathBuf,
}

impl LocalCfn {
    /// Starts a server on a free port and waits until it answers.
    pub fn start() -> LocalCfn {
        LocalCfn::start_with(&[])
    }

    /// [`LocalCfn::start`] with these environment variables for the launcher (e.g.
    /// `SLOW_ACTIONS=DescribeChangeSet=30`: that action answers after 30 s).
    pub fn start_with(vars: &[(&str, &str)]) -> LocalCfn {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let log = root().join(format!("target/ministack-{port}.log"));
        let log_file = std::fs::File::create(&log).expect("create the server log");
        let child = Command::new(python())
            .arg(root().join("tests/support/ministack_appflow.py"))
            .env("BIND_HOST", "127.0.0.1")
            .env("GATEWAY_PORT", port.to_string())
            .env("MINISTACK_ACCOUNT_ID", ACCOUNT_ID)
            .env("MINISTACK_REGION", "us-east-1")
            .env("LOG_LEVEL", "WARNING")
            .env("EXIT_ON_STDIN_EOF", "1")
            .envs(vars.iter().copied())
            .stdin(Stdio::piped())
            .stdout(log_file.try_clone().expect("log"))
            .stderr(log_file)
            .spawn()
            .expect("start the MiniStack launcher");
        let mut server = LocalCfn {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            port,
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if server.get("/_ministack/health").0 == 200 {
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("the local CloudFormation exited ({status}):\n{}", server.log_text());
            }
            assert!(
                Instant::now() < deadline,
                "the local CloudFormation did not start:\n{}",
                server.log_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// One HTTP request; (status, body). Status 0 when the server cannot be reached.
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String) {
        self.request_to("s3", method, path, headers, body)
    }

    /// A CloudFormation query API call (`Action=DescribeStacks&StackName=...`); the XML.
    pub fn cloudformation(&self, query: &str) -> String {
        let body = format!("{query}&Version=2010-05-15");
        let headers = [("Content-Type", "application/x-www-form-urlencoded")];
        self.request_to("cloudformation", "POST", "/", &headers, body.as_bytes())
            .1
    }

    /// [`LocalCfn::cloudformation`] in another account and region (MiniStack takes a
    /// 12-digit access key ID as the account, the signature's scope as the region).
    pub fn cloudformation_in(&self, account: &str, region: &str, query: &str) -> String {
        let body = format!("{query}&Version=2010-05-15");
        let headers = [("Content-Type", "application/x-www-form-urlencoded")];
        self.call_in(account, region, "cloudformation", "/", &headers, &body).1
    }

    /// A call to `service`'s API (routed by its signature's service name, as `request`
    /// does for S3): the status and body.
    pub fn call(&self, service: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
        self.request_to(service, "POST", path, headers, body.as_bytes())
    }

    /// [`LocalCfn::call`] as `account` in `region`.
    pub fn call_in(
        &self,
        account: &str,
        region: &str,
        service: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, String) {
        self.signed_request(account, region, service, "POST", path, headers, body.as_bytes())
    }

    fn request_to(
        &self,
        service: &str,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, String) {
        self.signed_request("testing", "us-east-1", service, method, path, headers, body)
    }

    #[allow(clippy::too_many_arguments)]
    fn signed_request(
        &self,
        access_key: &str,
        region: &str,
        service: &str,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, String) {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return (0, String::new());
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.port,
            body.len()
        );
        // Calls are routed by their signature's service name; no signature is checked.
        head.push_str(&format!(
            "Authorization: AWS4-HMAC-SHA256 Credential={access_key}/20260101/{region}/{service}/aws4_request, SignedHeaders=host, Signature=0\r\n"
        ));
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        if stream
            .write_all(head.as_bytes())
            .and_then(|()| stream.write_all(body))
            .is_err()
        {
            return (0, String::new());
        }
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let text = String::from_utf8_lossy(&response).to_string();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, body)| body.to_string())
            .unwrap_or_default();
        (status, dechunk(&text, body))
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> (u16, String) {
        self.request("GET", path, &[], b"")
    }

    /// The AppFlow stub's state: `{"flows": {name: properties}, "connector_profiles": {...}}`.
    pub fn appflow(&self) -> serde_json::Value {
        let (status, body) = self.get("/_stub/appflow");
        assert_eq!(status, 200, "GET /_stub/appflow: {body}");
        serde_json::from_str(&body).expect("stub state is JSON")
    }

    /// The bucket policy S3 holds for `bucket` (`GetBucketPolicy`).
    pub fn bucket_policy(&self, bucket: &str) -> serde_json::Value {
        let (status, body) = self.get(&format!("/{bucket}?policy"));
        assert_eq!(status, 200, "GetBucketPolicy {bucket}: {body}");
        serde_json::from_str(&body).expect("the bucket policy is JSON")
    }

    /// Creates a bucket (`CreateBucket`).
    pub fn create_bucket(&self, bucket: &str) {
        let (status, body) = self.request("PUT", &format!("/{bucket}"), &[], b"");
        assert_eq!(status, 200, "CreateBucket {bucket}: {body}");
    }

    /// The keys of the objects in `bucket` (`ListObjectsV2`).
    pub fn object_keys(&self, bucket: &str) -> Vec<String> {
        let (status, body) = self.get(&format!("/{bucket}?list-type=2"));
        assert_eq!(status, 200, "ListObjectsV2 {bucket}: {body}");
        body.split("<Key>")
            .skip(1)
            .filter_map(|part| part.split_once("</Key>").map(|(key, _)| key.to_string()))
            .collect()
    }

    /// Runs the `flowform` binary against this endpoint, in `dir`.
    pub fn flowform(&self, dir: &Path, args: &[&str]) -> Run {
        self.flowform_with(dir, args, &[])
    }

    /// [`LocalCfn::flowform`] with these environment variables set (or, with an empty
    /// value, removed) on top of the usual ones. MiniStack takes a 12-digit access key ID
    /// as the account ID, so `AWS_ACCESS_KEY_ID=111111111111` is another account.
    pub fn flowform_with(&self, dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Run {
        self.flowform_piped(dir, args, vars, None)
    }

    /// The `flowform` command against this endpoint: a clean environment with test
    /// credentials, plus `vars` (an empty value removes the variable).
    fn command(&self, dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_flowform"));
        command
            .args(args)
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", dir)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("AWS_CONFIG_FILE", dir.join("no-aws-config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("no-aws-credentials"))
            .env("FLOWFORM_POLL_INTERVAL_MS", "50")
            .env("NO_COLOR", "1");
        for (name, value) in vars {
            if value.is_empty() {
                command.env_remove(name);
            } else {
                command.env(name, value);
            }
        }
        command
    }

    /// Starts `flowform` against this endpoint with stderr piped, for a test that acts
    /// while it runs (Ctrl-C).
    pub fn spawn_flowform(&self, dir: &Path, args: &[&str]) -> Child {
        let mut command = self.command(dir, args, &[]);
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command.spawn().expect("run flowform")
    }

    /// Runs `flowform args` against this endpoint and presses Ctrl-C (SIGINT) `delay` after
    /// the first line of its stderr that `when` accepts: its exit code and every line it
    /// wrote to stderr.
    pub fn interrupt_when(
        &self,
        dir: &Path,
        args: &[&str],
        when: impl Fn(&str) -> bool,
        delay: Duration,
    ) -> (Option<i32>, String) {
        let mut child = self.spawn_flowform(dir, args);
        let stderr = child.stderr.take().unwrap();
        let (sent, lines) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = sent.send(line);
            }
        });
        let mut seen = Vec::new();
        loop {
            let line = lines.recv().expect("flowform wrote the awaited line");
            let done = when(&line);
            seen.push(line);
            if done {
                break;
            }
        }
        std::thread::sleep(delay);
        // The shell's `kill` builtin: a fresh machine may have no `kill` binary (procps).
        let killed = Command::new("sh")
            .args(["-c", &format!("kill -INT {}", child.id())])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        reader.join().unwrap();
        seen.extend(lines.try_iter());
        (status.code(), seen.join("\n"))
    }

    /// [`LocalCfn::flowform_with`], with `stdin` piped to standard input.
    pub fn flowform_piped(&self, dir: &Path, args: &[&str], vars: &[(&str, &str)], stdin: Option<&str>) -> Run {
        let mut command = self.command(dir, args, vars);
        command
            .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("run flowform");
        if let Some(text) = stdin {
            let mut pipe = child.stdin.take().expect("a stdin pipe");
            pipe.write_all(text.as_bytes()).expect("write to flowform's stdin");
        }
        Run::from(child.wait_with_output().expect("run flowform"))
    }
}

impl Drop for LocalCfn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// Undoes `Transfer-Encoding: chunked` when the response used it.
fn dechunk(response: &str, body: String) -> String {
    let head = response
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !head.contains("transfer-encoding: chunked") {
        return body;
    }
    let mut out = String::new();
    let mut rest = body.as_str();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

/// What a `flowform` run did.
#[derive(Debug)]
pub struct Run {
    /// The exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).to_string(),
        }
    }
}

impl Run {
    /// Panics with the whole output unless the exit code is `code`.
    #[track_caller]
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "expected exit code {code}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Panics unless stdout or stderr contains `text`.
    #[track_caller]
    pub fn says(&self, text: &str) -> &Run {
        assert!(
            self.stdout.contains(text) || self.stderr.contains(text),
            "expected the output to contain {text:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}
