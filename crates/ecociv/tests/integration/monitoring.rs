//! `ecociv monitoring correct|history` (issue 19): a correction file applied to a database's readings all or
//! nothing — a refused file (a reading not stored, a reason missing) exits 1 naming file, line and field
//! and changes nothing; an accepted one keeps the imported reading in the history with who, when and why.

use crate::support::{ecociv, scratch, stderr, stdout};

fn database(name: &str) -> (std::path::PathBuf, String) {
    let dir = scratch(name);
    let path = dir.join("eco.sqlite3");
    let url = format!("sqlite://{}", path.display());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = ecociv_store::Store::open(&url).await.unwrap();
        ecociv_server::demo::load(&store).await.unwrap().unwrap();
        ecociv_server::demo::load_monitoring(&store).await.unwrap();
        store.close().await;
    });
    (dir, url)
}

fn pm25_of_first_hour(url: &str) -> Vec<ecociv_store::monitoring::Cell> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = ecociv_store::Store::open(url).await.unwrap();
        let cells = store
            .monitoring_station_cells("450202", "air", "SYN-A0000", "2023-01-01T00", "2023-01-01T01")
            .await
            .unwrap();
        store.close().await;
        cells
    })
}

#[test]
fn a_correction_file_is_applied_all_or_nothing_and_the_history_keeps_the_imported_reading() {
    let (dir, url) = database("monitoring-correct");
    let before = pm25_of_first_hour(&url);
    let imported = before
        .iter()
        .find(|c| c.parameter == "pm25")
        .unwrap()
        .reading
        .value
        .unwrap();
    let file = dir.join("fix.csv");
    let correct = |extra: &[&str]| {
        let mut args = vec![
            "monitoring",
            "correct",
            "--db",
            &url,
            "--zone",
            "450202",
            "--kind",
            "air",
            "--by",
            "reviewer",
        ];
        args.extend_from_slice(extra);
        let path = file.to_str().unwrap().to_owned();
        let mut args: Vec<String> = args.into_iter().map(str::to_owned).collect();
        args.push(path);
        ecociv(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    // Line 3 names a station never stored; line 2 has no reason and no batch reason is given.
    std::fs::write(
        &file,
        "station,date,hour,pm25,action,reason\nSYN-A0000,2023-01-01,0,99,supersede,\nZZ,2023-01-01,0,99,supersede,复核\n",
    )
    .unwrap();
    let refused = correct(&[]);
    assert!(!refused.status.success());
    let err = stderr(&refused);
    assert!(err.contains("fix.csv: 第 2 行") && err.contains("reason"), "{err}");
    // With the batch's reason the store refuses the unknown station, naming its line and field.
    let refused = correct(&["--reason", "复测"]);
    assert!(!refused.status.success());
    let err = stderr(&refused);
    assert!(
        err.contains("第 3 行") && err.contains("pm25") && err.contains("ZZ"),
        "{err}"
    );
    assert_eq!(pm25_of_first_hour(&url), before, "nothing changed");

    std::fs::write(
        &file,
        "station,date,hour,pm25,action,reason\nSYN-A0000,2023-01-01,0,99,supersede,\n",
    )
    .unwrap();
    let done = correct(&["--reason", "复测"]);
    assert!(done.status.success(), "{}", stderr(&done));
    assert!(stdout(&done).contains("已更正 1 个读数"), "{}", stdout(&done));
    let after = pm25_of_first_hour(&url);
    assert_eq!(
        after.iter().find(|c| c.parameter == "pm25").unwrap().reading.value,
        Some(99.0)
    );

    let history = ecociv(&[
        "monitoring",
        "history",
        "--db",
        &url,
        "--zone",
        "450202",
        "--kind",
        "air",
        "--station",
        "SYN-A0000",
        "--parameter",
        "pm25",
        "--time",
        "2023-01-01T00",
    ]);
    assert!(history.status.success(), "{}", stderr(&history));
    let text = stdout(&history);
    assert!(
        text.contains(&format!("导入值 (imported): {imported}")) && text.contains("替换 99") && text.contains("复测"),
        "{text}"
    );
    assert!(text.contains("现值 (current): 99"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
