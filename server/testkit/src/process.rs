//! Processes a test starts, stopped when the test ends however it ends: any child process,
//! and moto, the local S3 server.

use std::process::{Child, ExitStatus, Output};

/// A child process that is killed (and reaped) when dropped, also while a panic unwinds.
pub struct KillOnDrop {
    child: Option<Child>,
}

impl KillOnDrop {
    pub fn new(child: Child) -> KillOnDrop {
        KillOnDrop { child: Some(child) }
    }

    /// The process id, e.g. to send it a signal.
    pub fn id(&self) -> u32 {
        self.child().id()
    }

    /// Whether it has exited, without waiting.
    pub fn try_wait(&mut self) -> std::io::Result<Option<ExitStatus>> {
        self.child_mut().try_wait()
    }

    /// Waits for it to exit.
    pub fn wait(mut self) -> std::io::Result<ExitStatus> {
        self.child_mut().wait()
    }

    /// Waits for it to exit and collects its piped output.
    pub fn wait_with_output(mut self) -> std::io::Result<Output> {
        let child = self.child.take().expect("a running child");
        child.wait_with_output()
    }

    fn child(&self) -> &Child {
        self.child.as_ref().expect("a running child")
    }

    fn child_mut(&mut self) -> &mut Child {
        self.child.as_mut().expect("a running child")
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The environment variable naming the Python that has `moto[server]`.
pub const TEST_PYTHON: &str = "TEST_PYTHON";

/// A moto S3 server on a free port, stopped when dropped.
pub struct Moto {
    child: std::process::Child,
    port: u16,
    _log: tempfile::NamedTempFile,
}

impl Moto {
    pub fn start() -> Moto {
        let python = std::env::var(TEST_PYTHON).unwrap_or_else(|_| "python3".into());
        let importable = std::process::Command::new(&python)
            .args(["-c", "import moto.server"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        assert!(
            importable,
            "the S3 tests need moto's server, which `{python}` cannot import. \
             Run scripts/test (it installs moto[server] into ~/.cache/banana-nano/python), \
             or set {TEST_PYTHON} to a Python that has it."
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let log = tempfile::NamedTempFile::new().expect("a log file");
        let child = std::process::Command::new(&python)
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p"])
            .arg(port.to_string())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(log.reopen().expect("the log file"))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `{python} -m moto.server`: {e}"));
        let mut moto = Moto {
            child,
            port,
            _log: log,
        };
        moto.wait_until_listening();
        moto
    }

    fn wait_until_listening(&mut self) {
        // Importing moto takes seconds, more on a busy machine.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
        loop {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "moto exited with {status} before listening:\n{}",
                    self.log()
                );
            }
            if std::time::Instant::now() > deadline {
                panic!("moto did not listen within 90 s:\n{}", self.log());
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self._log.path()).unwrap_or_default()
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// moto starts empty; S3 buckets are created with a bare PUT on their path.
    pub async fn create_bucket(&self, bucket: &str) {
        let response = reqwest::Client::new()
            .put(format!("{}/{bucket}", self.endpoint()))
            .send()
            .await
            .expect("moto answers");
        assert!(
            response.status().is_success(),
            "creating bucket {bucket}: {}",
            response.status()
        );
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
