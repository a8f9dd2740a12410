//! Running the real binary, and paths into the repository's data.

use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs `ecociv` with arguments from a neutral working directory (bundled data must not need the
/// repository).
pub fn ecociv(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ecociv"))
        .args(args)
        .current_dir(std::env::temp_dir())
        .env("NO_COLOR", "1")
        .output()
        .expect("the ecociv binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

pub fn json(output: &Output) -> serde_json::Value {
    assert!(output.status.success(), "ecociv failed: {}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ecociv-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}
