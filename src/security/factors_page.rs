//! `/security`: the signed-in user's own second factors (R20) — an
//! authenticator app (a QR code and its key, confirmed by a first code),
//! passkeys, and recovery codes (shown once, downloadable; new ones void
//! the old). Removing a factor or making new codes asks for a current
//! code. An account that requires a factor sends a member without one
//! here (`/security/required`), and they go back to the page that sent
//! them once set up.

use super::code_field::CodeField;
use super::{error_text, passkey};
use crate::api;
use crate::api::ApiError;
use crate::entry::use_navigate;
use crate::i18n::intl::date;
use crate::i18n::security::st;
use crate::state::read::read;
use crate::state::toasts::use_toasts;
use crate::state::write::{write, Write, WriteState};
use crate::widgets::{Dialog, Loaded, Shell};
use domain::api::{AuthenticatorSetup, FactorInfo, MyFactors, RecoveryCodes};
use leptos::prelude::*;
use leptos_router::NavigateOptions;

/// A failed passkey ceremony in the browser (cancelled, or no authenticator).
fn passkey_error() -> ApiError {
    ApiError { status: 0, code: "passkey".into(), message: st().passkey_failed.into() }
}

/// Signs in with a passkey (the sign-in's second step); `then` on success.
pub fn passkey_sign_in(then: impl Fn() + 'static) -> Write<()> {
    write(
        |()| async {
            // Its CSRF token, as for a code (`verify_page`).
            api::security::pending().await?;
            let options = api::security::passkey_options("/api/v1/session/second-factor/passkey/start").await?;
            let signed = passkey::sign(&options).await.ok_or_else(passkey_error)?;
            api::security::passkey_sign_in(signed).await
        },
        move |_| then(),
    )
}

