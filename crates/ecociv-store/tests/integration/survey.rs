//! Surveys in the store: one code, one response (also under concurrent submissions); an import refused
//! whole when a response number is already stored; responses read back as written.

use ecociv_store::StoreError;
use ecociv_store::survey::{Channel, NewResponse, NewSurvey, SurveyAccess, SurveyState, normalize_code};

use crate::support::{stores, with_example_zone};

fn survey(access: SurveyAccess) -> NewSurvey {
    NewSurvey {
        year: 2025,
        title: "2025年度公众生态文明建设满意度调查".into(),
        questionnaire_toml: "id = \"q\"".into(),
        plan_toml: "population_basis = \"p\"".into(),
        access,
        synthetic: false,
        created_by: "bureau".into(),
    }
}

fn response(stratum: &str, channel: Channel, external_id: Option<&str>) -> NewResponse {
    NewResponse {
        stratum: stratum.into(),
        answers: [("sat_overall".to_string(), ["1".to_string()].into_iter().collect())]
            .into_iter()
            .collect(),
        channel,
        external_id: external_id.map(str::to_string),
        entered_by: None,
    }
}

#[tokio::test]
async fn one_code_gives_one_response() {
    for store in stores("survey_codes").await {
        with_example_zone(&store).await;
        let id = store
            .create_survey("450202", &survey(SurveyAccess::Code))
            .await
            .unwrap();
        let codes = store.issue_survey_codes("450202", &id, "ym", 3).await.unwrap();
        assert_eq!(codes.len(), 3);
        assert!(codes.iter().all(|c| c.len() == 10 && !c.contains(['0', 'O', '1', 'I'])));
        // No code, an unknown code: refused.
        let r = response("cz", Channel::Web, None);
        assert!(matches!(
            store.submit_survey_response("450202", &id, None, &r).await,
            Err(StoreError::NotFound(_))
        ));
        assert!(matches!(
            store
                .submit_survey_response("450202", &id, Some("AAAAAAAAAA"), &r)
                .await,
            Err(StoreError::NotFound(_))
        ));
        // The code as a person types it (lower case, a dash) works once; the stratum is the code's.
        let typed = format!("{}-{}", &codes[0][..5].to_lowercase(), &codes[0][5..]);
        assert_eq!(normalize_code(&typed), codes[0]);
        store
            .submit_survey_response("450202", &id, Some(&typed), &r)
            .await
            .unwrap();
        let again = store.submit_survey_response("450202", &id, Some(&codes[0]), &r).await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        let stored = store.survey_responses("450202", &id).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!((stored[0].stratum.as_str(), stored[0].channel), ("ym", Channel::Web));
        assert_eq!(stored[0].answers, r.answers);
        assert_eq!(store.survey_code_counts("450202", &id).await.unwrap(), (3, 1));
        // Closed: refused.
        store
            .set_survey_state("450202", &id, SurveyState::Closed)
            .await
            .unwrap();
        assert!(matches!(
            store.submit_survey_response("450202", &id, Some(&codes[1]), &r).await,
            Err(StoreError::Invalid(_))
        ));
    }
}

#[tokio::test]
async fn concurrent_submissions_of_one_code_store_one_response() {
    for store in stores("survey_code_race").await {
        with_example_zone(&store).await;
        let id = store
            .create_survey("450202", &survey(SurveyAccess::Code))
            .await
            .unwrap();
        let code = store
            .issue_survey_codes("450202", &id, "cz", 1)
            .await
            .unwrap()
            .remove(0);
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (store, id, code) = (store.clone(), id.clone(), code.clone());
                tokio::spawn(async move {
                    store
                        .submit_survey_response("450202", &id, Some(&code), &response("cz", Channel::Web, None))
                        .await
                })
            })
            .collect();
        let mut ok = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(_) => ok += 1,
                Err(StoreError::Conflict(_)) => {}
                Err(other) => panic!("{other:?}"),
            }
        }
        assert_eq!(ok, 1);
        assert_eq!(store.survey_response_count("450202", &id).await.unwrap(), 1);
    }
}

#[tokio::test]
async fn an_import_with_a_stored_response_number_is_refused_whole() {
    for store in stores("survey_import").await {
        with_example_zone(&store).await;
        let id = store
            .create_survey("450202", &survey(SurveyAccess::Open))
            .await
            .unwrap();
        // A paper form with number P-7 keyed by staff.
        let mut paper = response("cz", Channel::Paper, Some("P-7"));
        paper.entered_by = Some("staff".into());
        store.submit_survey_response("450202", &id, None, &paper).await.unwrap();
        // The same paper form again: refused by its number.
        assert!(matches!(
            store.submit_survey_response("450202", &id, None, &paper).await,
            Err(StoreError::Conflict(_))
        ));
        let batch = vec![
            (2, response("cz", Channel::Import, Some("101"))),
            (3, response("ym", Channel::Import, Some("102"))),
        ];
        assert_eq!(
            store.import_survey_responses("450202", &id, &batch).await.unwrap(),
            Ok(2)
        );
        // The same file again, with one new line: refused whole, the stored numbers named with their lines.
        let mut again = batch.clone();
        again.push((4, response("ym", Channel::Import, Some("103"))));
        assert_eq!(
            store.import_survey_responses("450202", &id, &again).await.unwrap(),
            Err(vec![(2, "101".to_string()), (3, "102".to_string())])
        );
        assert_eq!(store.survey_response_count("450202", &id).await.unwrap(), 3);
        let channels: Vec<Channel> = store
            .survey_responses("450202", &id)
            .await
            .unwrap()
            .iter()
            .map(|r| r.channel)
            .collect();
        assert_eq!(channels, [Channel::Paper, Channel::Import, Channel::Import]);
        let listed = store.surveys("450202").await.unwrap();
        assert_eq!(
            (listed.len(), listed[0].access, listed[0].state),
            (1, SurveyAccess::Open, SurveyState::Collecting)
        );
    }
}
