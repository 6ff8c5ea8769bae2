//! Plans and their user limits (`--plans free=12,standard=50,…`). The free plan is always
//! there; every other plan is a paid one.

use crate::error::InvalidFlag;
use std::str::FromStr;

pub const FREE: &str = "free";
const FREE_LIMIT: u64 = 12;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plans(Vec<(String, u64)>);

impl Plans {
    /// The user limit of `plan`; an unknown plan gets the free plan's.
    pub fn limit(&self, plan: &str) -> u64 {
        let lookup = |name: &str| {
            self.0
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, limit)| *limit)
        };
        lookup(plan).or_else(|| lookup(FREE)).unwrap_or(FREE_LIMIT)
    }

    pub fn exists(&self, plan: &str) -> bool {
        self.0.iter().any(|(name, _)| name == plan)
    }

    pub fn is_paid(plan: &str) -> bool {
        plan != FREE
    }
}

impl FromStr for Plans {
    type Err = InvalidFlag;

    fn from_str(text: &str) -> Result<Plans, InvalidFlag> {
        let mut plans = Vec::new();
        for item in text
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            let (name, limit) = item
                .split_once('=')
                .ok_or_else(|| InvalidFlag(format!("{item:?}: write plans as name=limit")))?;
            let limit = limit
                .trim()
                .parse()
                .map_err(|_| InvalidFlag(format!("{item:?}: the limit must be a whole number")))?;
            plans.push((name.trim().to_lowercase(), limit));
        }
        if !plans.iter().any(|(name, _)| name == FREE) {
            plans.push((FREE.into(), FREE_LIMIT));
        }
        Ok(Plans(plans))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_is_twelve_unless_configured() {
        let plans: Plans = "standard=50, professional=250".parse().unwrap();
        assert_eq!(
            (
                plans.limit("free"),
                plans.limit("standard"),
                plans.limit("nope")
            ),
            (12, 50, 12)
        );
        let small: Plans = "free=3".parse().unwrap();
        assert_eq!(small.limit("free"), 3);
        assert!("standard".parse::<Plans>().is_err());
        assert!(Plans::is_paid("standard") && !Plans::is_paid("free"));
    }
}
