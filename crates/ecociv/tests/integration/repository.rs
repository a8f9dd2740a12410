//! Checks of the repository itself (issue 18): the code map's dependency rules hold in the manifests, and no
//! file names a path outside the repository.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the workspace root is two levels above crates/ecociv")
        .to_path_buf()
}

/// The table of `docs/ARCHITECTURE.md`'s "Dependency rules": crate → the project crates it may depend on.
fn allowed_edges() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(root().join("docs/ARCHITECTURE.md")).expect("docs/ARCHITECTURE.md");
    let section = text
        .split("\n## Dependency rules")
        .nth(1)
        .expect("docs/ARCHITECTURE.md has a section \"## Dependency rules\"");
    let section = section.split("\n## ").next().unwrap_or(section);
    let mut table = BTreeMap::new();
    for line in section.lines().filter(|line| line.starts_with("| `ecociv")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let name = cells[1].trim_matches('`').to_string();
        let allowed = cells[2]
            .split(',')
            .map(|cell| cell.trim().trim_matches('`').to_string())
            .filter(|cell| cell.starts_with("ecociv"))
            .collect();
        assert!(
            table.insert(name.clone(), allowed).is_none(),
            "{name} twice in the table"
        );
    }
    table
}

/// Every workspace crate and its normal and build dependencies, from `cargo metadata`.
fn manifests() -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(root())
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("cargo metadata's JSON");
    let mut crates = BTreeMap::new();
    for package in metadata["packages"].as_array().expect("packages") {
        let name = package["name"].as_str().expect("name").to_string();
        let dependencies = package["dependencies"]
            .as_array()
            .expect("dependencies")
            .iter()
            .filter(|dependency| dependency["kind"].as_str() != Some("dev"))
            .map(|dependency| dependency["name"].as_str().expect("name").to_string())
            .collect();
        crates.insert(name, dependencies);
    }
    crates
}

/// Crates that do IO over the network or a database, or run an async runtime: only the store, the server
/// and the binary may use them; every other crate is pure (bytes and values in, bytes and values out).
const IO_CRATES: &[&str] = &[
    "sqlx",
    "axum",
    "tokio",
    "hyper",
    "hyper-util",
    "tower",
    "tower-http",
    "multer",
    "reqwest",
];
const MAY_DO_IO: &[&str] = &["ecociv-store", "ecociv-server", "ecociv"];

#[test]
fn every_crate_depends_only_on_what_the_code_map_allows() {
    let allowed = allowed_edges();
    let crates = manifests();
    let mut problems = Vec::new();
    for (name, dependencies) in &crates {
        let Some(may) = allowed.get(name) else {
            problems.push(format!(
                "{name} is not in docs/ARCHITECTURE.md's dependency table: add its row"
            ));
            continue;
        };
        for dependency in dependencies.iter().filter(|d| d.starts_with("ecociv")) {
            if !may.contains(dependency) {
                problems.push(format!(
                    "{name} depends on {dependency}, which the code map forbids (docs/ARCHITECTURE.md, Dependency rules)"
                ));
            }
        }
        if !MAY_DO_IO.contains(&name.as_str()) {
            for dependency in dependencies.iter().filter(|d| IO_CRATES.contains(&d.as_str())) {
                problems.push(format!("{name} depends on {dependency}: only {MAY_DO_IO:?} do IO"));
            }
        }
    }
    for name in allowed.keys().filter(|name| !crates.contains_key(*name)) {
        problems.push(format!(
            "docs/ARCHITECTURE.md names {name}, which is not a workspace crate"
        ));
    }
    // The core and the line counter depend on nothing at all.
    for name in ["ecociv-core", "ecociv-csvline"] {
        if let Some(dependencies) = crates.get(name).filter(|d| !d.is_empty()) {
            problems.push(format!("{name} must depend on nothing, has {dependencies:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The check itself must be able to fail: an edge the map forbids is found.
#[test]
fn the_dependency_table_forbids_upward_edges() {
    let allowed = allowed_edges();
    assert!(allowed["ecociv-core"].is_empty());
    assert!(!allowed["ecociv-web"].contains("ecociv-store"), "pages know no SQL");
    assert!(
        !allowed["ecociv-store"].contains("ecociv-server"),
        "the store knows no HTTP"
    );
    assert!(!allowed["ecociv-progress"].contains("ecociv-report"));
    assert!(
        allowed.values().all(|may| !may.contains("ecociv")),
        "nothing depends on the binary"
    );
}

/// Places outside the repository by name: the team's shared folders, the machine's work folder.
const OUTSIDE: &[&str] = &["shared/reference", "shared/seed", "shared/citus", "/work/"];

/// Whether a relative path (`../x/y`) in a file of `dir` climbs above `root`.
fn escapes(root: &Path, dir: &Path, relative: &str) -> bool {
    let mut depth = dir.strip_prefix(root).map_or(0, |inside| inside.components().count());
    for part in relative.split('/') {
        match part {
            ".." if depth == 0 => return true,
            ".." => depth -= 1,
            "" | "." => {}
            _ => depth += 1,
        }
    }
    false
}

/// The relative paths starting with `../` in a line.
fn relative_paths(line: &str) -> impl Iterator<Item = &str> {
    line.match_indices("../").filter_map(move |(at, _)| {
        let before = line[..at].chars().next_back();
        if before.is_some_and(|c| c == '.' || c == '/' || c.is_alphanumeric()) {
            return None; // the middle of a longer path, counted from its start
        }
        let rest = &line[at..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || "./_-".contains(c)))
            .unwrap_or(rest.len());
        Some(&rest[..end])
    })
}

/// Named exceptions: CI builds Citus from sources that sit beside the checkout (issue 16, the Citus setup
/// script and its deployment note); they name that folder on purpose.
const EXCEPTIONS: &[&str] = &[".ci/setup.d/15-citus.sh", "deploy/citus/README.md"];

#[test]
fn a_path_that_climbs_out_is_found() {
    let root = Path::new("/repo");
    assert!(escapes(root, &root.join("data/zones/450202"), "../../../../elsewhere"));
    assert!(!escapes(
        root,
        &root.join("data/zones/450202"),
        "../../reference/README.md"
    ));
    assert!(!escapes(
        root,
        &root.join("crates/ecociv-server/src"),
        "../../../data/synthetic/x.csv"
    ));
    assert_eq!(
        relative_paths("see (../../../shared/seed, and x/../y)").collect::<Vec<_>>(),
        vec!["../../../shared/seed"]
    );
}

#[test]
fn no_file_names_a_path_outside_the_repository() {
    let root = root();
    let mut problems = Vec::new();
    let mut read = 0;
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("a readable folder").flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && name != ".ci" || name == "target" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            if EXCEPTIONS.contains(&relative.as_str()) || relative.ends_with("tests/integration/repository.rs") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue; // not UTF-8 text (spreadsheets, images)
            };
            read += 1;
            let dir = path.parent().unwrap_or(&root);
            for (number, line) in text.lines().enumerate() {
                // `include_bytes!("../../../data/…")` stays inside the repository; `../../../shared` does not.
                let leads_out = OUTSIDE.iter().any(|place| line.contains(place))
                    || relative_paths(line).any(|relative| escapes(&root, dir, relative));
                if leads_out {
                    problems.push(format!("{relative}:{}: {}", number + 1, line.trim()));
                }
            }
        }
    }
    assert!(read > 100, "only {read} files read: the walk is wrong");
    assert!(
        problems.is_empty(),
        "paths outside the repository:\n{}",
        problems.join("\n")
    );
}
