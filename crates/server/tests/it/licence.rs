//! The licence arithmetic, as a property: over random sequences of invite, accept, dismiss,
//! reinstate and delete, the server's `licence.used` always equals active employees plus
//! pending invitations, no step that would pass the limit succeeds, and every refusal is the
//! one the rules predict. Each case runs against a real server with a free plan of 3 seats.

use crate::harness::{TestApp, assert_refused};
use lanyard_client::api::{Status, Tokens};
use lanyard_core::Code;
use proptest::prelude::*;

const LIMIT: u64 = 3;
const EMAILS: [&str; 4] = [
    "e0@invite.example",
    "e1@invite.example",
    "e2@invite.example",
    "e3@invite.example",
];

#[derive(Debug, Clone)]
enum Op {
    Invite(usize),
    Accept(usize, usize),
    Dismiss(usize),
    Reinstate(usize),
    Delete(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..4usize).prop_map(Op::Invite),
        3 => (0..4usize, 0..3usize).prop_map(|(slot, who)| Op::Accept(slot, who)),
        2 => (0..4usize).prop_map(Op::Dismiss),
        2 => (0..4usize).prop_map(Op::Reinstate),
        1 => (0..4usize).prop_map(Op::Delete),
    ]
}

/// What the model knows of one invited email's record.
#[derive(Debug, Clone)]
struct Record {
    id: String,
    status: Status,
    profile: Option<usize>,
    token: String,
}

struct Model {
    slots: [Option<Record>; 4],
}

impl Model {
    fn used(&self) -> u64 {
        1 + self
            .slots
            .iter()
            .flatten()
            .filter(|r| r.status.counts_toward_licence())
            .count() as u64
    }
}

async fn run(ops: Vec<Op>) {
    let app = TestApp::spawn_with(|config| config.plans = "free=3".parse().unwrap()).await;
    let anna = app.admin_of("acme").await;
    let mut people: Vec<Tokens> = Vec::new();
    for n in 0..3 {
        people.push(app.signed_in(&format!("person{n}@example.com")).await);
    }
    let mut model = Model {
        slots: Default::default(),
    };
    let admin = &anna.access_token;

    for op in ops {
        match op {
            Op::Invite(k) => {
                let result = app.client.invite(admin, "acme", EMAILS[k]).await;
                if model.slots[k].is_some() {
                    assert_refused(result, 409, "already_member");
                } else if model.used() >= LIMIT {
                    assert_refused(result, 409, "licence_limit");
                } else {
                    let id = result.unwrap().id;
                    let token = app.mail_to(EMAILS[k]).await.token();
                    model.slots[k] = Some(Record {
                        id,
                        status: Status::Invited,
                        profile: None,
                        token,
                    });
                }
            }
            Op::Accept(k, who) => {
                let Some(record) = model.slots[k].clone() else {
                    continue;
                };
                let result = app
                    .client
                    .accept_invitation(&people[who].access_token, &record.token)
                    .await;
                let bound_elsewhere = model.slots.iter().flatten().any(|r| r.profile == Some(who));
                if record.status != Status::Invited {
                    assert_refused(result, 400, "invalid_token");
                } else if bound_elsewhere {
                    assert_refused(result, 409, "already_member");
                } else {
                    assert_eq!(result.unwrap().status, Status::Active);
                    let slot = model.slots[k].as_mut().unwrap();
                    (slot.status, slot.profile) = (Status::Active, Some(who));
                }
            }
            Op::Dismiss(k) => {
                let Some(record) = model.slots[k].as_mut() else {
                    continue;
                };
                let dismissed = app.client.dismiss(admin, "acme", &record.id).await.unwrap();
                assert_eq!(dismissed.status, Status::Dismissed);
                record.status = Status::Dismissed;
            }
            Op::Reinstate(k) => {
                let used = model.used();
                let Some(record) = model.slots[k].as_mut() else {
                    continue;
                };
                let result = app.client.reinstate(admin, "acme", &record.id).await;
                if record.status != Status::Dismissed {
                    assert_eq!(
                        result.unwrap().status,
                        record.status,
                        "reinstating a non-dismissed record changes nothing"
                    );
                } else if used >= LIMIT {
                    assert_refused(result, 409, "licence_limit");
                } else {
                    record.status = if record.profile.is_some() {
                        Status::Active
                    } else {
                        Status::Invited
                    };
                    assert_eq!(result.unwrap().status, record.status);
                }
            }
            Op::Delete(k) => {
                let Some(record) = model.slots[k].clone() else {
                    continue;
                };
                let result = app.client.delete_employee(admin, "acme", &record.id).await;
                if record.status == Status::Invited {
                    result.unwrap();
                    model.slots[k] = None;
                } else {
                    assert_refused(result, 409, "not_invited");
                }
            }
        }
        let account = app.client.account(admin, "acme").await.unwrap();
        assert_eq!(account.licence.used, model.used(), "seats after {op:?}");
        assert!(account.licence.used <= LIMIT);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, max_shrink_iters: 32, ..ProptestConfig::default() })]

    #[test]
    fn seats_are_always_active_plus_invited_and_never_past_the_limit(ops in prop::collection::vec(op(), 1..16)) {
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
        runtime.block_on(run(ops));
    }
}

#[tokio::test]
async fn invitations_and_reinstatements_stop_at_the_limit_and_a_lowered_plan_stops_acceptance() {
    let app = TestApp::spawn_with(|config| config.plans = "free=3,tiny=1".parse().unwrap()).await;
    let anna = app.signed_in("anna@example.com").await;
    let admin = &anna.access_token;
    app.client
        .create_account(admin, "acme", "Acme")
        .await
        .unwrap();
    let ben = app.signed_in("ben@example.com").await;
    let ben_id = app.hire(&anna, "acme", "ben@example.com", &ben).await;
    app.client
        .invite(admin, "acme", "cleo@example.com")
        .await
        .unwrap();
    assert_eq!(
        app.client
            .account(admin, "acme")
            .await
            .unwrap()
            .licence
            .used,
        3
    );
    assert!(
        app.client
            .tasks(admin, "acme", None, None, Default::default())
            .await
            .unwrap()
            .items
            .is_empty(),
        "no task is made at invitation"
    );

    let refused = app
        .client
        .invite(admin, "acme", "dan@example.com")
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some(Code::LicenceLimit));
    let lanyard_client::ApiError::Problem { problem, .. } = refused else {
        unreachable!()
    };
    assert!(problem.detail.contains("3 of 3"), "{}", problem.detail);

    // A dismissal frees a seat, which an invitation then takes; reinstating finds none.
    app.client.dismiss(admin, "acme", &ben_id).await.unwrap();
    app.client
        .invite(admin, "acme", "dan@example.com")
        .await
        .unwrap();
    assert_refused(
        app.client.reinstate(admin, "acme", &ben_id).await,
        409,
        "licence_limit",
    );

    // Support moves the account to a smaller plan: pending invitations can no longer be accepted.
    app.operator(&[
        "--plans",
        "free=3,tiny=1",
        "admin",
        "set-plan",
        "acme",
        "tiny",
    ])
    .await
    .unwrap();
    let token = app.mail_to("cleo@example.com").await.token();
    let cleo = app.signed_in("cleo@example.com").await;
    assert_refused(
        app.client
            .accept_invitation(&cleo.access_token, &token)
            .await,
        409,
        "licence_limit",
    );
}