/// The user's own second factors.
#[component]
pub fn FactorsPage() -> impl IntoView {
    let t = crate::i18n::t();
    let st = st();
    let toasts = use_toasts();
    let navigate = use_navigate();
    // Sent here by an account that requires a factor: back there once set up.
    let required = leptos_router::hooks::use_location().pathname.get_untracked() == "/security/required";
    let next = move || required.then(|| crate::entry::return_path().unwrap_or_else(|| "/".to_string()));
    let mine = read(api::security::mine);
    // Recovery codes just made: shown once, until the person has saved them.
    let codes = RwSignal::new(Vec::<String>::new());
    let setup = RwSignal::new(None::<AuthenticatorSetup>);
    let typed = RwSignal::new(String::new());
    let added = move |r: RecoveryCodes| {
        setup.set(None);
        typed.set(String::new());
        toasts.show(st.factor_added);
        mine.refetch();
        codes.set(r.codes);
    };
    let start = write(|()| api::security::start_authenticator(), move |s| setup.set(Some(s)));
    let confirm = write(
        move |(id, code): (i64, String)| async move { api::security::confirm_authenticator(id, code).await },
        added,
    );
    let add_passkey = write(
        |()| async {
            let options = api::security::passkey_options("/api/v1/me/second-factors/passkeys/start").await?;
            let credential = passkey::create(&options).await.ok_or_else(passkey_error)?;
            api::security::add_passkey(credential).await
        },
        added,
    );
    // The factor being removed (its id and name), and the new-codes dialog.
    let removing = RwSignal::new(None::<(i64, &'static str)>);
    let renewing = RwSignal::new(false);
    let current = RwSignal::new(String::new());
    let remove = write(
        move |(id, code): (i64, String)| async move { api::security::remove(id, code).await },
        move |()| {
            removing.set(None);
            current.set(String::new());
            toasts.show(st.factor_removed);
            mine.refetch();
        },
    );
    let renew = write(
        move |code: String| async move { api::security::new_codes(code).await },
        move |r: RecoveryCodes| {
            renewing.set(false);
            current.set(String::new());
            toasts.show(st.codes_made);
            mine.refetch();
            codes.set(r.codes);
        },
    );
    // A17: the accounts where the user chooses who must have a factor.
    let session = crate::state::session::use_session();
    let accounts = move || {
        let mine: Vec<_> =
            session.info().map(|i| i.memberships.into_iter().filter(|m| m.super_admin).collect()).unwrap_or_default();
        (!mine.is_empty()).then(|| {
            view! {
                <section class="card spaced" aria-labelledby="accounts-heading">
                    <h2 id="accounts-heading">{st.your_accounts}</h2>
                    <p class="hint">{st.your_accounts_hint}</p>
                    <ul>
                        {mine.into_iter().map(|m| {
                            let href = format!("/security/accounts/{}", m.account_id);
                            view! { <li><a href=href>{m.account_name}</a></li> }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    };
    let go_on = navigate.clone();
    let done = Callback::new(move |()| match next() {
        Some(to) => go_on(&to, NavigateOptions { replace: true, ..Default::default() }),
        None => codes.set(Vec::new()),
    });
    let failure_of = |w: WriteState| {
        move || w.failure().map(|e| view! { <p class="form-error spaced" role="alert">{error_text(&e)}</p> })
    };

    view! {
        <Shell>
            <section class="page">
                <header class="page-header">
                    <div>
                        <h1>{st.sec_title}</h1>
                        <p class="subtitle">{st.sec_intro}</p>
                    </div>
                </header>
                {move || next().is_some().then(|| view! { <div class="notice notice-warn" role="status">{st.required_banner}</div> })}
                {move || (!codes.with(Vec::is_empty)).then(|| {
                    let list = codes.get();
                    let file = format!("data:text/plain;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&list.join("\n"))));
                    view! {
                        <section class="card notice-success spaced" aria-labelledby="codes-heading">
                            <h2 id="codes-heading">{st.recovery_codes}</h2>
                            <p>{st.recovery_intro}</p>
                            <ol class="mono recovery-codes">{list.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ol>
                            <div class="button-row left">
                                <a class="btn" href=file download="recovery-codes.txt">{st.download_codes}</a>
                                <button type="button" class="btn btn-primary" on:click=move |_| done.run(())>
                                    {if next().is_some() { st.continue_on } else { st.saved_codes }}
                                </button>
                            </div>
                        </section>
                    }
                })}
                <Loaded data=mine content={move |f: MyFactors| {
                    let authenticator = f.factors.iter().find(|x| x.kind == "authenticator").cloned();
                    let passkeys: Vec<FactorInfo> = f.factors.iter().filter(|x| x.kind == "passkey").cloned().collect();
                    let any = !f.factors.is_empty();
                    view! {
                        <section class="card spaced" aria-labelledby="authenticator-heading">
                            <h2 id="authenticator-heading">{st.authenticator_app}</h2>
                            <p class="hint">{st.authenticator_hint}</p>
                            {match authenticator {
                                Some(a) => view! {
                                    <p>{st.added_on(date(a.created_at))}</p>
                                    <button type="button" class="btn" on:click=move |_| removing.set(Some((a.id, st.authenticator_app)))>
                                        {t.remove}
                                    </button>
                                }.into_any(),
                                None => view! {{move || match setup.get() {
                                    None => view! {
                                        <p>{st.not_set_up}</p>
                                        {failure_of(start.into())}
                                        <button type="button" class="btn btn-primary" disabled=move || start.pending().get() on:click=move |_| start.dispatch(())>
                                            {st.set_up_authenticator}
                                        </button>
                                    }.into_any(),
                                    Some(s) => {
                                        let id = s.id;
                                        let qr = format!("data:image/svg+xml;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&s.qr_svg)));
                                        let key: Vec<String> = s.secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
                                        let submit = move |ev: leptos::ev::SubmitEvent| {
                                            ev.prevent_default();
                                            confirm.dispatch((id, typed.get_untracked()));
                                        };
                                        view! {
                                            <p>{st.scan_qr}</p>
                                            <img class="qr" src=qr width="200" height="200" alt=st.qr_label/>
                                            <div class="field">
                                                <label for="setup-key">{st.setup_key}</label>
                                                <input id="setup-key" class="input mono" readonly prop:value=key.join(" ")/>
                                            </div>
                                            <form on:submit=submit novalidate>
                                                <CodeField id="setup-code" label=st.code_label hint=st.code_hint code=typed/>
                                                {failure_of(confirm.into())}
                                                <button type="submit" class="btn btn-primary" disabled=move || confirm.pending().get()>{st.confirm_code}</button>
                                            </form>
                                        }.into_any()
                                    }
                                }}}.into_any(),
                            }}
                        </section>
                        <section class="card spaced" aria-labelledby="passkeys-heading">
                            <h2 id="passkeys-heading">{st.passkeys}</h2>
                            <p class="hint">{st.passkeys_hint}</p>
                            {if passkeys.is_empty() {
                                view! { <p>{st.no_passkeys}</p> }.into_any()
                            } else {
                                view! { <ul>{passkeys.into_iter().map(|p| view! {
                                    <li>
                                        {st.passkey_name}" · "{st.added_on(date(p.created_at))}" "
                                        <button type="button" class="btn btn-small" aria-label=st.remove_named(st.passkey_name) on:click=move |_| removing.set(Some((p.id, st.passkey_name)))>
                                            {t.remove}
                                        </button>
                                    </li>
                                }).collect_view()}</ul> }.into_any()
                            }}
                            {if passkey::supported() {
                                view! {
                                    {failure_of(add_passkey.into())}
                                    <button type="button" class="btn" disabled=move || add_passkey.pending().get() on:click=move |_| add_passkey.dispatch(())>
                                        {st.add_passkey}
                                    </button>
                                }.into_any()
                            } else {
                                view! { <p class="hint">{st.passkeys_unsupported}</p> }.into_any()
                            }}
                        </section>
                        {accounts()}
                        {any.then(|| view! {
                            <section class="card spaced" aria-labelledby="recovery-heading">
                                <h2 id="recovery-heading">{st.recovery_codes}</h2>
                                <p>{st.codes_left(f.recovery_codes_left)}</p>
                                <button type="button" class="btn" on:click=move |_| renewing.set(true)>{st.new_codes}</button>
                            </section>
                        })}
                    }.into_any()
                }}/>
                <Dialog
                    open=Signal::derive(move || removing.get().is_some())
                    title=Signal::derive(move || removing.get().map(|(_, name)| st.remove_named(name)).unwrap_or_default())
                    on_close=Callback::new(move |()| removing.set(None))
                >
                    <CodeField id="remove-code" label=st.code_label hint=st.current_code_hint code=current autofocus=true/>
                    {failure_of(remove.into())}
                    <div class="button-row">
                        <button type="button" class="btn" on:click=move |_| removing.set(None)>{t.cancel}</button>
                        <button type="button" class="btn btn-danger" disabled=move || remove.pending().get()
                            on:click=move |_| if let Some((id, _)) = removing.get_untracked() { remove.dispatch((id, current.get_untracked())) }>
                            {t.remove}
                        </button>
                    </div>
                </Dialog>
                <Dialog open=Signal::derive(move || renewing.get()) title=Signal::derive(move || st.new_codes.to_string()) on_close=Callback::new(move |()| renewing.set(false))>
                    <p class="hint">{st.new_codes_hint}</p>
                    <CodeField id="renew-code" label=st.code_label hint=st.current_code_hint code=current autofocus=true/>
                    {failure_of(renew.into())}
                    <div class="button-row">
                        <button type="button" class="btn" on:click=move |_| renewing.set(false)>{t.cancel}</button>
                        <button type="button" class="btn btn-primary" disabled=move || renew.pending().get() on:click=move |_| renew.dispatch(current.get_untracked())>
                            {st.new_codes}
                        </button>
                    </div>
                </Dialog>
            </section>
        </Shell>
    }
}
