//! The administration's audited changes: each with its record (who, when, before, after), refused
//! changes leave no record, disabling and password resets end sessions, evidence goes with revisions.

use ecociv_store::{Role, StoreError, clock};
use serde_json::json;

use crate::support::{stores, with_example_zone};

#[tokio::test]
async fn every_administration_change_is_recorded_with_before_and_after() {
    for store in stores("audit").await {
        with_example_zone(&store).await;
        let admin = store.create_user("admin", "管理员", "h", true).await.unwrap();
        let user = store
            .create_user_by(&admin.id, "li", "李四", "h1", false)
            .await
            .unwrap();
        assert!(matches!(
            store.create_user_by(&admin.id, "li", "x", "h", false).await,
            Err(StoreError::Conflict(_))
        ));
        let department = store.departments("450202").await.unwrap().remove(0);
        store
            .set_membership_by(&admin.id, "450202", &user.id, Some(Role::Editor), Some(&department.id))
            .await
            .unwrap();
        assert!(matches!(
            store
                .set_membership_by(&admin.id, "450202", &user.id, Some(Role::Editor), None)
                .await,
            Err(StoreError::Invalid(_))
        ));
        store
            .create_session("tok", &user.id, "csrf", &clock::now_plus(3600))
            .await
            .unwrap();
        let disabled = store
            .update_user_by(&admin.id, &user.id, Some("李四（已调离）"), Some(true))
            .await
            .unwrap();
        assert!(disabled.disabled);
        assert!(
            store.session("tok").await.unwrap().is_none(),
            "a disabled account's session ends"
        );
        store
            .update_user_by(&admin.id, &user.id, None, Some(false))
            .await
            .unwrap();
        store
            .set_login_state(&user.id, 4, Some("2099-01-01T00:00:00Z"))
            .await
            .unwrap();
        store
            .create_session("tok2", &user.id, "csrf", &clock::now_plus(3600))
            .await
            .unwrap();
        store.set_password_by(&admin.id, &user.id, "h2").await.unwrap();
        let reread = store.user_by_id(&user.id).await.unwrap().unwrap();
        assert_eq!(
            (reread.password_hash.as_str(), reread.failed_logins, reread.locked_until),
            ("h2", 0, None)
        );
        assert!(
            store.session("tok2").await.unwrap().is_none(),
            "a reset ends the sessions"
        );
        store
            .set_membership_by(&admin.id, "450202", &user.id, None, None)
            .await
            .unwrap();
        assert!(store.membership("450202", &user.id).await.unwrap().is_none());
        assert!(matches!(
            store.update_user_by(&admin.id, "nobody", None, Some(true)).await,
            Err(StoreError::NotFound(_))
        ));

        let events = store.audit_log(Some(("user", &user.id)), 100).await.unwrap();
        let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "member.remove",
                "user.password",
                "user.enable",
                "user.disable",
                "member.set",
                "user.create"
            ]
        );
        assert!(
            events
                .iter()
                .all(|e| e.actor_id == admin.id && e.actor_name == "管理员")
        );
        assert_eq!(events[3].before["display_name"], json!("李四"));
        assert_eq!(
            (
                events[3].after["display_name"].clone(),
                events[3].after["disabled"].clone()
            ),
            (json!("李四（已调离）"), json!(true))
        );
        assert_eq!(events[4].after, json!({"role": "editor", "department": department.id}));
        assert_eq!(events[0].before, json!({"role": "editor", "department": department.id}));
        assert_eq!(events[0].after, serde_json::Value::Null);
        assert!(!events[1].after.to_string().contains("h2"), "no hash in the trail");

        store.set_zone_head_max_age(std::time::Duration::from_secs(3600));
        let version = store.zone_head_cached("450202").await.unwrap().unwrap().data_version;
        let renamed = store
            .rename_department_by(&admin.id, "450202", &department.id, "新名称局")
            .await
            .unwrap();
        assert_eq!(renamed.name, "新名称局");
        assert!(
            store.zone_state("450202").await.unwrap().unwrap().0 > version,
            "a rename moves the data version on"
        );
        assert!(
            store.zone_head_cached("450202").await.unwrap().unwrap().data_version > version,
            "and no reader keeps the old head"
        );
        let other = store.create_department_by(&admin.id, "450202", "另一局").await.unwrap();
        assert!(matches!(
            store
                .rename_department_by(&admin.id, "450202", &other.id, "新名称局")
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            store.create_department_by(&admin.id, "450202", " ").await,
            Err(StoreError::Invalid(_))
        ));
        let events = store
            .audit_log(Some(("department", &department.id)), 100)
            .await
            .unwrap();
        assert_eq!(events.len(), 1, "refused changes leave no record");
        assert_eq!(
            (
                events[0].before["name"].as_str().is_some(),
                events[0].after["name"].clone()
            ),
            (true, json!("新名称局"))
        );
        assert_eq!(events[0].zone_code.as_deref(), Some("450202"));
        assert_eq!(store.audit_log(None, 3).await.unwrap().len(), 3);
    }
}
