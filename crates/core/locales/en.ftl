# Lanyard's server texts in English: problem details, mails, SMS and the server's pages.
# Every message here has its twin in ru.ftl with the same arguments (a test checks).

## Problem details: one sentence each, about what the person can do.

error-email-taken = A user with that email already exists.
error-phone-taken = A user with that phone number already exists.
error-invalid-token = The link or code is invalid or has expired.
error-session-expired = The session has expired; sign in again.
error-invalid-credentials = Wrong login or password.
error-wrong-password = The current password is wrong.
error-unverified = This login is not verified yet; follow the link or enter the code we sent.
error-no-access = No access to { $address }. The login you used is not the one bound to your employee record there (a sign-in with a social network, for example, may have made a second profile). An administrator of { $address } can see which login is bound to your record.
error-unauthorized = Sign in first.
error-forbidden = You are not allowed to do that.
error-not-found = Not found.
error-rate-limited = Too many attempts; try again in { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    }.
error-overloaded = The server is busy; try again in a moment.
error-accounts-linked = The profile is still an active employee of an account; leave or be dismissed first.
error-invalid-address = An account's address has 3 to 40 lower-case letters, digits and hyphens.
error-address-taken = That address is already taken.
error-account-limit = A profile can create at most 7 accounts.
error-rename-limit = The address has been changed once already; further renames are granted by support on paid plans.
error-licence-limit = The licence of this account is used up: { $used } of { $limit } users.
error-already-member = That person is already an employee or invited here.
error-last-admin = The last administrator cannot be dismissed.
error-not-invited = Only invitations that are not accepted yet can be deleted; dismiss employees instead.
error-has-tasks = The user has not been deleted: { $count ->
        [one] a task is
       *[other] { $count } tasks are
    } assigned to them ({ $tasks }).
error-wrong-number = The number does not match the one on the computer; the request was cancelled.
error-link-required-email = { $email } already signs in to a Lanyard profile: enter its password once to link this identity to it.
error-link-required = Sign in with your Lanyard login and password once to link this identity to your profile.
error-last-login = This is the profile's only way to sign in; set a password first.
error-identity-taken = This identity is already connected to another Lanyard profile.
error-profile-session-required = This session comes from the account's single sign-on and acts only inside that account; sign in with your Lanyard login to do this.
error-issuer-not-allowed = The issuer must be an https URL of a public OpenID provider.
error-issuer-unreachable = The OpenID provider could not be reached or did not answer as one.
error-misdirected-request = This server does not answer for that host.
error-photo-type = A photo must be a PNG, JPEG or WebP image, sent with Content-Type image/png, image/jpeg or image/webp.
error-photo-too-large = A photo can be at most { $megabytes } MB.
error-internal = Something went wrong on our side; try again later.
error-unavailable = The server cannot reach its database just now; try again in a moment.
error-cannot-write = The server cannot store anything just now (its disk is full or its database read-only); nothing was changed. Try again later.
error-request = The request could not be read: { $detail }
weak-password-short = The password needs at least 8 characters.
weak-password-long = The password can have at most 128 characters.
weak-password-common = This password is among the most common ones; choose another.
expired-qr-denied = The sign-in was denied on the phone.
expired-qr-cancelled = The sign-in was cancelled: a wrong number was picked on the phone.
expired-qr-used = This QR code was already used.
expired-qr-expired = This QR code has expired; show a new one.

## A field that does not parse: the sentence shown beside it.

invalid-login = Enter an email address or a phone number.
invalid-signup-login = Give an email address or a phone number.
invalid-email = This is not an email address.
invalid-email-no-at = An email address needs an @.
invalid-email-too-long = An email address has at most 254 characters.
invalid-phone = Write the phone number in the international form, e.g. +49 170 1234567.
invalid-too-long = This can have at most { $max } characters.
invalid-control-characters = This cannot hold control characters.
invalid-account-name = Give the account a name.
invalid-task-title = A task needs a title of 1 to 200 characters.
invalid-photo-url = The photo must be an http(s) URL or a data:image URL of at most 48 KiB.
invalid-photo-mismatch = The file is not a { $format } image, though its name or type says so.
invalid-photo-unreadable = The image could not be read; the file may be damaged.
invalid-photo-too-many-pixels = The image is too large to process; scale it down to at most { $side } × { $side } { $side ->
        [one] pixel
       *[other] pixels
    }.
invalid-assignee = That person is not an employee of this account.
invalid-device-name = Say which device asks.
invalid-qr-account-missing = Choose the account to sign the computer in to.
invalid-qr-account-reference = Name the account by its id or its address, as your list of accounts shows them.
invalid-sso-answer = The provider's answer does not check out.
invalid-sso-refused = The provider did not sign the person in.
invalid-client-id = Give the client id the provider issued.
invalid-redirect-uri = The redirect address must be http://127.0.0.1:<port>/… or http://[::1]:<port>/….
invalid-code-challenge = The code challenge must be an S256 PKCE challenge.
invalid-link-login = Enter the login of your Lanyard profile.
invalid-language = Choose a language the app speaks: en or ru.

## Mails and SMS.

