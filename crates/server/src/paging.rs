//! Cursor paging for the account's listings (employees, tasks): pages in creation order,
//! the cursor being the last id of a full page.

pub const PAGE_DEFAULT: u32 = 100;
pub const PAGE_MAX: u32 = 500;

/// The page size to use for what the client asked.
pub fn limit(requested: Option<u32>) -> u32 {
    requested.unwrap_or(PAGE_DEFAULT).clamp(1, PAGE_MAX)
}

/// The cursor of the page after `rows`: its last id, when the page is full.
pub fn next_cursor<T>(rows: &[T], limit: u32, id: impl Fn(&T) -> &String) -> Option<String> {
    let full = rows.len() == limit as usize;
    rows.last().filter(|_| full).map(|row| id(row).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_size_stays_within_bounds() {
        assert_eq!(limit(None), PAGE_DEFAULT);
        assert_eq!(limit(Some(0)), 1);
        assert_eq!(limit(Some(10_000)), PAGE_MAX);
    }

    #[test]
    fn only_a_full_page_has_a_next_one() {
        let ids = ["a".to_owned(), "b".to_owned()];
        assert_eq!(next_cursor(&ids, 2, |id| id), Some("b".to_owned()));
        assert_eq!(next_cursor(&ids, 3, |id| id), None);
        assert_eq!(next_cursor(&ids[..0], 1, |id| id), None);
    }
}
