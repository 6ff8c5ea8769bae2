//! Live changes for the desktop: one stream of the server's events (`GET /api/v1/me/events`)
//! per server and profile, not per tab (a single sign-on tab, which hears only its own
//! account, has its own). The UI says which tabs are open (`watch_tabs`); each stream passes
//! its events on to the UI (`live`), which updates badges and tabs and decides on
//! notifications, and says whether it is connected (`live-status`): tabs without a live
//! stream fall back to polling. A stream that breaks reconnects with a growing pause and
//! resumes after the last event it saw (`lanyard_client::desktop::live_feed`).

use crate::state::{Desktop, Shell};
use crate::views::{LiveEvent, LiveStatus, TabRef};
use lanyard_client::api::{Event, session_id};
use lanyard_client::desktop::connections::SINGLE_SIGN_ON;
use lanyard_client::desktop::live_feed::{LiveFeed, NotOpened};
use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError};
use std::time::Duration;
use tauri::async_runtime::JoinHandle;
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::Mutex;

/// A sign-in reported before this app has adopted its session (a QR code or single sign-on
/// finishing) is looked up once more after this long before it counts as another device's.
const ADOPTION_GRACE: Duration = Duration::from_secs(3);

/// The streams running now, by group (`group_of`).
#[derive(Default)]
pub struct Live {
    streams: Mutex<BTreeMap<String, Stream>>,
}

struct Stream {
    /// The open tabs it serves; the first that has a session opens it.
    tabs: Members,
    task: JoinHandle<()>,
}

type Members = Arc<std::sync::Mutex<Vec<TabRef>>>;

fn members(tabs: &Members) -> Vec<TabRef> {
    tabs.lock().unwrap_or_else(PoisonError::into_inner).clone()
}

/// Which stream a tab's changes come by: its server and login, or its own for a tab of an
/// account's single sign-on.
fn group_of(tab: &TabRef, login: &str) -> String {
    if login == SINGLE_SIGN_ON {
        format!("{}\n{}\n{}", tab.server, login, tab.account_id)
    } else {
        format!("{}\n{}", tab.server, login)
    }
}

/// The open tabs changed: streams start for new groups, stop for groups with no tab left.
pub async fn watch(app: &AppHandle, desktop: &Desktop, live: &Live, tabs: Vec<TabRef>) {
    let mut groups = BTreeMap::<String, Vec<TabRef>>::new();
    {
        let connections = desktop.connections.lock().await;
        for tab in tabs {
            if let Some(account) = connections.find(&tab.server, &tab.account_id) {
                let key = group_of(&tab, &account.login);
                groups.entry(key).or_default().push(tab);
            }
        }
    }
    let mut streams = live.streams.lock().await;
    streams.retain(|key, stream| {
        let kept = groups.contains_key(key);
        if !kept {
            stream.task.abort();
            report(app, &members(&stream.tabs), false);
        }
        kept
    });
    for (key, tabs) in groups {
        match streams.get(&key) {
            Some(stream) => *stream.tabs.lock().unwrap_or_else(PoisonError::into_inner) = tabs,
            None => {
                let tabs: Members = Arc::new(std::sync::Mutex::new(tabs));
                let task = tauri::async_runtime::spawn(follow(app.clone(), tabs.clone()));
                streams.insert(key, Stream { tabs, task });
            }
        }
    }
}

/// Keeps one group's stream open (`LiveFeed`: reconnecting, resuming) and passes its changes
/// on to the UI.
async fn follow(app: AppHandle, tabs: Members) {
    let mut feed = LiveFeed::new();
    loop {
        if let Some(received) = feed.next().await {
            pass_on(&app, &tabs, received.event);
            continue;
        }
        report(&app, &members(&tabs), false);
        feed.pause().await;
        let shell = app.state::<Shell>();
        let mut session = None;
        for tab in members(&tabs) {
            if let Ok(found) = shell.tab(&tab).await {
                session = Some((tab, found));
                break;
            }
        }
        let Some((tab, session)) = session else {
            feed.failed();
            continue;
        };
        match feed.open(&session.client, &session.access).await {
            Ok(()) => report(&app, &members(&tabs), true),
            Err(NotOpened::Refused) => {
                let _ = shell.refused(&tab).await;
            }
            Err(NotOpened::Failed) => {}
        }
    }
}

