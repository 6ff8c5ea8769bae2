// The only file that calls the shell. Every command of src-tauri/commands is one function
// here, typed with the declarations ts-rs generates from the Rust types (lib/generated).
// A refusal arrives as a UiError ({code, message, retry_after, field}); callers switch on
// `code`, and lib/problems.ts says it in the UI's language.
import { invoke as shellInvoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { Account } from "./generated/Account";
import type { AccountView } from "./generated/AccountView";
import type { AppInfo } from "./generated/AppInfo";
import type { Downloaded } from "./generated/Downloaded";
import type { Employee } from "./generated/Employee";
import type { InboxMessage } from "./generated/InboxMessage";
import type { LiveEvent } from "./generated/LiveEvent";
import type { LiveStatus } from "./generated/LiveStatus";
import type { Language } from "./generated/Language";
import type { MyAccount } from "./generated/MyAccount";
import type { OpenedLink } from "./generated/OpenedLink";
import type { Page } from "./generated/Page";
import type { PhoneSharing } from "./generated/PhoneSharing";
import type { Profile } from "./generated/Profile";
import type { QrDetails } from "./generated/QrDetails";
import type { QrView } from "./generated/QrView";
import type { RegisterRequest } from "./generated/RegisterRequest";
import type { Restored } from "./generated/Restored";
import type { Session } from "./generated/Session";
import type { SignInOutcome } from "./generated/SignInOutcome";
import type { SocialProviderInfo } from "./generated/SocialProviderInfo";
import type { SsoConfig } from "./generated/SsoConfig";
import type { Status } from "./generated/Status";
import type { Tab } from "./generated/Tab";
import type { TabRef } from "./generated/TabRef";
import type { Task } from "./generated/Task";
import type { TrayView } from "./generated/TrayView";
import type { UiError } from "./generated/UiError";
import type { UpdateView } from "./generated/UpdateView";
import type { UpdateAccountRequest } from "./generated/UpdateAccountRequest";
import type { UpdateProfileRequest } from "./generated/UpdateProfileRequest";

export type { UiError };

/** Whether a thrown value is the shell's refusal (as opposed to a bug in the UI). */
export function isUiError(e: unknown): e is UiError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

/** A refusal as the UI shows it, whatever was thrown. */
export function problem(e: unknown): UiError {
  return isUiError(e) ? e : { code: "internal", message: String(e), retry_after: null, field: null };
}

export const ref = (tab: Tab | TabRef): TabRef => ({ server: tab.server, account_id: tab.account_id });

type SessionEnded = (tab: TabRef, problem: UiError) => void;
let sessionEnded: SessionEnded = () => undefined;

/** Who hears that a tab's session ended (`sign_in_required`), whichever of the tab's
 * commands found out: the window's state, so the whole tab asks for a sign-in. */
export function onSessionEnded(listener: SessionEnded) {
  sessionEnded = listener;
}

function invoke<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  return shellInvoke<T>(command, args).catch(endedFor(args?.tab as TabRef | undefined));
}

/** Passes a refusal on, after telling `sessionEnded` when it ended `tab`'s session. */
const endedFor = (tab: TabRef | undefined) => (e: unknown) => {
  if (tab && isUiError(e) && e.code === "sign_in_required") sessionEnded(tab, e);
  throw e;
};

// --- the app and its tabs -------------------------------------------------------------------
export const appInfo = () => invoke<AppInfo>("app_info");
/** The UI's language, for the shell to ask the server's answers (problem details) in it. */
export const setLanguage = (language: Language) => invoke<void>("set_language", { language });
export const restore = () => invoke<Restored[]>("restore");
export const connect = (server: string, address: string, login: string, password: string) =>
  invoke<Tab>("connect", { server, address, login, password });
export const signInProfile = (server: string, login: string, password: string) =>
  invoke<MyAccount[]>("sign_in_profile", { server, login, password });
export const pickingCreateAccount = (address: string, name: string) =>
  invoke<MyAccount[]>("picking_create_account", { address, name });
export const pickingAccept = (accountId: string) => invoke<MyAccount[]>("picking_accept", { accountId });
export const pickingDone = () => invoke<void>("picking_done");
export const register = (server: string, request: RegisterRequest) =>
  invoke<void>("register", { server, request });
export const verifyPhone = (server: string, phone: string, code: string) =>
  invoke<void>("verify_phone", { server, phone, code });
export const recoverPassword = (server: string, email: string) =>
  invoke<string>("recover_password", { server, email });
