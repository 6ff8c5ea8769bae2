//! The problem documents of the OpenAPI document, said once for every operation rather than
//! in forty annotations: every `Problem` answer is `application/problem+json` (what
//! `AppError` sends), and each operation lists the refusals its extractors and middleware make
//! whatever the handler (a wrong `Host`, a missing token, a broken body, an unknown id, a
//! database out of reach).

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Response, ResponseBuilder};

/// The content type of every problem document (RFC 9457).
const PROBLEM_JSON: &str = "application/problem+json";
const PROBLEM_SCHEMA: &str = "#/components/schemas/Problem";

/// Adds the shared refusals to every operation and moves every `Problem` answer to
/// `application/problem+json`. Runs on the finished document (after the routes are added).
pub fn document(openapi: &mut OpenApi) {
    for item in openapi.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            add_shared_refusals(operation);
            for response in operation.responses.responses.values_mut() {
                if let RefOr::T(response) = response {
                    as_problem_json(response);
                }
            }
        }
    }
}

/// The refusals made before the handler runs, by what the operation takes.
fn add_shared_refusals(operation: &mut Operation) {
    let has_in = |place: ParameterIn| {
        operation
            .parameters
            .iter()
            .flatten()
            .any(|parameter| parameter.parameter_in == place)
    };
    let (path, query) = (has_in(ParameterIn::Path), has_in(ParameterIn::Query));
    // The JSON extractor's refusals; a body of another type (a photo) documents its own.
    let body = operation
        .request_body
        .as_ref()
        .is_some_and(|body| body.content.contains_key("application/json"));
    let bearer = operation
        .security
        .as_ref()
        .is_some_and(|requirements| !requirements.is_empty());

    // (status, code, what the description says)
    let mut refusals = vec![
        (
            "421",
            "misdirected_request",
            "`misdirected_request`: a `Host` this server does not answer for",
        ),
        (
            "503",
            "unavailable",
            "`unavailable`: the server cannot reach its database just now; `Retry-After` says \
             when to try again",
        ),
    ];
    if bearer {
        refusals.push((
            "401",
            "unauthorized",
            "`unauthorized`: no live access token",
        ));
        refusals.push((
            "403",
            "profile_session_required",
            "`profile_session_required`: a route of the profile alone, in a session of an \
             account's single sign-on",
        ));
    }
    if path {
        refusals.push(("404", "not_found", "`not_found`: nothing at this path"));
    }
    if body {
        refusals.push((
            "400",
            "malformed_json",
            "`malformed_json`: the body is not JSON",
        ));
        refusals.push((
            "413",
            "body_too_large",
            "`body_too_large`: more than 64 KiB",
        ));
        refusals.push((
            "415",
            "unsupported_media_type",
            "`unsupported_media_type`: not `Content-Type: application/json`",
        ));
        refusals.push((
            "422",
            "invalid_body",
            "`invalid_body`: not a JSON object with the documented fields and types",
        ));
    }
    if query {
        refusals.push((
            "422",
            "invalid_query",
            "`invalid_query`: a missing or mistyped query parameter",
        ));
    }
    for (status, code, text) in refusals {
        add_refusal(operation, status, code, text);
    }
}

/// Lists `text` under `status`: a new problem answer, or one more line of the existing one's
/// description when it does not name that code yet.
fn add_refusal(operation: &mut Operation, status: &str, code: &str, text: &str) {
    let responses = &mut operation.responses.responses;
    match responses.get_mut(status) {
        Some(RefOr::T(response)) => {
            if !response.description.contains(&format!("`{code}`")) {
                response.description = format!("{}; {text}", response.description);
            }
        }
        Some(RefOr::Ref(_)) => {}
        None => {
            let problem = Content::new(Some(Ref::new(PROBLEM_SCHEMA)));
            responses.insert(
                status.to_owned(),
                RefOr::T(
                    ResponseBuilder::new()
                        .description(text)
                        .content(PROBLEM_JSON, problem)
                        .build(),
                ),
            );
        }
    }
}

/// An answer whose body is a `Problem` is sent as `application/problem+json`.
fn as_problem_json(response: &mut Response) {
    let is_problem = |content: &Content| matches!(&content.schema, Some(RefOr::Ref(reference)) if reference.ref_location == PROBLEM_SCHEMA);
    if let Some(content) = response.content.get("application/json")
        && is_problem(content)
        && let Some(content) = response.content.shift_remove("application/json")
    {
        response.content.insert(PROBLEM_JSON.to_owned(), content);
    }
}
