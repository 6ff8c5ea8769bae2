//! Cursor paging: a list answers one page and, when there is more, a
//! `Link: <…?cursor=…>; rel="next"` header; the client hands that cursor back for the next
//! page and treats it as opaque.

use url::Url;

/// One page of a list, and the cursor of the next one (from the `Link` header).
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Which page of a list to fetch.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageRequest<'a> {
    pub cursor: Option<&'a str>,
    pub limit: Option<u32>,
}

impl PageRequest<'_> {
    /// The query parameters that ask for this page.
    pub(crate) fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        if let Some(cursor) = self.cursor {
            query.push(("cursor", cursor.to_owned()));
        }
        if let Some(limit) = self.limit {
            query.push(("limit", limit.to_string()));
        }
        query
    }
}

/// The `cursor` of a `Link: <url>; rel="next"` header; `None` for any other relation or a
/// target that is not a URL.
pub(crate) fn next_cursor(link: &str) -> Option<String> {
    let (target, params) = link.split_once(';')?;
    if !params.contains("rel=\"next\"") {
        return None;
    }
    let url = Url::parse(target.trim().trim_start_matches('<').trim_end_matches('>')).ok()?;
    url.query_pairs()
        .find(|(key, _)| key == "cursor")
        .map(|(_, value)| value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_page_asks_for_nothing_but_what_was_given() {
        assert!(PageRequest::default().query().is_empty());
        let limited = PageRequest {
            cursor: None,
            limit: Some(100),
        };
        assert_eq!(limited.query(), vec![("limit", "100".to_owned())]);
    }

    #[test]
    fn a_later_page_hands_the_cursor_back_verbatim() {
        let page = PageRequest {
            cursor: Some("c2V+/w=="),
            limit: Some(25),
        };
        assert_eq!(
            page.query(),
            vec![
                ("cursor", "c2V+/w==".to_owned()),
                ("limit", "25".to_owned())
            ]
        );
    }

    #[test]
    fn the_next_cursor_comes_from_the_servers_link_header() {
        // As the server writes it: the cursor first, then the limit and any filter.
        let link = "<http://127.0.0.1:8080/api/v1/accounts/acme/employees?cursor=MjAyNS0w&limit=100&status=active>; rel=\"next\"";
        assert_eq!(next_cursor(link).as_deref(), Some("MjAyNS0w"));
    }

    #[test]
    fn a_percent_encoded_cursor_is_decoded() {
        let link = "<https://lanyard.example/api/v1/accounts/acme/tasks?limit=2&cursor=a%2Bb%3D%3D>; rel=\"next\"";
        assert_eq!(next_cursor(link).as_deref(), Some("a+b=="));
    }

    #[test]
    fn other_relations_and_broken_headers_mean_no_next_page() {
        let prev = "<https://lanyard.example/api/v1/x?cursor=abc>; rel=\"prev\"";
        assert_eq!(next_cursor(prev), None);
        assert_eq!(next_cursor("<https://lanyard.example/x?cursor=abc>"), None);
        assert_eq!(next_cursor("<not a url?cursor=abc>; rel=\"next\""), None);
        let without = "<https://lanyard.example/api/v1/x?limit=5>; rel=\"next\"";
        assert_eq!(next_cursor(without), None);
    }
}