export const disconnect = (tab: TabRef) => invoke<void>("disconnect", { tab: ref(tab) });
export const reopen = (tab: TabRef) => invoke<void>("reopen", { tab: ref(tab) });
export const deleteAccount = (tab: TabRef) => invoke<void>("delete", { tab: ref(tab) });
export const setMuted = (tab: TabRef, muted: boolean) => invoke<Tab>("set_muted", { tab: ref(tab), muted });

// --- the app's settings --------------------------------------------------------------------
export const startWithSession = () => invoke<boolean>("start_with_session");
export const setStartWithSession = (on: boolean) => invoke<boolean>("set_start_with_session", { on });
/** Whether closing the window keeps Lanyard in the tray (null: this system has no tray). */
export const keepRunning = () => invoke<boolean | null>("keep_running");
export const setKeepRunning = (on: boolean) => invoke<boolean | null>("set_keep_running", { on });
export const setTray = (view: TrayView) => invoke<void>("set_tray", { view });

// --- approving another computer's QR sign-in ------------------------------------------------
export const approvalDetails = (tab: TabRef, id: string) => invoke<QrDetails>("approval_details", { tab: ref(tab), id });
export const approveSignIn = (tab: TabRef, id: string, number: number, account: string | null) =>
  invoke<void>("approve_sign_in", { tab: ref(tab), id, number, account });
export const denySignIn = (tab: TabRef, id: string) => invoke<void>("deny_sign_in", { tab: ref(tab), id });

// --- updates --------------------------------------------------------------------------------
export const checkUpdate = () => invoke<UpdateView | null>("check_update");
export const downloadUpdate = () => invoke<Downloaded>("download_update");
export const installUpdate = () => invoke<void>("install_update");

// --- lanyard:// links ------------------------------------------------------------------------
/** The links that arrived (the one the app started with first). */
export const takeLinks = () => invoke<OpenedLink[]>("take_links");
/** Accepts a linked invitation for the profile that signed in to pick an account. */
export const pickingAcceptLink = (invitation: number) => invoke<MyAccount[]>("picking_accept_link", { invitation });

// --- live changes ---------------------------------------------------------------------------
/** The open tabs: the shell keeps one event stream per server and profile for them. */
export const watchTabs = (tabs: TabRef[]) => invoke<void>("watch_tabs", { tabs: tabs.map(ref) });
export const notify = (title: string, body: string, target: string) => invoke<void>("notify", { title, body, target });
/** A place to show, from a notification's click, the tray's menu or a `lanyard://` link
 * (`links`: take them with `takeLinks`). */
export const onOpenPlace = (listener: (place: string) => void) =>
  listen<string>("open-place", (e) => listener(e.payload));
/** Each change a server pushes, as it comes. */
export const onLive = (listener: (event: LiveEvent) => void) => listen<LiveEvent>("live", (e) => listener(e.payload));
/** Whether a stream is connected (its tabs need no polling) or not. */
export const onLiveStatus = (listener: (status: LiveStatus) => void) =>
  listen<LiveStatus>("live-status", (e) => listener(e.payload));

// --- an account's tab -----------------------------------------------------------------------
export const account = (tab: TabRef) => invoke<AccountView>("account", { tab: ref(tab) });
export const employees = (tab: TabRef, status: Status, cursor: string | null = null) =>
  invoke<Page<Employee>>("employees", { tab: ref(tab), status, cursor });
export const invite = (tab: TabRef, email: string) =>
  invoke<Employee>("invite", { tab: ref(tab), email });
export const dismiss = (tab: TabRef, id: string) => invoke<Employee>("dismiss", { tab: ref(tab), id });
export const setContactEmail = (tab: TabRef, id: string, contactEmail: string) =>
  invoke<Employee>("set_contact_email", { tab: ref(tab), id, contactEmail });
export const reinstate = (tab: TabRef, id: string) =>
  invoke<Employee>("reinstate", { tab: ref(tab), id });
export const deleteInvitation = (tab: TabRef, id: string) =>
  invoke<void>("delete_invitation", { tab: ref(tab), id });
export const tasks = (tab: TabRef, mine: boolean, cursor: string | null = null) =>
  invoke<Page<Task>>("tasks", { tab: ref(tab), mine, cursor });
export const badge = (tab: TabRef) => invoke<number>("badge", { tab: ref(tab) });
export const createTask = (tab: TabRef, title: string, assigneeId: string | null) =>
  invoke<Task>("create_task", { tab: ref(tab), title, assigneeId });
export const setTaskDone = (tab: TabRef, id: string, done: boolean) =>
  invoke<Task>("set_task_done", { tab: ref(tab), id, done });
