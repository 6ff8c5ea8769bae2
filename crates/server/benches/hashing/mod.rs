//! Hashing as argon2 does it on its own, for the benches that compare the server with it.

use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What the benches hash: any password costs the same.
const PASSWORD: &[u8] = b"benchmark passphrase";

/// `total` hashes with argon2's own `hash_password` (a fresh 19 MiB each), on `threads`
/// threads: the raw hash rate, and what memory looks like without the server's pool.
pub fn hash_on_threads(threads: usize, total: usize) {
    let left = Arc::new(AtomicUsize::new(total));
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let left = left.clone();
            std::thread::spawn(move || {
                let argon = lanyard_server::argon2id();
                while left
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok()
                {
                    let salt = SaltString::generate(&mut OsRng);
                    argon.hash_password(PASSWORD, &salt).unwrap();
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
}
