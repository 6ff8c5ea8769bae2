//! Hashing as argon2 does it on its own, for the benches that compare the server with it.

use argon2::Block;
use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What the benches hash: any password costs the same.
const PASSWORD: &[u8] = b"benchmark passphrase";

/// How each thread gets its 19 MiB of argon2 memory.
#[derive(Clone, Copy)]
pub enum Memory {
    /// argon2's own `hash_password`: a fresh allocation per hash.
    PerHash,
    /// One block per thread, reused for every hash (what the server's hashing threads do):
    /// the ceiling of pure argon2 work.
    Reused,
}

/// `total` hashes on `threads` threads, with argon2 memory as `memory` says.
pub fn hash_on_threads(threads: usize, total: usize, memory: Memory) {
    let left = Arc::new(AtomicUsize::new(total));
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let left = left.clone();
            std::thread::spawn(move || {
                let argon = lanyard_server::argon2id();
                let mut blocks = match memory {
                    Memory::PerHash => Vec::new(),
                    Memory::Reused => vec![Block::default(); argon.params().block_count()],
                };
                while left
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok()
                {
                    let salt = SaltString::generate(&mut OsRng);
                    match memory {
                        Memory::PerHash => drop(argon.hash_password(PASSWORD, &salt).unwrap()),
                        Memory::Reused => {
                            let mut out = [0u8; 32];
                            let salt = salt.as_str().as_bytes();
                            argon
                                .hash_password_into_with_memory(
                                    PASSWORD,
                                    salt,
                                    &mut out,
                                    &mut blocks,
                                )
                                .unwrap();
                        }
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
}