export const deleteTask = (tab: TabRef, id: string) => invoke<void>("delete_task", { tab: ref(tab), id });
export const updateAccount = (tab: TabRef, request: UpdateAccountRequest) =>
  invoke<AccountView>("update_account", { tab: ref(tab), request });
export const configureSso = (tab: TabRef, config: SsoConfig) =>
  invoke<void>("configure_sso", { tab: ref(tab), config });

// --- the profile page -----------------------------------------------------------------------
export const me = (tab: TabRef) => invoke<Profile>("me", { tab: ref(tab) });
/** The profile's photo from an image file (PNG, JPEG or WebP, ≤ 5 MB): its bytes go to the
 * shell as they are, not as JSON. */
export async function uploadPhoto(tab: TabRef, file: File, applyToAccounts: boolean): Promise<Profile> {
  const headers = {
    "x-tab-server": tab.server,
    "x-tab-account": tab.account_id,
    "x-photo-type": file.type,
    "x-apply-to-accounts": String(applyToAccounts),
  };
  const bytes = new Uint8Array(await file.arrayBuffer());
  return shellInvoke<Profile>("upload_photo", bytes, { headers }).catch(endedFor(tab));
}
export const deletePhoto = (tab: TabRef) => invoke<Profile>("delete_photo", { tab });
export const updateMe = (tab: TabRef, request: UpdateProfileRequest) =>
  invoke<Profile>("update_me", { tab: ref(tab), request });
export const changePassword = (tab: TabRef, current: string, next: string) =>
  invoke<void>("change_password", { tab: ref(tab), current, new: next });
export const changeEmail = (tab: TabRef, newEmail: string, currentPassword: string) =>
  invoke<string>("change_email", { tab: ref(tab), newEmail, currentPassword });
export const changePhone = (tab: TabRef, newPhone: string, currentPassword: string) =>
  invoke<string>("change_phone", { tab: ref(tab), newPhone, currentPassword });
export const confirmPhone = (tab: TabRef, newPhone: string, code: string) =>
  invoke<Profile>("confirm_phone", { tab: ref(tab), newPhone, code });
export const sessions = (tab: TabRef) => invoke<Session[]>("sessions", { tab: ref(tab) });
export const revokeSession = (tab: TabRef, id: string) =>
  invoke<void>("revoke_session", { tab: ref(tab), id });
export const myAccounts = (tab: TabRef) => invoke<MyAccount[]>("my_accounts", { tab: ref(tab) });
export const createAccount = (tab: TabRef, address: string, name: string) =>
  invoke<Account>("create_account", { tab: ref(tab), address, name });
export const unlinkSocial = (tab: TabRef, provider: string) =>
  invoke<void>("unlink_social", { tab: ref(tab), provider });
export const deleteProfile = (tab: TabRef, currentPassword: string | null) =>
  invoke<void>("delete_profile", { tab: ref(tab), currentPassword });

// --- the local inbox --------------------------------------------------------------------------
export const inbox = () => invoke<InboxMessage[]>("inbox");
/** Opens link `index` of local-inbox message `message`; the shell reads the link itself. */
export const openLink = (message: string, index: number) => invoke<void>("open_link", { message, index });

// --- signing in without a password ------------------------------------------------------------
export const qrShow = (server: string) => invoke<QrView>("qr_show", { server });
export const qrWait = (id: string) => invoke<SignInOutcome>("qr_wait", { id });
export const qrForget = (id: string) => invoke<void>("qr_forget", { id });
/** "Let a phone on this network sign in" (the built-in server only), for ten minutes. */
export const shareWithPhones = () => invoke<PhoneSharing>("share_with_phones");
export const stopSharing = () => invoke<void>("stop_sharing");
export const phoneSharing = () => invoke<PhoneSharing | null>("phone_sharing");
export const ssoSignIn = (server: string, address: string) =>
  invoke<SignInOutcome>("sso_sign_in", { server, address });
export const socialProviders = (server: string) =>
  invoke<SocialProviderInfo[]>("social_providers", { server });
export const socialSignIn = (server: string, provider: string, address: string) =>
  invoke<SignInOutcome>("social_sign_in", { server, provider, address });
/** Links a waiting identity; `login` names the profile when the server named none. */
export const linkSocial = (linkId: string, login: string | null, password: string) =>
  invoke<void>("link_social", { linkId, login, password });
export const connectSocial = (tab: TabRef, provider: string) =>
  invoke<Profile>("connect_social", { tab: ref(tab), provider });
