//! Accounts, memberships and sessions.

use ecociv_store::{Role, StoreError, clock};

use crate::support::{stores, with_example_zone};

#[tokio::test]
async fn users_are_unique_and_memberships_are_scoped() {
    for store in stores("accounts").await {
        with_example_zone(&store).await;
        let admin = store.create_user("admin", "管理员", "$argon2id$x", true).await.unwrap();
        assert!(matches!(
            store.create_user("admin", "x", "y", false).await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            store.create_user(" ", "x", "y", false).await,
            Err(StoreError::Invalid(_))
        ));
        assert_eq!(store.admin_count().await.unwrap(), 1);
        let editor = store
            .create_user("editor", "填报员", "$argon2id$y", false)
            .await
            .unwrap();
        let department = store.departments("450202").await.unwrap().remove(0);
        assert!(
            store
                .set_membership("450202", &editor.id, Role::Editor, None)
                .await
                .is_err()
        );
        assert!(
            store
                .set_membership("450202", &editor.id, Role::Editor, Some("no-such-department"))
                .await
                .is_err()
        );
        store
            .set_membership("450202", &editor.id, Role::Editor, Some(&department.id))
            .await
            .unwrap();
        let membership = store.membership("450202", &editor.id).await.unwrap().unwrap();
        assert_eq!(
            (membership.role, membership.department_id.as_deref()),
            (Role::Editor, Some(department.id.as_str()))
        );
        store
            .set_membership("450202", &editor.id, Role::Viewer, None)
            .await
            .unwrap();
        assert_eq!(store.memberships(&editor.id).await.unwrap().len(), 1);
        assert!(store.membership("450202", &admin.id).await.unwrap().is_none());
        store
            .set_login_state(&editor.id, 3, Some("2030-01-01T00:00:00.000Z"))
            .await
            .unwrap();
        let reread = store.user_by_username("editor").await.unwrap().unwrap();
        assert_eq!(
            (reread.failed_logins, reread.locked_until.as_deref()),
            (3, Some("2030-01-01T00:00:00.000Z"))
        );
    }
}

#[tokio::test]
async fn sessions_expire_and_end() {
    for store in stores("sessions").await {
        let user = store.create_user("u", "u", "h", false).await.unwrap();
        store
            .create_session("live", &user.id, "csrf1", &clock::now_plus(3600))
            .await
            .unwrap();
        store
            .create_session("dead", &user.id, "csrf2", &clock::now_plus(-1))
            .await
            .unwrap();
        let (session, found) = store.session("live").await.unwrap().expect("live session");
        assert_eq!(
            (session.csrf_token.as_str(), found.id.as_str()),
            ("csrf1", user.id.as_str())
        );
        assert!(store.session("dead").await.unwrap().is_none());
        assert!(store.session("unknown").await.unwrap().is_none());
        assert_eq!(store.purge_sessions().await.unwrap(), 1);
        store.delete_session("live").await.unwrap();
        assert!(store.session("live").await.unwrap().is_none());
    }
}

#[tokio::test]
async fn a_job_lease_has_one_holder_until_it_is_given_back_or_expires() {
    for store in stores("lease").await {
        let minute = std::time::Duration::from_secs(60);
        assert!(store.try_lease("fill", "a", minute).await.unwrap());
        assert!(
            !store.try_lease("fill", "b", minute).await.unwrap(),
            "b took a's running lease"
        );
        assert!(
            store.try_lease("fill", "a", minute).await.unwrap(),
            "a cannot renew its own lease"
        );
        assert!(store.try_lease("other job", "b", minute).await.unwrap());
        // b cannot give back a's lease; a can.
        store.release_lease("fill", "b").await.unwrap();
        assert!(!store.try_lease("fill", "b", minute).await.unwrap());
        store.release_lease("fill", "a").await.unwrap();
        assert!(store.try_lease("fill", "b", minute).await.unwrap());
        // An expired lease (its holder died) is taken over.
        sqlx::query("UPDATE job_lease SET expires_at = '2000-01-01T00:00:00.000Z' WHERE job = 'fill'")
            .execute(store.pool())
            .await
            .unwrap();
        assert!(store.try_lease("fill", "c", minute).await.unwrap());
        assert!(!store.try_lease("fill", "b", minute).await.unwrap());
    }
}

#[tokio::test]
async fn login_attempts_are_claimed_atomically_and_lock_at_the_limit() {
    for store in stores("login_claims").await {
        let user = store.create_user("claims", "x", "$argon2id$x", false).await.unwrap();
        let now = clock::now();
        let until = "2999-01-01T00:00:00.000Z";
        let mut tasks = Vec::new();
        for _ in 0..12 {
            let (store, id, now) = (store.clone(), user.id.clone(), now.clone());
            tasks.push(tokio::spawn(async move {
                store.claim_login_attempt(&id, 5, until, &now).await
            }));
        }
        let mut claims = Vec::new();
        for task in tasks {
            claims.push(task.await.unwrap().unwrap());
        }
        let claimed = claims
            .iter()
            .filter(|claim| matches!(claim, ecociv_store::LoginAttempt::Claimed { .. }))
            .count();
        assert_eq!(claimed, 5, "{:?}: {claims:?}", store.backend());
        let user = store.user_by_username("claims").await.unwrap().unwrap();
        assert_eq!((user.failed_logins, user.locked_until.as_deref()), (5, Some(until)));
        store.login_succeeded(&user.id).await.unwrap();
        let user = store.user_by_username("claims").await.unwrap().unwrap();
        assert_eq!((user.failed_logins, user.locked_until), (0, None));
    }
}