/// Hands an event to the UI; a sign-in only once it is known not to be this app's own.
fn pass_on(app: &AppHandle, tabs: &Members, event: Event) {
    let tabs_now = members(tabs);
    let Some(server) = tabs_now.first().map(|tab| tab.server.clone()) else {
        return;
    };
    let event = LiveEvent {
        server,
        account_ids: tabs_now.into_iter().map(|t| t.account_id).collect(),
        event,
    };
    match &event.event {
        // Looking up whose sign-in it was may wait: the stream goes on meanwhile.
        Event::SignedIn { session_id, .. } => {
            let (app, tabs, id) = (app.clone(), tabs.clone(), session_id.clone());
            tauri::async_runtime::spawn(async move {
                if !own_session(&app, &tabs, &id).await {
                    let _ = app.emit("live", event);
                }
            });
        }
        _ => {
            let _ = app.emit("live", event);
        }
    }
}

/// Whether `id` is the session of one of this app's tabs (its own sign-in, not another
/// device's): looked up now, and once more after `ADOPTION_GRACE`.
async fn own_session(app: &AppHandle, tabs: &Members, id: &str) -> bool {
    for wait in [Duration::ZERO, ADOPTION_GRACE] {
        tokio::time::sleep(wait).await;
        let shell = app.state::<Shell>();
        let Ok(desktop) = shell.desktop().await else {
            return false;
        };
        let server = members(tabs).first().map(|tab| tab.server.clone());
        let on_server: Vec<TabRef> = {
            let connections = desktop.connections.lock().await;
            let accounts = connections.accounts().iter();
            accounts
                .filter(|a| a.open && Some(&a.server) == server.as_ref())
                .map(|a| TabRef {
                    server: a.server.clone(),
                    account_id: a.account_id.clone(),
                })
                .collect()
        };
        for tab in on_server {
            if let Ok(session) = shell.tab(&tab).await
                && session_id(&session.access).as_deref() == Some(id)
            {
                return true;
            }
        }
    }
    false
}

fn report(app: &AppHandle, tabs: &[TabRef], live: bool) {
    if let Some(first) = tabs.first() {
        let status = LiveStatus {
            server: first.server.clone(),
            account_ids: tabs.iter().map(|tab| tab.account_id.clone()).collect(),
            live,
        };
        let _ = app.emit("live-status", status);
    }
}

/// What each notification shown opens when clicked (the UI's words for a place: a tab, the
/// profile page), by the notification's id.
#[derive(Default)]
pub struct Notices {
    next: std::sync::atomic::AtomicI32,
    targets: std::sync::Mutex<std::collections::HashMap<i32, String>>,
}

impl Notices {
    /// A new notification's id, remembering what it opens.
    pub fn remember(&self, target: String) -> i32 {
        let id = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let mut targets = self.targets.lock().unwrap_or_else(PoisonError::into_inner);
        targets.insert(id, target);
        id
    }

    fn take(&self, id: i32) -> Option<String> {
        let mut targets = self.targets.lock().unwrap_or_else(PoisonError::into_inner);
        targets.remove(&id)
    }
}

/// A notification was clicked (`tap`): the window comes forward and the UI opens its place.
pub fn clicked(app: &AppHandle, performed: &tauri_plugin_notification::ActionPerformed) {
    if performed.action_id() != "tap" {
        return;
    }
    let Some(id) = performed.notification().map(|n| n.id()) else {
        return;
    };
    if let Some(target) = app.state::<Notices>().take(id) {
        crate::places::open(app, &target);
    }
}
