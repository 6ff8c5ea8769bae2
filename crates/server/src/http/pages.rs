//! The pages that mailed links open in a browser: verify an email, choose a new password,
//! confirm a new login email. Each reads `?token=` and calls the API from the page itself.

use crate::state::AppState;
use axum::Router;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/verify-email", get(|| page("Confirm your email", VERIFY)))
        .route(
            "/reset-password",
            get(|| page("Choose a new password", RESET)),
        )
        .route(
            "/confirm-email",
            get(|| page("Confirm your new login", CONFIRM)),
        )
        .route(
            "/invitations/accept",
            get(|| page("Accept the invitation", ACCEPT)),
        )
        .route("/qr/{id}", get(|| page("Sign in a computer", QR)))
}

/// A page, with the headers a page that holds a token or approves a sign-in needs: it may not
/// be framed (no clickjacking of the approval), cached, or leak its URL (and token) as a
/// referrer.
async fn page(title: &str, script: &str) -> impl IntoResponse {
    let headers = [
        (header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
    ];
    (
        headers,
        Html(format!(
            r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title} · Lanyard</title><style>{STYLE}</style></head><body><main><h1>{title}</h1><p id="status"></p>{form}</main>
<script>{COMMON}{script}</script></body></html>"#,
            form = match script {
                RESET => RESET_FORM,
                ACCEPT => ACCEPT_FORM,
                QR => QR_FORM,
                _ => "",
            },
        )),
    )
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0}main{max-width:26rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:12px;box-shadow:0 2px 12px #0001}input,button{display:block;width:100%;box-sizing:border-box;margin:.5rem 0;padding:.6rem;font-size:1rem}button{background:#2b59c3;color:#fff;border:0;border-radius:6px}.error{color:#b00020}";

const COMMON: &str = r#"const token=new URLSearchParams(location.search).get("token")||"";const status=document.getElementById("status");
function say(t,bad){status.textContent=t;status.className=bad?"error":""}
async function post(path,body){const r=await fetch(path,{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify(body)});
if(r.ok)return true;const p=await r.json().catch(()=>({detail:"Something went wrong"}));say(p.detail,true);return false}
"#;

const VERIFY: &str = r#"say("Confirming…");post("/api/v1/auth/verify-email",{token}).then(ok=>ok&&say("Your email is confirmed. You can sign in now."));"#;

const CONFIRM: &str = r#"say("Confirming…");post("/api/v1/me/email/confirm",{token}).then(ok=>ok&&say("Done: sign in with your new email from now on."));"#;

const RESET_FORM: &str = r#"<form id="f"><input id="p1" type="password" placeholder="New password" autocomplete="new-password" required minlength="8" maxlength="128"><input id="p2" type="password" placeholder="New password again" autocomplete="new-password" required><button>Save the new password</button></form>"#;

const RESET: &str = r#"document.getElementById("f").addEventListener("submit",async e=>{e.preventDefault();
const a=document.getElementById("p1").value,b=document.getElementById("p2").value;
if(a!==b){say("The two passwords differ.",true);return}
if(await post("/api/v1/auth/password-reset",{token,new_password:a})){say("Your password is changed. Every session was signed out; sign in again.");e.target.remove()}});"#;

const ACCEPT_FORM: &str = r#"<p>Sign in with the Lanyard profile that should join. Any of your logins will do; no profile yet? Register in the Lanyard app first.</p><form id="f"><input id="login" placeholder="Email or phone" autocomplete="username" required><input id="pw" type="password" placeholder="Password" autocomplete="current-password" required><button>Sign in and accept</button></form>"#;

const ACCEPT: &str = r#"document.getElementById("f").addEventListener("submit",async e=>{e.preventDefault();
const r=await fetch("/api/v1/auth/login",{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify({login:document.getElementById("login").value,password:document.getElementById("pw").value,device_name:"Invitation page"})});
if(!r.ok){const p=await r.json().catch(()=>({detail:"Something went wrong"}));say(p.detail,true);return}
const t=await r.json();
const a=await fetch("/api/v1/invitations/accept",{method:"POST",headers:{"content-type":"application/json",authorization:"Bearer "+t.access_token},body:JSON.stringify({token})});
fetch("/api/v1/auth/logout",{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify({refresh_token:t.refresh_token})});
if(a.ok){say("You have joined. Open Lanyard and sign in to the account.");e.target.remove()}else{const p=await a.json().catch(()=>({detail:"Something went wrong"}));say(p.detail,true)}});"#;

const QR_FORM: &str = r#"<form id="f" hidden><input id="login" placeholder="Email or phone" autocomplete="username" required><input id="pw" type="password" placeholder="Password" autocomplete="current-password" required><button>Sign in</button></form>
<div id="ask" hidden><p id="who"></p><label>Sign it in to <select id="account" required><option value="">my profile only</option></select></label><p>Tap the number shown on the computer:</p><div id="choices" style="display:flex;gap:.5rem"></div><button id="deny" style="background:#888">Deny</button></div>"#;

const QR: &str = r#"const id=location.pathname.split("/").pop();let access=sessionStorage.getItem("lanyard_access");
const auth=()=>({"content-type":"application/json",authorization:"Bearer "+access});
async function show(){const r=await fetch("/api/v1/qr/"+id,{headers:auth()});
if(r.status===401){document.getElementById("f").hidden=false;say("Sign in on this phone to approve.");return}
if(!r.ok){const p=await r.json();say(p.detail,true);return}
const d=await r.json();document.getElementById("ask").hidden=false;say("");
document.getElementById("who").textContent=`What the server saw: ${d.device_name}${d.platform?" on "+d.platform:""}, at ${d.ip}, asks to sign in (${new Date(d.created_at).toLocaleTimeString()}). If you did not start this on a computer in front of you, deny it.`;
const pick=document.getElementById("account");if(d.needs_account){pick.firstElementChild.textContent="Choose an account…";pick.firstElementChild.disabled=true}
const accounts=await (await fetch("/api/v1/me/accounts",{headers:auth()})).json();
for(const a of accounts.filter(a=>a.status==="active")){const o=document.createElement("option");o.value=a.address;o.textContent=a.name+" ("+a.address+")";document.getElementById("account").append(o)}
for(const n of d.choices){const b=document.createElement("button");b.textContent=n;b.onclick=async()=>{const account=pick.value||undefined;
if(d.needs_account&&!account){say("Choose the account to sign the computer in to first.",true);return}
const a=await fetch("/api/v1/qr/"+id+"/approve",{method:"POST",headers:auth(),body:JSON.stringify({number:n,account})});
document.getElementById("ask").hidden=true;if(a.ok)say("Approved: the computer is signing in.");else{const p=await a.json();say(p.detail,true)}};document.getElementById("choices").append(b)}}
document.getElementById("deny").onclick=async()=>{await fetch("/api/v1/qr/"+id+"/deny",{method:"POST",headers:auth()});document.getElementById("ask").hidden=true;say("Denied.")};
document.getElementById("f").addEventListener("submit",async e=>{e.preventDefault();
const r=await fetch("/api/v1/auth/login",{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify({login:document.getElementById("login").value,password:document.getElementById("pw").value,device_name:"Phone (QR approval)"})});
if(!r.ok){const p=await r.json();say(p.detail,true);return}
access=(await r.json()).access_token;sessionStorage.setItem("lanyard_access",access);e.target.hidden=true;show()});
show();"#;