mail-verify-subject = Confirm your email for Lanyard
mail-verify-lead = Someone registered a Lanyard profile with this address. If it was you, open the link and confirm to finish setting it up.
mail-verify-action = Confirm my email
mail-verify-footer = If it was not you, do not confirm: open the link and choose “No, it was not me”, or ignore this message.
mail-reset-subject = Reset your Lanyard password
mail-reset-lead = Someone asked to reset the password of the Lanyard profile that signs in with this address. The link works once, for one hour.
mail-reset-action = Choose a new password
mail-reset-footer = If it was not you, ignore this message: your password stays as it is.
mail-confirm-email-subject = Confirm your new Lanyard login
mail-confirm-email-lead = Follow the link to make this address the login of your Lanyard profile. The link works once, for one day.
mail-confirm-email-action = Use this address to sign in
mail-confirm-email-footer = If you did not ask for this, ignore this message: nothing changes.
mail-invitation-subject = You are invited to { $account } on Lanyard
mail-invitation-lead = You are invited to join { $account } ({ $address }) on Lanyard. Accept with any Lanyard profile: sign in or register, then follow the link. The link works for 30 days.
mail-invitation-action = Accept the invitation
mail-invitation-footer = If you do not know this company, ignore this message.
mail-login-changed-subject = Your Lanyard login has changed
mail-login-changed-lead = The login of your Lanyard profile is now { $email }. This address no longer signs in.
mail-login-changed-footer = If you did not do this, reset your password from the sign-in page at once.
mail-identity-linked-subject = A new way to sign in to your Lanyard profile
mail-identity-linked-lead = Your { $provider } identity was connected to your Lanyard profile; it signs in to it from now on.
mail-identity-linked-undo = If this was not you, disconnect it on your profile page and reset your password from the sign-in page: the reset signs out every session and ends every pending change.
mail-password-reset-subject = Your Lanyard password was reset
mail-password-reset-lead = The password of your Lanyard profile was reset with a link mailed to you. Every session was signed out.
mail-password-reset-undo = If this was not you, reset it again from the sign-in page at once: that signs out every session again.
mail-password-changed-subject = Your Lanyard password was changed
mail-password-changed-lead = The password of your Lanyard profile was changed. Every other session was signed out.
mail-password-changed-undo = If this was not you, reset your password from the sign-in page at once: that signs out every session and ends every pending change.
mail-notice-when = When: { $when }
mail-notice-device = Device: { $device }
sms-code = Your Lanyard code is { $code }. It expires in 15 minutes.

## The server's pages (mailed links, QR approval). An argument the page's script fills in
## stays as { $name } in the text it is given.

page-something-wrong = Something went wrong.
page-login = Email or phone
page-password = Password
page-verify-title = Confirm your email
page-verify-intro = Someone registered a Lanyard profile with this email address. Confirm only if it was you: whoever registered it signs in with this address from now on.
page-verify-yes = Yes, it was me: confirm
page-verify-no = No, it was not me
page-sending = Sending…
page-verify-done = Your email is confirmed. You can sign in now.
page-verify-declined = Thank you. The address was taken off that profile; nobody signs in with it.
page-reset-title = Choose a new password
page-reset-new = New password
page-reset-again = New password again
page-reset-save = Save the new password
page-reset-differ = The two passwords differ.
page-reset-done = Your password is changed. Every session was signed out; sign in again.
page-confirm-title = Confirm your new login
page-confirm-intro = Confirming the new login email…
page-confirm-working = Confirming…
page-confirm-done = Done: sign in with your new email from now on.
page-accept-title = Accept the invitation
page-accept-intro = Sign in with the Lanyard profile that should join. Any of your logins will do; no profile yet? Register in the Lanyard app first.
page-accept-submit = Sign in and accept
page-accept-done = You have joined. Open Lanyard and sign in to the account.
page-open-in-lanyard = Open in Lanyard
page-open-in-lanyard-hint = (the desktop app, where it is installed on this computer)
page-qr-title = Sign in a computer
page-qr-sign-in = Sign in
page-qr-sign-in-first = Sign in on this phone to approve.
page-qr-who = What the server saw: { $device }, at { $ip }, asks to sign in ({ $time }). If you did not start this on a computer in front of you, deny it.
page-qr-who-platform = What the server saw: { $device } on { $platform }, at { $ip }, asks to sign in ({ $time }). If you did not start this on a computer in front of you, deny it.
page-qr-account = Sign the computer in to
page-qr-profile-only = my profile only
page-qr-tap = Tap the number shown on the computer:
page-qr-deny = Deny
page-qr-no-account = This profile is active in no account, so the computer cannot open one. Deny this request, or accept an invitation first.
page-qr-choose = Choose an account…
page-qr-choose-first = Choose the account first: the computer opens a tab for it.
page-qr-choose-before = Choose the account to sign the computer in to first.
page-qr-approved = Approved: the computer is signing in.
page-qr-denied = Denied.

## Answers that something is under way.

accepted-recovery = If a profile signs in with that address, we have sent it a link to choose a new password. The link works once, for one hour.
accepted-change-email = We have sent a confirmation link to the new address. Your login changes when you follow it.
accepted-change-phone = We have texted a code to the new number. Your login changes when you enter it; until then the old number still works.
device-reset-link = a password reset link
